package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bazelbuild/buildtools/build"
)

// The generator does not run Starlark: it evaluates the few top-level forms
// that declare a ruleset's API (rule, provider, attr.*, tag_class,
// module_extension, def, dict literals and dict(...) merges, loads), and
// keeps anything else as its source text. That is all the .bzl files of a
// ruleset use at the top level to declare what users see.

// A value is one of the types below.
type value interface{}

// source is an expression the generator does not evaluate, kept as written.
type source struct{ text string }

type dict struct {
	keys []string
	vals map[string]value
}

func newDict() *dict { return &dict{vals: map[string]value{}} }

func (d *dict) set(k string, v value) {
	if _, ok := d.vals[k]; !ok {
		d.keys = append(d.keys, k)
	}
	d.vals[k] = v
}

// call is a call of one of the declaring built-ins: rule, provider,
// attr.string, tag_class, ... Keyword arguments are evaluated; args keeps
// them as written, for defaults.
type call struct {
	fn     string // "rule", "attr.string", ...
	kwargs map[string]value
	args   map[string]build.Expr
}

// function is a def: its parameters and docstring.
type function struct {
	def *build.DefStmt
}

// declaring are the built-ins whose calls are evaluated into a call.
var declaring = map[string]bool{
	"rule": true, "repository_rule": true, "provider": true, "aspect": true,
	"tag_class": true, "module_extension": true, "macro": true,
}

// module is one evaluated .bzl file.
type module struct {
	path    string // relative to the root, slash-separated
	doc     string
	globals map[string]value
	order   []string // names defined in the file, in order (loads excluded)
	loaded  map[string]bool
}

// loader evaluates .bzl files of one repository, each once.
type loader struct {
	root    string
	modules map[string]*module
}

func newLoader(root string) *loader {
	return &loader{root: root, modules: map[string]*module{}}
}

// load evaluates the file at path (relative to the root).
func (l *loader) load(path string) (*module, error) {
	if m, ok := l.modules[path]; ok {
		if m == nil {
			return nil, fmt.Errorf("%s: load cycle", path)
		}
		return m, nil
	}
	l.modules[path] = nil
	data, err := os.ReadFile(filepath.Join(l.root, filepath.FromSlash(path)))
	if err != nil {
		return nil, err
	}
	f, err := build.ParseBzl(path, data)
	if err != nil {
		return nil, err
	}
	m := &module{path: path, globals: map[string]value{}, loaded: map[string]bool{}}
	for i, stmt := range f.Stmt {
		switch s := stmt.(type) {
		case *build.StringExpr:
			if i == 0 || onlyComments(f.Stmt[:i]) {
				m.doc = s.Value
			}
		case *build.LoadStmt:
			if err := l.loadSymbols(m, s); err != nil {
				return nil, err
			}
		case *build.AssignExpr:
			if id, ok := s.LHS.(*build.Ident); ok && s.Op == "=" {
				m.define(id.Name, m.eval(s.RHS))
			}
		case *build.DefStmt:
			m.define(s.Name, &function{def: s})
		}
	}
	l.modules[path] = m
	return m, nil
}

func onlyComments(stmts []build.Expr) bool {
	for _, s := range stmts {
		if _, ok := s.(*build.CommentBlock); !ok {
			return false
		}
	}
	return true
}

func (m *module) define(name string, v value) {
	if _, ok := m.globals[name]; !ok || m.loaded[name] {
		m.order = append(m.order, name)
	}
	delete(m.loaded, name)
	m.globals[name] = v
}

// loadSymbols binds a load statement's names. Files of other repositories
// are not read: their symbols stay opaque.
func (l *loader) loadSymbols(m *module, s *build.LoadStmt) error {
	path, ok := l.resolve(m.path, s.Module.Value)
	var from *module
	if ok {
		var err error
		if from, err = l.load(path); err != nil {
			return fmt.Errorf("%s: load(%q): %w", m.path, s.Module.Value, err)
		}
	}
	for i, to := range s.To {
		var v value = &source{text: s.From[i].Name}
		if from != nil {
			got, ok := from.globals[s.From[i].Name]
			if !ok {
				return fmt.Errorf("%s: load(%q): %s is not defined there", m.path, s.Module.Value, s.From[i].Name)
			}
			v = got
		}
		m.globals[to.Name] = v
		m.loaded[to.Name] = true
	}
	return nil
}

