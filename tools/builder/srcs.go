package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// goFile is one Go source file that takes part in the build.
type goFile struct {
	path    string // as given, relative to the exec root
	pkgName string
	imports []fileImport
	embeds  []string // //go:embed patterns
	hasMain bool     // declares func main()
}

type fileImport struct {
	path string
	pos  token.Position
}

// pkgSources is a package's files after build constraints are applied.
type pkgSources struct {
	goFiles  []goFile
	asmFiles []string
	hdrFiles []string
	skipped  []string // excluded by build constraints
}

// buildContext is the context whose constraints decide which files count.
func buildContext(goos, goarch, tags string) build.Context {
	ctxt := build.Default
	ctxt.GOOS = goos
	ctxt.GOARCH = goarch
	ctxt.CgoEnabled = true
	ctxt.Compiler = "gc"
	ctxt.BuildTags = nil
	if tags != "" {
		ctxt.BuildTags = strings.Split(tags, ",")
	}
	return ctxt
}

// readSources filters srcs by build constraints and parses the Go files.
func readSources(ctxt build.Context, srcs []string) (*pkgSources, error) {
	ps := &pkgSources{}
	fset := token.NewFileSet()
	for _, src := range srcs {
		dir, base := filepath.Split(src)
		switch ext := filepath.Ext(base); ext {
		case ".go", ".s":
		case ".h":
			ps.hdrFiles = append(ps.hdrFiles, src)
			continue
		default:
			return nil, fmt.Errorf("%s: unsupported source file type %q; srcs takes .go, .s and .h files", src, ext)
		}
		if strings.HasSuffix(base, "_test.go") {
			return nil, fmt.Errorf("%s: test files do not belong in srcs; put them in a test target", src)
		}
		ok, err := ctxt.MatchFile(dir, base)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", src, err)
		}
		if !ok {
			ps.skipped = append(ps.skipped, src)
			continue
		}
		if strings.HasSuffix(base, ".s") {
			ps.asmFiles = append(ps.asmFiles, src)
			continue
		}
		f, err := parser.ParseFile(fset, src, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		ps.goFiles = append(ps.goFiles, inspectFile(fset, src, f))
	}
	return ps, nil
}

func inspectFile(fset *token.FileSet, path string, f *ast.File) goFile {
	gf := goFile{path: path, pkgName: f.Name.Name}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		gf.imports = append(gf.imports, fileImport{path: p, pos: fset.Position(imp.Pos())})
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
			gf.hasMain = true
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if rest, ok := strings.CutPrefix(c.Text, "//go:embed"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				pats, _ := splitEmbedPatterns(rest)
				gf.embeds = append(gf.embeds, pats...)
			}
		}
	}
	return gf
}

// checkPackage enforces what each kind of target requires of its package,
// with messages that say which file is wrong and how to fix it.
func checkPackage(kind string, ps *pkgSources) error {
	if len(ps.goFiles) == 0 {
		if len(ps.skipped) > 0 {
			return fmt.Errorf("no Go files left after build constraints (GOOS, GOARCH, tags) excluded %s", strings.Join(ps.skipped, ", "))
		}
		return fmt.Errorf("no Go files in srcs")
	}
	first := ps.goFiles[0]
	for _, f := range ps.goFiles[1:] {
		if f.pkgName != first.pkgName {
			return fmt.Errorf("%s: package %s, but %s is package %s; a target is one Go package, so move %s to a target of its own",
				f.path, f.pkgName, first.path, first.pkgName, f.path)
		}
	}
	var mainFile string
	for _, f := range ps.goFiles {
		if f.hasMain {
			mainFile = f.path
		}
	}
	switch kind {
	case "library":
		if first.pkgName == "main" {
			return fmt.Errorf("%s: package main cannot be a go_library; build it with go_plugin or go_plugin_host", first.path)
		}
	case "plugin":
		if first.pkgName != "main" {
			return fmt.Errorf("%s: package %s; a plugin must be package main (with no func main)", first.path, first.pkgName)
		}
		if mainFile != "" {
			return fmt.Errorf("%s: declares func main; a plugin has no main function, remove it (the host's main runs, the plugin's init and exported symbols are loaded)", mainFile)
		}
	case "host", "command":
		if first.pkgName != "main" {
			return fmt.Errorf("%s: package %s; a %s must be package main", first.path, first.pkgName, kind)
		}
		if mainFile == "" {
			return fmt.Errorf("no func main in %s; a %s is an executable and needs one", joinPaths(ps.goFiles), kind)
		}
	default:
		return fmt.Errorf("unknown kind %q", kind)
	}
	return nil
}

// checkImports makes sure every import is provided by the standard library
// or by a direct dep, and names the file, the import and the fix otherwise.
func checkImports(ps *pkgSources, std, deps map[string]string, stdSubset bool) error {
	var problems []string
	for _, f := range ps.goFiles {
		for _, imp := range f.imports {
			switch {
			case imp.path == "C":
				problems = append(problems, fmt.Sprintf("%s:%d: import \"C\": cgo is not supported by rules_go_plugin yet", f.path, imp.pos.Line))
			case imp.path == "unsafe" || std[imp.path] != "" || deps[imp.path] != "":
			case stdSubset && isStdPath(imp.path):
				problems = append(problems, fmt.Sprintf("%s:%d: import %q is a standard library package that --@rules_go_plugin//go_plugin:std_packages leaves out; add it to that setting (cmd/stdpackages lists what a workspace imports), or drop the setting to build all of std",
					f.path, imp.pos.Line, imp.path))
			default:
				problems = append(problems, fmt.Sprintf("%s:%d: import %q is not provided by any dep; add the go_library with importpath = %q to deps",
					f.path, imp.pos.Line, imp.path, imp.path))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}

func joinPaths(files []goFile) string {
	var ps []string
	for _, f := range files {
		ps = append(ps, f.path)
	}
	return strings.Join(ps, ", ")
}

// isStdPath reports whether an import path looks like a standard library
// package: no dot in its first element.
func isStdPath(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
