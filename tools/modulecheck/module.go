package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bazelbuild/buildtools/build"
)

// moduleCheck holds what a MODULE.bazel has declared so far, in file order.
type moduleCheck struct {
	path      string
	dir       string
	name      string
	deps      map[string]string     // repo name -> module name (bazel_dep)
	overrides map[string]string     // module name -> directory (local_path_override)
	proxies   map[string]*extension // variable -> extension (use_extension)
	repos     map[string]*extension // repo name -> extension that declares it (use_repo)
	problems  []string
}

// CheckModule checks one MODULE.bazel and returns its problems, each
// prefixed with file:line.
func CheckModule(path string) ([]string, error) {
	f, err := parseFile(path, build.ParseModule)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	m := &moduleCheck{
		path: path, dir: filepath.Dir(abs),
		deps: map[string]string{}, overrides: map[string]string{},
		proxies: map[string]*extension{}, repos: map[string]*extension{},
	}
	// Overrides may come after the bazel_dep they serve; read them first.
	for _, st := range f.Stmt {
		if c, ok := st.(*build.CallExpr); ok && callName(c) == "local_path_override" {
			m.localPathOverride(c)
		}
	}
	for _, st := range f.Stmt {
		m.stmt(st)
	}
	if m.name == "" {
		m.problems = append(m.problems, fmt.Sprintf("%s: no module(name = ...)", path))
	}
	return m.problems, nil
}

func (m *moduleCheck) errorf(e build.Expr, format string, args ...any) {
	line, _ := e.Span()
	m.problems = append(m.problems, fmt.Sprintf("%s:%d: %s", m.path, line.Line, fmt.Sprintf(format, args...)))
}

func (m *moduleCheck) stmt(st build.Expr) {
	switch x := st.(type) {
	case *build.CallExpr:
		m.call(x, "")
	case *build.AssignExpr:
		id, okID := x.LHS.(*build.Ident)
		c, okCall := x.RHS.(*build.CallExpr)
		if !okID || !okCall {
			m.errorf(x, "only `name = use_extension(...)` assignments are checked; this one is not understood")
			return
		}
		m.call(c, id.Name)
	case *build.CommentBlock:
	default:
		m.errorf(st, "unexpected statement")
	}
}

func (m *moduleCheck) call(c *build.CallExpr, assignTo string) {
	name := callName(c)
	switch name {
	case "module":
		m.name, _ = str(kwarg(c, "name"))
	case "bazel_dep":
		dep, _ := str(kwarg(c, "name"))
		repo, ok := str(kwarg(c, "repo_name"))
		if !ok {
			repo = dep
		}
		m.deps[repo] = dep
	case "local_path_override":
	case "use_extension":
		m.useExtension(c, assignTo)
	case "use_repo":
		m.useRepo(c)
	case "register_toolchains":
		for _, a := range positional(c) {
			if s, ok := str(a); ok {
				m.registerToolchain(a, s)
			}
		}
	default:
		if ext, tag, ok := strings.Cut(name, "."); ok {
			m.tag(c, ext, tag)
			return
		}
		m.errorf(c, "unknown MODULE.bazel function %s", name)
	}
}

func (m *moduleCheck) localPathOverride(c *build.CallExpr) {
	mod, _ := str(kwarg(c, "module_name"))
	rel, _ := str(kwarg(c, "path"))
	dir := filepath.Join(m.dir, rel)
	if filepath.IsAbs(rel) {
		dir = rel // Bazel takes an absolute path as is (the integration tests' workspaces use one)
	}
	f, err := parseFile(filepath.Join(dir, "MODULE.bazel"), build.ParseModule)
	if err != nil {
		m.errorf(c, "local_path_override of %s: %v", mod, err)
		return
	}
	for _, st := range f.Stmt {
		if mc, ok := st.(*build.CallExpr); ok && callName(mc) == "module" {
			if got, _ := str(kwarg(mc, "name")); got != mod {
				m.errorf(c, "local_path_override: %s holds module %q, not %q", dir, got, mod)
				return
			}
		}
	}
	m.overrides[mod] = dir
}

// resolve turns a label of a .bzl file into a path: "//pkg:f.bzl" in the
// module of `from`, or "@repo//pkg:f.bzl" of this module or a dep with a
// local_path_override.
func (m *moduleCheck) resolve(label, from string) (string, error) {
	root := m.dir
	if from != "" {
		root = moduleRoot(from)
	}
	if strings.HasPrefix(label, ":") {
		return filepath.Join(filepath.Dir(from), label[1:]), nil
	}
	if strings.HasPrefix(label, "@") {
		repo, rest, ok := strings.Cut(strings.TrimLeft(label, "@"), "//")
		if !ok {
			return "", fmt.Errorf("label %s has no //", label)
		}
		switch {
		case repo == m.name:
			root = m.dir
		case m.overrides[m.deps[repo]] != "":
			root = m.overrides[m.deps[repo]]
		default:
			return "", fmt.Errorf("label %s: repository @%s is neither this module nor a bazel_dep with a local_path_override", label, repo)
		}
		label = "//" + rest
	}
	pkg, file, ok := strings.Cut(strings.TrimPrefix(label, "//"), ":")
	if !ok {
		return "", fmt.Errorf("label %s names no file", label)
	}
	return filepath.Join(root, pkg, file), nil
}