// resolve turns a load label into a path relative to the root, for labels
// of this repository ("//pkg:file.bzl", ":file.bzl").
func (l *loader) resolve(from, label string) (string, bool) {
	switch {
	case strings.HasPrefix(label, "//"):
		pkg, name, _ := strings.Cut(label[2:], ":")
		if name == "" {
			return "", false
		}
		return strings.TrimPrefix(pkg+"/"+name, "/"), true
	case strings.HasPrefix(label, ":"):
		return strings.TrimPrefix(l.packageOf(from)+"/"+label[1:], "/"), true
	}
	return "", false // another repository
}

// packageOf is the Bazel package of a file: the nearest directory above it
// with a BUILD file.
func (l *loader) packageOf(file string) string {
	dir := filepath.ToSlash(filepath.Dir(file))
	for dir != "." && dir != "/" {
		for _, b := range []string{"BUILD.bazel", "BUILD"} {
			if _, err := os.Stat(filepath.Join(l.root, filepath.FromSlash(dir), b)); err == nil {
				return dir
			}
		}
		dir = filepath.ToSlash(filepath.Dir(dir))
	}
	return ""
}

// eval evaluates an expression as far as the API declarations need.
func (m *module) eval(x build.Expr) value {
	switch x := x.(type) {
	case *build.StringExpr:
		return x.Value
	case *build.Ident:
		if v, ok := m.globals[x.Name]; ok {
			return v
		}
	case *build.ParenExpr:
		return m.eval(x.X)
	case *build.LiteralExpr:
		return &source{text: x.Token}
	case *build.ListExpr:
		var out []value
		for _, e := range x.List {
			out = append(out, m.eval(e))
		}
		return out
	case *build.DictExpr:
		d := newDict()
		for _, kv := range x.List {
			k, ok := m.eval(kv.Key).(string)
			if !ok {
				return &source{text: build.FormatString(x)}
			}
			d.set(k, m.eval(kv.Value))
		}
		return d
	case *build.BinaryExpr:
		if x.Op == "+" {
			switch a := m.eval(x.X).(type) {
			case string:
				if b, ok := m.eval(x.Y).(string); ok {
					return a + b
				}
			case []value:
				if b, ok := m.eval(x.Y).([]value); ok {
					return append(append([]value(nil), a...), b...)
				}
			}
		}
	case *build.CallExpr:
		if v := m.evalCall(x); v != nil {
			return v
		}
	}
	return &source{text: build.FormatString(x)}
}

func (m *module) evalCall(x *build.CallExpr) value {
	name := calleeName(x.X)
	switch {
	case name == "dict":
		return m.evalDict(x)
	case declaring[name], strings.HasPrefix(name, "attr."):
		c := &call{fn: name, kwargs: map[string]value{}, args: map[string]build.Expr{}}
		for _, a := range x.List {
			if kw, ok := a.(*build.AssignExpr); ok {
				if id, ok := kw.LHS.(*build.Ident); ok {
					c.kwargs[id.Name] = m.eval(kw.RHS)
					c.args[id.Name] = kw.RHS
				}
			} else if name == "provider" {
				c.kwargs["doc"] = m.eval(a) // provider("doc", fields = ...)
			}
		}
		return c
	}
	return nil
}

// evalDict evaluates dict(d1, k = v, **d2).
func (m *module) evalDict(x *build.CallExpr) value {
	d := newDict()
	merge := func(v value) bool {
		src, ok := v.(*dict)
		if ok {
			for _, k := range src.keys {
				d.set(k, src.vals[k])
			}
		}
		return ok
	}
	for _, a := range x.List {
		switch a := a.(type) {
		case *build.AssignExpr:
			id, ok := a.LHS.(*build.Ident)
			if !ok {
				return nil
			}
			d.set(id.Name, m.eval(a.RHS))
		case *build.UnaryExpr:
			if a.Op != "**" || !merge(m.eval(a.X)) {
				return nil
			}
		default:
			if !merge(m.eval(a)) {
				return nil
			}
		}
	}
	return d
}

func calleeName(x build.Expr) string {
	switch x := x.(type) {
	case *build.Ident:
		return x.Name
	case *build.DotExpr:
		if id, ok := x.X.(*build.Ident); ok {
			return id.Name + "." + x.Name
		}
	}
	return ""
}
