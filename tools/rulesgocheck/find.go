package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bazelbuild/buildtools/build"
)

// ruleDef is a rule found in a rules_go tree: where it is declared, the name
// it is exported as (its kind) and its attributes.
type ruleDef struct {
	File  string            // path of the .bzl file, relative to the tree
	Line  int               // line of the rule(...) call
	Kind  string            // the global it is assigned to, which Bazel reports as the rule's kind
	Attrs map[string]string // attribute name -> attr.<type>
	Dict  *build.DictExpr   // the attrs dict literal, for tests that edit it
	Tree  *build.File       // the parsed file, for tests that edit it
}

// finder resolves names across the .bzl files of one repository.
type finder struct {
	root  string
	files map[string]*build.File
}

func (fd *finder) parse(rel string) (*build.File, error) {
	if f := fd.files[rel]; f != nil {
		return f, nil
	}
	data, err := os.ReadFile(filepath.Join(fd.root, rel))
	if err != nil {
		return nil, err
	}
	f, err := build.ParseBzl(rel, data)
	if err != nil {
		return nil, err
	}
	fd.files[rel] = f
	return f, nil
}

// findRule follows the public symbol name of the .bzl file entry (e.g.
// go_library of go/def.bzl) through loads, aliases and macros to the rule(...)
// call that declares it.
func findRule(root, entry, name string) (*ruleDef, error) {
	fd := &finder{root: root, files: map[string]*build.File{}}
	def, err := fd.resolve(entry, name, 0)
	if err != nil {
		return nil, err
	}
	if def == nil {
		return nil, fmt.Errorf("%s: %s does not lead to a rule(...) declaration", entry, name)
	}
	return def, nil
}

const maxDepth = 8

// resolve finds the rule behind name in file rel, or nil when name is
// something else (a function that declares no rule, say).
func (fd *finder) resolve(rel, name string, depth int) (*ruleDef, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%s: %s: too many levels of loads and aliases", rel, name)
	}
	f, err := fd.parse(rel)
	if err != nil {
		return nil, err
	}
	for _, st := range f.Stmt {
		switch x := st.(type) {
		case *build.LoadStmt:
			for i, to := range x.To {
				if to.Name != name {
					continue
				}
				target, ok := fd.labelPath(rel, x.Module.Value)
				if !ok {
					return nil, nil // another repository's file
				}
				return fd.resolve(target, x.From[i].Name, depth+1)
			}
		case *build.AssignExpr:
			id, ok := x.LHS.(*build.Ident)
			if !ok || id.Name != name {
				continue
			}
			switch rhs := x.RHS.(type) {
			case *build.Ident: // an alias: go_library = _go_library
				return fd.resolve(rel, rhs.Name, depth+1)
			case *build.CallExpr:
				if isRuleCall(f, rhs) {
					return fd.ruleDef(rel, f, name, rhs)
				}
			}
		case *build.DefStmt:
			if x.Name != name {
				continue
			}
			// A macro: the rule is whatever it calls that is one.
			var found *ruleDef
			var ferr error
			build.Walk(x, func(e build.Expr, _ []build.Expr) {
				c, ok := e.(*build.CallExpr)
				if !ok || found != nil || ferr != nil {
					return
				}
				if id, ok := c.X.(*build.Ident); ok && id.Name != name {
					found, ferr = fd.resolve(rel, id.Name, depth+1)
				}
			})
			return found, ferr
		}
	}
	return nil, nil
}

// isRuleCall reports whether c declares a rule: rule(...), or a helper of
// the same file that passes its arguments on to rule() (rules_go's go_rule).
func isRuleCall(f *build.File, c *build.CallExpr) bool {
	id, ok := c.X.(*build.Ident)
	if !ok {
		return false
	}
	if id.Name == "rule" {
		return true
	}
	return id.Name == "go_rule" && kwarg(c, "attrs") != nil
}

func (fd *finder) ruleDef(rel string, f *build.File, kind string, c *build.CallExpr) (*ruleDef, error) {
	start, _ := c.Span()
	def := &ruleDef{File: rel, Line: start.Line, Kind: kind, Attrs: map[string]string{}, Tree: f}
	attrs := kwarg(c, "attrs")
	if attrs == nil {
		return nil, fmt.Errorf("%s:%d: %s = rule(...) has no attrs", rel, start.Line, kind)
	}
	if err := fd.collectAttrs(rel, f, attrs, def, 0); err != nil {
		return nil, err
	}
	return def, nil
}

