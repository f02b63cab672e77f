// Package starlarkcheck finds Starlark that Bazel 7, 8 or 9 removed or
// changed, so files written on Bazel 4.2.3 keep working there: native rules
// and providers used without a load, cfg = "host", deprecated label APIs,
// globs that may match nothing without allow_empty, the mandatory C++
// toolchain alias, and actions that run a tool without naming its
// toolchain (automatic exec groups).
//
// A finding on a line with a comment "# starlarkcheck: <why>" is accepted:
// the reason says why the line is right on every Bazel it runs on. A line
// "# starlarkcheck-file: <why>" exempts the whole file (Bazel 4 stand-ins).
package starlarkcheck

import (
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/bazelbuild/buildtools/build"
)

// A Finding is one problem: where, what, and how to fix it.
type Finding struct {
	File string
	Line int
	Msg  string
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Msg) }

// Kind says how a file is parsed and what it may hold.
type Kind int

const (
	BUILD Kind = iota
	Bzl
	Workspace
	Module
)

// KindOf returns the kind of a file by its name, and false for a file that
// is not Starlark.
func KindOf(name string) (Kind, bool) {
	base := path.Base(name)
	switch {
	case base == "BUILD" || base == "BUILD.bazel":
		return BUILD, true
	case strings.HasSuffix(base, ".bzl"):
		return Bzl, true
	case base == "WORKSPACE" || base == "WORKSPACE.bazel" || base == "WORKSPACE.bzlmod":
		return Workspace, true
	case base == "MODULE.bazel" || strings.HasSuffix(base, ".MODULE.bazel"):
		return Module, true
	}
	return 0, false
}

// RunHelper is the file whose ctx.actions.run is the one every rule goes
// through (it passes the toolchain parameter where Bazel has it).
const RunHelper = "go_plugin/private/actions/run.bzl"

// Check checks one file. name is its path relative to the repository (for
// messages); pkgFS, when not nil, holds the files of its package, to tell
// whether a BUILD file's glob matches anything.
func Check(name string, data []byte, pkgFS fs.FS) ([]Finding, error) {
	kind, ok := KindOf(name)
	if !ok {
		return nil, fmt.Errorf("%s: not a BUILD, .bzl, WORKSPACE or MODULE.bazel file", name)
	}
	var f *build.File
	var err error
	switch kind {
	case BUILD:
		f, err = build.ParseBuild(name, data)
	case Bzl:
		f, err = build.ParseBzl(name, data)
	case Workspace:
		f, err = build.ParseWorkspace(name, data)
	case Module:
		f, err = build.ParseModule(name, data)
	}
	if err != nil {
		return nil, err
	}
	if exempt(data) {
		return nil, nil
	}
	c := &checker{name: name, kind: kind, lines: strings.Split(string(data), "\n"), defined: definedNames(f), pkgFS: pkgFS}
	build.Walk(f, c.visit)
	return c.findings, nil
}

func exempt(data []byte) bool {
	for _, l := range strings.Split(string(data), "\n") {
		if why, ok := strings.CutPrefix(strings.TrimSpace(l), "# starlarkcheck-file:"); ok && strings.TrimSpace(why) != "" {
			return true
		}
	}
	return false
}

type checker struct {
	name     string
	kind     Kind
	lines    []string
	defined  map[string]bool
	pkgFS    fs.FS
	findings []Finding
}

