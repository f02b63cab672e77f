package pluginlang_test

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
)

// The BUILD file users build this language with cannot be built here (no
// rules_go on Bazel 4.2.3), so it is checked statically: its srcs are the
// package's files, its deps the package's imports, each dep a go_library of
// the Gazelle module go.mod pins, its load a rule of the rules_go module
// that Gazelle requires, and this module's MODULE.bazel asks for those same
// versions; the rules' MODULE.bazel asks for neither.

const (
	thisImportPath   = "github.com/rules-go-plugin/rules_go_plugin/gazelle"
	gazelleModule    = "github.com/bazelbuild/bazel-gazelle"
	rulesGoModule    = "github.com/bazelbuild/rules_go"
	gazelleRepo      = "@bazel_gazelle"
	rulesGoRepo      = "@io_bazel_rules_go"
	rulesGoDefs      = rulesGoRepo + "//go:def.bzl"
	buildFileForUser = "BUILD.bazel"
	languageModule   = "rules_go_plugin_gazelle"
)

func TestBuildFileForUsers(t *testing.T) {
	f := parseStarlark(t, buildFileForUser, build.ParseBuild)
	lib := onlyCall(t, f, "go_library")

	if got := loadedFrom(f, "go_library"); got != rulesGoDefs {
		t.Errorf("%s: go_library is loaded from %q, want %q", buildFileForUser, got, rulesGoDefs)
	}
	if got := lib.AttrString("importpath"); got != thisImportPath {
		t.Errorf("%s: importpath = %q, want %q", buildFileForUser, got, thisImportPath)
	}

	srcs, imports := packageFiles(t)
	if got := lib.AttrStrings("srcs"); !reflect.DeepEqual(got, srcs) {
		t.Errorf("%s: srcs = %q, want the package's files %q", buildFileForUser, got, srcs)
	}
	var want []string
	for _, imp := range imports {
		rel, ok := strings.CutPrefix(imp, gazelleModule+"/")
		if !ok {
			t.Errorf("the package imports %s, which is neither the standard library nor Gazelle: add its repository to %s and to this test", imp, buildFileForUser)
			continue
		}
		want = append(want, gazelleRepo+"//"+rel)
	}
	sort.Strings(want)
	deps := lib.AttrStrings("deps")
	if !reflect.DeepEqual(deps, want) {
		t.Errorf("%s: deps = %q, want one per import: %q", buildFileForUser, deps, want)
	}

	gazelleDir, gazelleVersion := moduleDir(t, gazelleModule)
	for _, dep := range deps {
		pkg := strings.TrimPrefix(dep, gazelleRepo+"//")
		checkGoLibrary(t, filepath.Join(gazelleDir, pkg, "BUILD.bazel"), path.Base(pkg), gazelleModule+"/"+pkg)
	}
	rulesGoDir, rulesGoVersion := moduleDir(t, rulesGoModule)
	checkExports(t, filepath.Join(rulesGoDir, "go", "def.bzl"), "go_library")

	module := parseStarlark(t, "MODULE.bazel", build.ParseModule)
	if got := moduleName(module); got != languageModule {
		t.Errorf("%s: module name %q, want %q (the name docs/gazelle.md gives users)", module.Path, got, languageModule)
	}
	checkBazelDep(t, module, "gazelle", strings.TrimPrefix(gazelleRepo, "@"), gazelleVersion)
	checkBazelDep(t, module, "rules_go", strings.TrimPrefix(rulesGoRepo, "@"), rulesGoVersion)
}

// The rules' module does not depend on rules_go or Gazelle: version
// resolution would raise every user's to at least those.
func TestRulesModuleHasNoGoOrGazelleDep(t *testing.T) {
	module := parseStarlark(t, filepath.Join("..", "MODULE.bazel"), build.ParseModule)
	for _, r := range module.Rules("bazel_dep") {
		if name := r.AttrString("name"); name == "rules_go" || name == "gazelle" {
			t.Errorf("%s: bazel_dep(name = %q) belongs in gazelle/MODULE.bazel (module %s), the only part that needs it", module.Path, name, languageModule)
		}
	}
}

