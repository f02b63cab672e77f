package integration

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// The third-party modules the module-graph test shares between host and
// plugin, fetched through the module proxy: go-cmp's go.mod says go 1.21,
// uuid's has no go line (the go command assumes 1.16), xsync's says 1.24.
var graphModules = []struct{ path, version, repo string }{
	{"github.com/google/go-cmp", "v0.7.0", "com_github_google_go_cmp"},
	{"github.com/google/uuid", "v1.6.0", "com_github_google_uuid"},
	{"github.com/puzpuzpuz/xsync/v4", "v4.5.0", "com_github_puzpuzpuz_xsync_v4"},
}

// With go_mod, packages get the go command's positions (module@version/...
// for a dependency's files) and -lang (each module's go line), so a plugin
// built by `go build -trimpath` from the same go.mod/go.sum passes the
// validation of a host built here and loads into it, and a plugin built
// here loads into a `go build -trimpath` host; both builds' `go version -m`
// list the same modules.
func TestGoCommandModuleGraph(t *testing.T) {
	for _, m := range graphModules {
		downloadModule(t, m.path+"@"+m.version)
	}
	workspace := fmt.Sprintf(`go_plugin_register_toolchains(go_version = "host", go_mod = "//:go.mod")

local_repository(
    name = "io_bazel_rules_go",
    path = %q,
)
`, filepath.Join(repoRoot, "tests", "rules_go_standin"))
	known := map[string]string{}
	for _, m := range graphModules {
		known[m.path] = m.repo
	}
	for _, m := range graphModules {
		dir := filepath.Join(baseDir, "ws", t.Name()+"_"+m.repo)
		goRepository(t, downloadModule(t, m.path+"@"+m.version), m.path, m.repo, dir, known)
		workspace += fmt.Sprintf("\nlocal_repository(\n    name = %q,\n    path = %q,\n)\n", m.repo, dir)
	}
	third := `"@com_github_google_go_cmp//cmp:go_default_library", "@com_github_google_uuid//:go_default_library", "@com_github_puzpuzpuz_xsync_v4//:go_default_library"`
	files := map[string]string{
		"WORKSPACE": workspaceHeader(workspace),
		// go 1.24: the main module's packages get -lang=go1.24 from the go
		// command, not the toolchain's 1.26.
		"go.mod": "module example.com/mg\n\ngo 1.24\n\nrequire (\n" +
			"\tgithub.com/google/go-cmp v0.7.0\n\tgithub.com/google/uuid v1.6.0\n\tgithub.com/puzpuzpuz/xsync/v4 v4.5.0\n)\n",
		"BUILD.bazel": `exports_files(["go.mod"])`,
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go"],
    importpath = "example.com/mg/api",
    visibility = ["//visibility:public"],
    deps = ["@com_github_puzpuzpuz_xsync_v4//:go_default_library"],
)
`,
		"api/api.go": `package api

import "github.com/puzpuzpuz/xsync/v4"

// Greet is the type of the plugin's Greet symbol.
type Greet = func(string) string

// Seen counts greetings, in a map of a third-party module both sides share.
var Seen = xsync.NewMap[string, int]()
`,
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "alpha",
    srcs = ["alpha/alpha.go"],
    pluginpath = "example.com/mg/plugins/alpha",
    visibility = ["//visibility:public"],
    deps = ["//api", ` + third + `],
)
`,
		"plugins/alpha/alpha.go": `package main

import (
	"example.com/mg/api"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

var _ api.Greet = Greet

// Greet is looked up by the host.
func Greet(name string) string {
	api.Seen.Store(name, 1)
	diff := cmp.Diff("a", "a")
	return "alpha greets " + name + ", id " + uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)).String() + ", diff " + fmt.Sprint(len(diff))
}
`,
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_import")

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    importpath = "example.com/mg/host",
    plugins = ["//plugins:alpha"],
    deps = ["//api", ` + third + `],
)

go_plugin_import(name = "gobuilt", so = "gobuilt.so")

# The same host, validated against the plugin the go command built.
go_plugin_host(
    name = "host_gobuilt",
    srcs = ["main.go"],
    importpath = "example.com/mg/host",
    plugins = [":gobuilt"],
    deps = ["//api", ` + third + `],
)
`,
		"host/main.go": `package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/mg/api"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