func (c *checker) report(x build.Expr, format string, args ...any) {
	start, _ := x.Span()
	line := start.Line
	if line >= 1 && line <= len(c.lines) {
		if _, why, ok := strings.Cut(c.lines[line-1], "# starlarkcheck:"); ok && strings.TrimSpace(why) != "" {
			return
		}
	}
	c.findings = append(c.findings, Finding{File: c.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// definedNames are the names a file binds itself (loads, assignments, defs,
// parameters, loop variables), which shadow the globals.
func definedNames(f *build.File) map[string]bool {
	out := map[string]bool{}
	var bind func(x build.Expr)
	bind = func(x build.Expr) {
		switch x := x.(type) {
		case *build.Ident:
			out[x.Name] = true
		case *build.TupleExpr:
			for _, e := range x.List {
				bind(e)
			}
		case *build.ListExpr:
			for _, e := range x.List {
				bind(e)
			}
		}
	}
	build.Walk(f, func(x build.Expr, _ []build.Expr) {
		switch x := x.(type) {
		case *build.LoadStmt:
			for _, to := range x.To {
				out[to.Name] = true
			}
		case *build.AssignExpr:
			bind(x.LHS)
		case *build.DefStmt:
			out[x.Name] = true
			for _, p := range x.Params {
				if a, ok := p.(*build.AssignExpr); ok {
					bind(a.LHS)
				} else if u, ok := p.(*build.UnaryExpr); ok {
					bind(u.X)
				} else {
					bind(p)
				}
			}
		case *build.ForStmt:
			bind(x.Vars)
		case *build.ForClause:
			bind(x.Vars)
		case *build.LambdaExpr:
			for _, p := range x.Params {
				bind(p)
			}
		}
	})
	return out
}

func (c *checker) visit(x build.Expr, stk []build.Expr) {
	switch x := x.(type) {
	case *build.Ident:
		if from, ok := removedGlobals[x.Name]; ok && !c.defined[x.Name] && !isKeyword(x, stk) {
			c.report(x, "%s is not a global in Bazel 9; load it from %s", x.Name, from)
		}
	case *build.DotExpr:
		c.dot(x, stk)
	case *build.CallExpr:
		c.call(x)
	case *build.StringExpr:
		if strings.Contains(x.Value, "@bazel_tools//tools/cpp:current_cc_toolchain") {
			c.report(x, "@bazel_tools//tools/cpp:current_cc_toolchain needs a C++ toolchain for the target platform on Bazel 7+ (analysis fails without one); declare the C++ toolchain type optional (config_common.toolchain_type(..., mandatory = False)) and read ctx.toolchains, as go_plugin/private/context.bzl does")
		}
	}
}

// isKeyword reports whether the identifier is a keyword argument's name or
// a struct field being set, not a use of the global.
func isKeyword(id *build.Ident, stk []build.Expr) bool {
	if len(stk) == 0 {
		return false
	}
	a, ok := stk[len(stk)-1].(*build.AssignExpr)
	return ok && a.LHS == build.Expr(id)
}

func (c *checker) dot(x *build.DotExpr, stk []build.Expr) {
	if id, ok := x.X.(*build.Ident); ok && id.Name == "native" {
		if from, ok := removedGlobals[x.Name]; ok {
			c.report(x, "native.%s is gone in Bazel 9; load %s from %s", x.Name, x.Name, from)
		}
	}
	switch x.Name {
	case "workspace_name":
		// ctx.workspace_name (the main repository's name) stays;
		// Label.workspace_name is hidden by --incompatible_enable_deprecated_label_apis.
		if id, ok := x.X.(*build.Ident); !ok || !isContext(id.Name) {
			c.report(x, "Label.workspace_name is deprecated (canonical names differ by Bazel version; hidden by --incompatible_enable_deprecated_label_apis); use a name that does not depend on Bazel's repository mangling, as go_plugin/private/pluginpath.bzl does")
		}
	case "host_configuration", "host_fragments":
		c.report(x, "ctx.%s is gone since Bazel 7 (no host configuration); use the exec configuration", x.Name)
	case "run", "run_shell":
		if a, ok := x.X.(*build.DotExpr); ok && a.Name == "actions" && len(stk) > 0 {
			if call, ok := stk[len(stk)-1].(*build.CallExpr); ok && call.X == build.Expr(x) {
				c.report(x, "actions.%s outside %s: with --incompatible_auto_exec_groups (Bazel 7+) an action needs toolchain = ..., which Bazel 4 does not take; call run_action or run_builder from that file", x.Name, RunHelper)
			}
		}
	case "relative":
		if len(stk) > 0 {
			if call, ok := stk[len(stk)-1].(*build.CallExpr); ok && call.X == build.Expr(x) {
				c.report(x, "Label.relative is deprecated (hidden by --incompatible_enable_deprecated_label_apis); use Label.same_package_label or Label(...) in the .bzl file")
			}
		}
	}
}

func isContext(name string) bool {
	switch name {
	case "ctx", "rctx", "repository_ctx", "module_ctx", "mctx":
		return true
	}
	return false
}

func (c *checker) call(x *build.CallExpr) {
	for _, arg := range x.List {
		a, ok := arg.(*build.AssignExpr)
		if !ok {
			continue
		}
		key, _ := a.LHS.(*build.Ident)
		if key == nil {
			continue
		}
		switch key.Name {
		case "cfg":
			if s, ok := a.RHS.(*build.StringExpr); ok && s.Value == "host" {
				c.report(a, `cfg = "host" is gone since Bazel 7; use cfg = "exec"`)
			}
		case "relative_to_caller_repository":
			c.report(a, "relative_to_caller_repository is gone since Bazel 7 (and does not exist under bzlmod); write Label(...) in the .bzl file that knows the repository")
		}
	}
	name := ""
	switch fn := x.X.(type) {
	case *build.Ident:
		name = fn.Name
	case *build.DotExpr:
		if id, ok := fn.X.(*build.Ident); ok && id.Name == "native" {
			name = fn.Name
		}
	}
	if name == "glob" {
		c.glob(x)
	}
}

// glob: Bazel 8 flipped --incompatible_disallow_empty_glob, so a glob that
// matches nothing fails unless it says allow_empty = True.
func (c *checker) glob(x *build.CallExpr) {
	var include, exclude []string
	for i, arg := range x.List {
		if a, ok := arg.(*build.AssignExpr); ok {
			key, _ := a.LHS.(*build.Ident)
			if key == nil {
				continue
			}
			switch key.Name {
			case "allow_empty":
				return
			case "include":
				include = stringList(a.RHS)
			case "exclude":
				exclude = stringList(a.RHS)
			}
			continue
		}
		if i == 0 {
			include = stringList(arg)
		} else if i == 1 {
			exclude = stringList(arg)
		}
	}
	if c.kind != BUILD || c.pkgFS == nil || include == nil {
		c.report(x, "glob without allow_empty: Bazel 8+ fails when it matches nothing, which cannot be told here; say allow_empty = True or False")
		return
	}
	if !globMatches(c.pkgFS, include, exclude) {
		c.report(x, "glob(%q) matches no file of the package: Bazel 8+ fails on an empty glob; fix the pattern, or say allow_empty = True", include)
	}
}

// stringList returns a list of string literals, or nil when it is anything
// else (a computed list: the check cannot evaluate it).
func stringList(x build.Expr) []string {
	l, ok := x.(*build.ListExpr)
	if !ok {
		return nil
	}
	out := []string{}
	for _, e := range l.List {
		s, ok := e.(*build.StringExpr)
		if !ok {
			return nil
		}
		out = append(out, s.Value)
	}
	return out
}