func moduleName(f *build.File) string {
	for _, r := range f.Rules("module") {
		return r.AttrString("name")
	}
	return ""
}

func parseStarlark(t *testing.T, file string, parse func(string, []byte) (*build.File, error)) *build.File {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func onlyCall(t *testing.T, f *build.File, kind string) *build.Rule {
	t.Helper()
	rules := f.Rules(kind)
	if len(rules) != 1 {
		t.Fatalf("%s: want one %s, found %d", f.Path, kind, len(rules))
	}
	return rules[0]
}

func loadedFrom(f *build.File, symbol string) string {
	for _, st := range f.Stmt {
		if load, ok := st.(*build.LoadStmt); ok {
			for _, to := range load.To {
				if to.Name == symbol {
					return load.Module.Value
				}
			}
		}
	}
	return ""
}

// packageFiles lists the package's non-test Go files and the imports they
// make outside the standard library, both sorted.
func packageFiles(t *testing.T) (srcs, imports []string) {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		srcs = append(srcs, name)
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(p, "/"); strings.Contains(first, ".") && !seen[p] {
				seen[p] = true
				imports = append(imports, p)
			}
		}
	}
	sort.Strings(srcs)
	sort.Strings(imports)
	return srcs, imports
}

// moduleDir downloads (through the module proxy, or from the module cache)
// the version of a module that go.mod selects.
func moduleDir(t *testing.T, module string) (dir, version string) {
	t.Helper()
	out, err := exec.Command("go", "mod", "download", "-json", module).Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v", module, err)
	}
	var m struct{ Dir, Version string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go mod download %s: %v\n%s", module, err, out)
	}
	return m.Dir, strings.TrimPrefix(m.Version, "v")
}

// checkGoLibrary checks that a BUILD file of the Gazelle module declares the
// go_library a dep names, for the import path the package imports.
func checkGoLibrary(t *testing.T, buildFile, name, importpath string) {
	t.Helper()
	f := parseStarlark(t, buildFile, build.ParseBuild)
	for _, r := range f.Rules("go_library") {
		if r.Name() == name {
			if got := r.AttrString("importpath"); got != importpath {
				t.Errorf("%s: go_library %s has importpath %q, want %q", buildFile, name, got, importpath)
			}
			return
		}
	}
	t.Errorf("%s declares no go_library %q: the dep does not exist in this Gazelle version", buildFile, name)
}

// checkExports checks that a .bzl file defines a top-level name.
func checkExports(t *testing.T, bzl, symbol string) {
	t.Helper()
	f := parseStarlark(t, bzl, build.ParseBzl)
	for _, st := range f.Stmt {
		if a, ok := st.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok && id.Name == symbol {
				return
			}
		}
	}
	t.Errorf("%s defines no %s", bzl, symbol)
}

// checkBazelDep checks that MODULE.bazel depends on a module at the version
// go.mod pins, under the repository name gazelle/BUILD.bazel uses.
func checkBazelDep(t *testing.T, f *build.File, name, repo, version string) {
	t.Helper()
	for _, r := range f.Rules("bazel_dep") {
		if r.AttrString("name") != name {
			continue
		}
		if got := r.AttrString("version"); got != version {
			t.Errorf("%s: bazel_dep %s version %q, but go.mod selects %s (the version the Gazelle language is built and tested against)", f.Path, name, got, version)
		}
		if got := r.AttrString("repo_name"); got != repo {
			t.Errorf("%s: bazel_dep %s repo_name %q, want %q as gazelle/BUILD.bazel names it", f.Path, name, got, repo)
		}
		return
	}
	t.Errorf("%s has no bazel_dep(name = %q): users' gazelle_binary cannot build @rules_go_plugin_gazelle//:gazelle without it", f.Path, name)
}