func main() {
	fmt.Println("host", uuid.NewSHA1(uuid.NameSpaceURL, []byte("host")), cmp.Equal(1, 1))
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		sym, err := p.Lookup("Greet")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(sym.(api.Greet)("the host"))
		v, _ := api.Seen.Load("the host")
		fmt.Println("seen", v)
	}
}
`,
	}
	files["plugins/alpha/alpha.go"] = strings.Replace(files["plugins/alpha/alpha.go"], "import (\n", "import (\n\t\"fmt\"\n\n", 1)
	w := newWorkspace(t, files)
	goCmd := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = w.dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// go.sum as the user has it; the SDK setup reads it with go.mod.
	goCmd("mod", "tidy")
	goCmd("build", "-trimpath", "-buildmode=plugin", "-o", "host/gobuilt.so", "./plugins/alpha")
	goCmd("build", "-trimpath", "-o", "gohost", "./host")

	// The host's validation passes for both plugins, and the real host
	// loads the one the go command built.
	w.mustRun("build", "//host", "//host:host_gobuilt", "//plugins:alpha")
	want := "alpha greets the host, id " + uuidV5URL("the host") + ", diff 0\nseen 1\n"
	for _, run := range []struct{ host, plugin string }{
		{w.path("bazel-bin/host/host_gobuilt"), w.path("host/gobuilt.so")},
		{w.path("gohost"), w.path("bazel-bin/plugins/alpha/alpha.so")},
	} {
		if _, err := os.Stat(run.plugin); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(run.host, run.plugin).CombinedOutput()
		if err != nil || !strings.HasSuffix(string(out), want) {
			t.Errorf("%s %s: %v, want the output to end with\n%s\ngot:\n%s", run.host, run.plugin, err, want, out)
		}
	}

	// The reverse, checked as a user would before shipping: the go-built
	// host against the plugin built here.
	report := plugincheck.Check(readBinary(t, w.path("gohost")), []*plugincheck.Binary{readBinary(t, w.path("bazel-bin/plugins/alpha/alpha.so"))})
	if res := report.Plugins[0]; !res.Loads {
		t.Errorf("plugincheck: the plugin built here does not load into the go-built host: %+v", res)
	}

	// Same module lines in the build info of both builds.
	for _, pair := range [][2]string{
		{"bazel-bin/host/host", "gohost"},
		{"bazel-bin/plugins/alpha/alpha.so", "host/gobuilt.so"},
	} {
		got, want := moduleLines(t, w.path(pair[0])), moduleLines(t, w.path(pair[1]))
		if got != want {
			t.Errorf("go version -m %s:\n%s\nwant, as %s:\n%s", pair[0], got, pair[1], want)
		}
		if !strings.Contains(got, "dep\tgithub.com/google/go-cmp\tv0.7.0\th1:") {
			t.Errorf("go version -m %s lacks go-cmp's dep line:\n%s", pair[0], got)
		}
	}
}

// moduleLines are the mod, dep and => lines of `go version -m`.
func moduleLines(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("go", "version", "-m", file).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m %s: %v\n%s", file, err, out)
	}
	var lines []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.TrimPrefix(line, "\t")
		if strings.HasPrefix(f, "mod\t") || strings.HasPrefix(f, "dep\t") || strings.HasPrefix(f, "=>\t") {
			lines = append(lines, f)
		}
	}
	return strings.Join(lines, "\n")
}

// goRepository writes a module as Gazelle's go_repository lays it out: a
// copy of its packages (tests and testdata left out), each with a rules_go
// go_library named go_default_library, whose deps are the packages it
// imports from this module or from the known ones (module path ->
// repository name).
func goRepository(t *testing.T, modDir, modPath, repo, dest string, known map[string]string) {
	t.Helper()
	files := map[string]string{"WORKSPACE": fmt.Sprintf("workspace(name = %q)\n", repo)}
	pkgs := map[string][]string{} // directory -> Go files
	err := filepath.Walk(modDir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() && info.Name() == "testdata" {
			return filepath.SkipDir
		}
		if info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(modDir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[rel] = string(data)
		pkgs[filepath.Dir(rel)] = append(pkgs[filepath.Dir(rel)], rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, srcs := range pkgs {
		deps := map[string]bool{}
		var names []string
		for _, src := range srcs {
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(modDir, src), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				if label := depLabel(strings.Trim(imp.Path.Value, `"`), modPath, known); label != "" {
					deps[label] = true
				}
			}
			names = append(names, filepath.Base(src))
		}
		importpath := modPath
		if dir != "." {
			importpath += "/" + filepath.ToSlash(dir)
		}
		sort.Strings(names)
		var depList []string
		for d := range deps {
			depList = append(depList, fmt.Sprintf("%q", d))
		}
		sort.Strings(depList)
		files[filepath.Join(dir, "BUILD.bazel")] = fmt.Sprintf(`load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = "go_default_library",
    srcs = %s,
    importpath = %q,
    visibility = ["//visibility:public"],
    deps = [%s],
)
`, starlarkList(names), importpath, strings.Join(depList, ", "))
	}
	writeTree(t, dest, files)
}

// depLabel is the label of an imported package of modPath or of a known
// module; "" for std (and anything else).
func depLabel(imp, modPath string, known map[string]string) string {
	best, repo := "", ""
	for path, r := range known {
		if (imp == path || strings.HasPrefix(imp, path+"/")) && len(path) > len(best) {
			best, repo = path, r
		}
	}
	if best == "" {
		return ""
	}
	pkg := strings.TrimPrefix(strings.TrimPrefix(imp, best), "/")
	if best == modPath {
		return "//" + pkg + ":go_default_library"
	}
	return "@" + repo + "//" + pkg + ":go_default_library"
}

func starlarkList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