// collectAttrs reads an attrs expression: a dict literal, a global that
// holds one, dict(a, **b), or a | b.
func (fd *finder) collectAttrs(rel string, f *build.File, e build.Expr, def *ruleDef, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: attrs nest too deep", rel)
	}
	pos, _ := e.Span()
	switch x := e.(type) {
	case *build.DictExpr:
		if def.Dict == nil {
			def.Dict = x
		}
		for _, kv := range x.List {
			key, ok := kv.Key.(*build.StringExpr)
			if !ok {
				return fmt.Errorf("%s:%d: an attribute name that is not a string literal", rel, pos.Line)
			}
			typ, ok := attrType(kv.Value)
			if !ok {
				return fmt.Errorf("%s:%d: attribute %q is not declared with attr.<type>(...)", rel, pos.Line, key.Value)
			}
			def.Attrs[key.Value] = typ
		}
		return nil
	case *build.Ident:
		for _, st := range f.Stmt {
			if a, ok := st.(*build.AssignExpr); ok {
				if id, ok := a.LHS.(*build.Ident); ok && id.Name == x.Name {
					return fd.collectAttrs(rel, f, a.RHS, def, depth+1)
				}
			}
		}
		return fmt.Errorf("%s:%d: attrs = %s, which is not a global of the file", rel, pos.Line, x.Name)
	case *build.BinaryExpr:
		if x.Op != "|" && x.Op != "+" {
			break
		}
		if err := fd.collectAttrs(rel, f, x.X, def, depth+1); err != nil {
			return err
		}
		return fd.collectAttrs(rel, f, x.Y, def, depth+1)
	case *build.CallExpr:
		id, ok := x.X.(*build.Ident)
		if !ok {
			break
		}
		if id.Name != "dict" {
			if !definesFunc(f, id.Name) {
				break
			}
			// A helper of the file that adds attributes or not (rules_go's
			// _if_legacy_toolchain({...})): the ones it may add count.
			for _, arg := range x.List {
				if d, ok := arg.(*build.DictExpr); ok {
					if err := fd.collectAttrs(rel, f, d, def, depth+1); err != nil {
						return err
					}
				}
			}
			return nil
		}
		for _, arg := range x.List {
			switch a := arg.(type) {
			case *build.UnaryExpr: // **more
				if err := fd.collectAttrs(rel, f, a.X, def, depth+1); err != nil {
					return err
				}
			case *build.AssignExpr: // name = attr.x()
				id, _ := a.LHS.(*build.Ident)
				typ, ok := attrType(a.RHS)
				if id == nil || !ok {
					return fmt.Errorf("%s:%d: dict(...) entry not understood", rel, pos.Line)
				}
				def.Attrs[id.Name] = typ
			default:
				if err := fd.collectAttrs(rel, f, a, def, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return fmt.Errorf("%s:%d: attrs expression %s is not understood", rel, pos.Line, build.FormatString(e))
}

// definesFunc reports whether f has a def of name.
func definesFunc(f *build.File, name string) bool {
	for _, st := range f.Stmt {
		if d, ok := st.(*build.DefStmt); ok && d.Name == name {
			return true
		}
	}
	return false
}

// attrType returns "label_list" for attr.label_list(...), and so on.
func attrType(e build.Expr) (string, bool) {
	c, ok := e.(*build.CallExpr)
	if !ok {
		return "", false
	}
	dot, ok := c.X.(*build.DotExpr)
	if !ok {
		return "", false
	}
	if id, ok := dot.X.(*build.Ident); !ok || id.Name != "attr" {
		return "", false
	}
	return dot.Name, true
}

// labelPath turns a load label into a path relative to the tree, for labels
// of the tree's own repository.
func (fd *finder) labelPath(from, label string) (string, bool) {
	switch {
	case strings.HasPrefix(label, "@io_bazel_rules_go//"), strings.HasPrefix(label, "@rules_go//"):
		label = label[strings.Index(label, "//"):]
	case strings.HasPrefix(label, "@"):
		return "", false
	}
	if rest, ok := strings.CutPrefix(label, "//"); ok {
		pkg, file, _ := strings.Cut(rest, ":")
		return filepath.ToSlash(filepath.Join(pkg, file)), true
	}
	if file, ok := strings.CutPrefix(label, ":"); ok {
		return filepath.ToSlash(filepath.Join(filepath.Dir(from), file)), true
	}
	return filepath.ToSlash(filepath.Join(filepath.Dir(from), label)), true
}

func kwarg(c *build.CallExpr, name string) build.Expr {
	for _, arg := range c.List {
		if a, ok := arg.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok && id.Name == name {
				return a.RHS
			}
		}
	}
	return nil
}
