package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/bazelbuild/buildtools/build"
)

// extension is what a module_extension declares, read from its .bzl file.
type extension struct {
	file       string
	tags       map[string]map[string]bool // tag -> attribute -> mandatory
	repos      map[string]bool            // repositories its implementation declares
	toolchains map[string]bool            // toolchain targets in BUILD templates it (or what it loads) writes
}

// readExtension finds `name = module_extension(...)` in file.
func readExtension(file, name string, resolve func(label, from string) (string, error)) (*extension, error) {
	f, err := parseFile(file, build.ParseBzl)
	if err != nil {
		return nil, err
	}
	globals := topLevelCalls(f)
	call, ok := globals[name]
	if !ok || callName(call) != "module_extension" {
		return nil, fmt.Errorf("%s defines no module_extension named %s", file, name)
	}
	ext := &extension{file: file, tags: map[string]map[string]bool{}, repos: map[string]bool{}, toolchains: map[string]bool{}}

	impl, ok := kwarg(call, "implementation").(*build.Ident)
	if !ok || !definesFunc(f, impl.Name) {
		return nil, fmt.Errorf("%s: module_extension %s has no implementation function defined in the file", file, name)
	}
	if d, ok := kwarg(call, "tag_classes").(*build.DictExpr); ok {
		for _, kv := range d.List {
			tag, ok := kv.Key.(*build.StringExpr)
			if !ok {
				return nil, fmt.Errorf("%s: tag_classes of %s must have string keys", file, name)
			}
			tc, ok := kv.Value.(*build.CallExpr)
			if id, isIdent := kv.Value.(*build.Ident); isIdent {
				tc, ok = globals[id.Name]
			}
			if !ok || callName(tc) != "tag_class" {
				return nil, fmt.Errorf("%s: tag class %q of %s is not a tag_class(...)", file, tag.Value, name)
			}
			ext.tags[tag.Value] = tagAttrs(tc)
		}
	}

	// Repositories: every name = "literal" given to a call inside a function.
	build.Walk(f, func(x build.Expr, stk []build.Expr) {
		if c, ok := x.(*build.CallExpr); ok && insideDef(stk) {
			if s, ok := kwarg(c, "name").(*build.StringExpr); ok {
				ext.repos[s.Value] = true
			}
		}
	})
	if err := collectToolchains(file, f, resolve, ext.toolchains, map[string]bool{}); err != nil {
		return nil, err
	}
	return ext, nil
}

var toolchainDecl = regexp.MustCompile(`toolchain\(\s*name\s*=\s*"([^"]+)"`)

// collectToolchains finds toolchain(name = "...") in the string literals
// (BUILD file templates) of file and of the .bzl files it loads.
func collectToolchains(file string, f *build.File, resolve func(label, from string) (string, error), out, seen map[string]bool) error {
	if seen[file] {
		return nil
	}
	seen[file] = true
	build.Walk(f, func(x build.Expr, _ []build.Expr) {
		if s, ok := x.(*build.StringExpr); ok {
			for _, m := range toolchainDecl.FindAllStringSubmatch(s.Value, -1) {
				out[m[1]] = true
			}
		}
	})
	for _, st := range f.Stmt {
		load, ok := st.(*build.LoadStmt)
		if !ok {
			continue
		}
		path, err := resolve(load.Module.Value, file)
		if err != nil {
			return err
		}
		lf, err := parseFile(path, build.ParseBzl)
		if err != nil {
			return err
		}
		if err := collectToolchains(path, lf, resolve, out, seen); err != nil {
			return err
		}
	}
	return nil
}

func tagAttrs(tc *build.CallExpr) map[string]bool {
	attrs := map[string]bool{}
	d, ok := kwarg(tc, "attrs").(*build.DictExpr)
	if !ok {
		return attrs
	}
	for _, kv := range d.List {
		if k, ok := kv.Key.(*build.StringExpr); ok {
			mandatory := false
			if c, ok := kv.Value.(*build.CallExpr); ok {
				if id, ok := kwarg(c, "mandatory").(*build.Ident); ok && id.Name == "True" {
					mandatory = true
				}
			}
			attrs[k.Value] = mandatory
		}
	}
	return attrs
}

func parseFile(path string, parse func(string, []byte) (*build.File, error)) (*build.File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(filepath.Base(path), data)
}

// topLevelCalls maps each `x = call(...)` at the top of f to its call.
func topLevelCalls(f *build.File) map[string]*build.CallExpr {
	m := map[string]*build.CallExpr{}
	for _, st := range f.Stmt {
		if a, ok := st.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok {
				if c, ok := a.RHS.(*build.CallExpr); ok {
					m[id.Name] = c
				}
			}
		}
	}
	return m
}

func definesFunc(f *build.File, name string) bool {
	for _, st := range f.Stmt {
		if d, ok := st.(*build.DefStmt); ok && d.Name == name {
			return true
		}
	}
	return false
}

func insideDef(stk []build.Expr) bool {
	for _, e := range stk {
		if _, ok := e.(*build.DefStmt); ok {
			return true
		}
	}
	return false
}

// callName is "f" for f(...) and "x.f" for x.f(...).
func callName(c *build.CallExpr) string {
	switch fn := c.X.(type) {
	case *build.Ident:
		return fn.Name
	case *build.DotExpr:
		if id, ok := fn.X.(*build.Ident); ok {
			return id.Name + "." + fn.Name
		}
	}
	return ""
}

func kwarg(c *build.CallExpr, name string) build.Expr {
	for _, a := range c.List {
		if as, ok := a.(*build.AssignExpr); ok {
			if id, ok := as.LHS.(*build.Ident); ok && id.Name == name {
				return as.RHS
			}
		}
	}
	return nil
}

// positional returns the arguments of c that are not keyword arguments.
func positional(c *build.CallExpr) []build.Expr {
	var out []build.Expr
	for _, a := range c.List {
		if _, ok := a.(*build.AssignExpr); !ok {
			out = append(out, a)
		}
	}
	return out
}

func str(e build.Expr) (string, bool) {
	s, ok := e.(*build.StringExpr)
	if !ok {
		return "", false
	}
	return s.Value, true
}