// moduleRoot is the nearest directory above file with a MODULE.bazel.
func moduleRoot(file string) string {
	dir := filepath.Dir(file)
	for {
		if _, err := os.Stat(filepath.Join(dir, "MODULE.bazel")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Dir(file)
		}
		dir = parent
	}
}

func (m *moduleCheck) useExtension(c *build.CallExpr, assignTo string) {
	args := positional(c)
	if assignTo == "" || len(args) != 2 {
		m.errorf(c, "use_extension must be assigned and take a .bzl label and an extension name")
		return
	}
	label, ok1 := str(args[0])
	name, ok2 := str(args[1])
	if !ok1 || !ok2 {
		m.errorf(c, "use_extension arguments must be string literals")
		return
	}
	file, err := m.resolve(label, "")
	if err == nil {
		var ext *extension
		if ext, err = readExtension(file, name, m.resolve); err == nil {
			m.proxies[assignTo] = ext
			return
		}
	}
	m.errorf(c, "use_extension(%q, %q): %v", label, name, err)
}

func (m *moduleCheck) tag(c *build.CallExpr, proxy, tag string) {
	ext, ok := m.proxies[proxy]
	if !ok {
		m.errorf(c, "%s.%s: %s is not an extension from use_extension", proxy, tag, proxy)
		return
	}
	attrs, ok := ext.tags[tag]
	if !ok {
		m.errorf(c, "%s.%s: the extension in %s has no tag class %q (it has %s)", proxy, tag, ext.file, tag, keys(ext.tags))
		return
	}
	given := map[string]bool{}
	for _, a := range c.List {
		as, ok := a.(*build.AssignExpr)
		if !ok {
			m.errorf(c, "%s.%s takes keyword arguments only", proxy, tag)
			continue
		}
		k := as.LHS.(*build.Ident).Name
		given[k] = true
		if _, ok := attrs[k]; !ok {
			m.errorf(c, "%s.%s: tag class %q has no attribute %q (it has %s)", proxy, tag, tag, k, keys(attrs))
		}
	}
	for k, mandatory := range attrs {
		if mandatory && !given[k] {
			m.errorf(c, "%s.%s: mandatory attribute %q is missing", proxy, tag, k)
		}
	}
}

func (m *moduleCheck) useRepo(c *build.CallExpr) {
	args := positional(c)
	if len(args) == 0 {
		m.errorf(c, "use_repo needs an extension")
		return
	}
	var ext *extension
	if id, ok := args[0].(*build.Ident); ok {
		ext = m.proxies[id.Name]
	}
	if ext == nil {
		m.errorf(c, "use_repo: first argument is not an extension from use_extension")
		return
	}
	check := func(e build.Expr, local string) {
		repo, ok := str(e)
		if !ok {
			m.errorf(c, "use_repo: repository names must be string literals")
			return
		}
		if !ext.repos[repo] {
			m.errorf(c, "use_repo: the extension in %s declares no repository %q (it declares %s)", ext.file, repo, keys(ext.repos))
			return
		}
		if local == "" {
			local = repo
		}
		m.repos[local] = ext
	}
	for _, a := range args[1:] {
		check(a, "")
	}
	for _, a := range c.List {
		if as, ok := a.(*build.AssignExpr); ok {
			check(as.RHS, as.LHS.(*build.Ident).Name)
		}
	}
}

func (m *moduleCheck) registerToolchain(e build.Expr, label string) {
	if !strings.HasPrefix(label, "@") {
		return // a label of this module; Bazel checks it when it loads the package
	}
	repo, target, _ := strings.Cut(strings.TrimLeft(label, "@"), "//")
	_, name, _ := strings.Cut(target, ":")
	if ext := m.repos[repo]; ext != nil {
		if name != "all" && !ext.toolchains[name] {
			m.errorf(e, "register_toolchains(%q): repository @%s (from %s) defines no toolchain %q (it defines %s)", label, repo, ext.file, name, keys(ext.toolchains))
		}
		return
	}
	if _, ok := m.deps[repo]; ok || repo == m.name {
		return
	}
	m.errorf(e, "register_toolchains(%q): repository @%s is not in scope; add it with use_repo or bazel_dep", label, repo)
}

func keys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	if len(ks) == 0 {
		return "none"
	}
	return strings.Join(ks, ", ")
}
