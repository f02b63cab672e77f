package pluginlang

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// libraryGraph finds hosts that reach "plugin" (or the loader) only through
// libraries of this repository: a server's main package that imports its own
// internal/plugin package, which imports "plugin". It reads the libraries'
// sources itself rather than Gazelle's index, because Gazelle generates a
// command's rules before it has visited (or, updating one directory, without
// ever visiting) the libraries it imports. Third-party libraries are not read:
// # gazelle:go_plugin_host marks the hosts that reach "plugin" only there.
type libraryGraph struct {
	// dirs are the directories of the go_library rules Gazelle generated, by
	// import path: what # gazelle:importpath or a nested prefix moved.
	dirs map[string]string
	// reaches caches each library's answer.
	reaches map[string]bool
}

func newLibraryGraph() *libraryGraph {
	return &libraryGraph{dirs: map[string]string{}, reaches: map[string]bool{}}
}

// reachesPlugin reports whether any of imports, made by the package at rel
// under repoRoot whose import path is importpath, leads to "plugin".
func (g *libraryGraph) reachesPlugin(repoRoot, rel, importpath string, imports []string) bool {
	prefixDir, prefix, hasPrefix := rootPrefix(rel, importpath)
	visiting := map[string]bool{}
	var reaches func(imports []string) bool
	reaches = func(imports []string) bool {
		for _, imp := range imports {
			if opensPlugins(imp) {
				return true
			}
			if r, seen := g.reaches[imp]; seen {
				if r {
					return true
				}
				continue
			}
			if visiting[imp] {
				continue // a cycle: what imp reaches is being looked at
			}
			dir, known := g.dirs[imp]
			if !known && hasPrefix {
				dir, known = dirOf(repoRoot, prefixDir, prefix, imp)
			}
			if !known {
				continue // the standard library or a third-party module
			}
			visiting[imp] = true
			if reaches(libraryImports(dir)) {
				g.reaches[imp] = true
				return true
			}
		}
		return false
	}
	if reaches(imports) {
		return true
	}
	// Nothing reached "plugin", so no library looked at does. (With a true
	// answer, one that was cut short at a cycle may be wrong: not kept.)
	for imp := range visiting {
		g.reaches[imp] = false
	}
	return false
}

// rootPrefix finds where Gazelle's prefix sits: the directory (under the
// repository root) and the import path it stands for, from the longest
// tail that the package's directory and import path share. A prefix set in
// a subdirectory (# gazelle:prefix in go/) is found as well as one at the
// root.
func rootPrefix(rel, importpath string) (dir, prefix string, ok bool) {
	dirs := strings.Split(rel, "/")
	if rel == "" {
		dirs = nil
	}
	elems := strings.Split(importpath, "/")
	for len(dirs) > 0 && len(elems) > 1 && dirs[len(dirs)-1] == elems[len(elems)-1] {
		dirs, elems = dirs[:len(dirs)-1], elems[:len(elems)-1]
	}
	if importpath == "" {
		return "", "", false
	}
	return strings.Join(dirs, "/"), strings.Join(elems, "/"), true
}

// dirOf is the directory of an import path under the prefix.
func dirOf(repoRoot, prefixDir, prefix, imp string) (string, bool) {
	base := filepath.Join(repoRoot, filepath.FromSlash(prefixDir))
	if imp == prefix {
		return base, true
	}
	rel, ok := strings.CutPrefix(imp, prefix+"/")
	if !ok {
		return "", false
	}
	return filepath.Join(base, filepath.FromSlash(rel)), true
}

// libraryImports lists what the non-test Go files of dir import, skipping
// files that no build can include (//go:build ignore and the like); a
// directory without Go files imports nothing.
func libraryImports(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil || f.Name.Name == "main" || !buildable(f.Comments, f.Package) {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil {
				out = append(out, p)
			}
		}
	}
	return out
}

// buildable reports whether some set of build tags, other than "ignore",
// satisfies the file's //go:build line: a host may import "plugin" only in
// a file for linux, which still makes it a host.
func buildable(groups []*ast.CommentGroup, pkg token.Pos) bool {
	for _, g := range groups {
		if g.Pos() >= pkg {
			break
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return true
			}
			return satisfiable(expr)
		}
	}
	return true
}

// satisfiable tries every assignment of the expression's tags (a //go:build
// line names a few), with "ignore" always false.
func satisfiable(expr constraint.Expr) bool {
	var tags []string
	seen := map[string]bool{"ignore": true}
	var collect func(constraint.Expr)
	collect = func(e constraint.Expr) {
		switch e := e.(type) {
		case *constraint.TagExpr:
			if !seen[e.Tag] {
				seen[e.Tag] = true
				tags = append(tags, e.Tag)
			}
		case *constraint.NotExpr:
			collect(e.X)
		case *constraint.AndExpr:
			collect(e.X)
			collect(e.Y)
		case *constraint.OrExpr:
			collect(e.X)
			collect(e.Y)
		}
	}
	collect(expr)
	if len(tags) > 12 {
		return true
	}
	for bits := 0; bits < 1<<len(tags); bits++ {
		set := map[string]bool{}
		for i, t := range tags {
			set[t] = bits&(1<<i) != 0
		}
		if expr.Eval(func(tag string) bool { return set[tag] }) {
			return true
		}
	}
	return false
}
