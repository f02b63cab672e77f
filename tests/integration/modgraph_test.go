package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// The third-party modules the module-graph test shares between host and
// plugin (testdata/modgraph's go.mod and go.sum), fetched through the module
// proxy: go-cmp's go.mod says go 1.21, uuid's has no go line (the go
// command assumes 1.16), xsync's says 1.24.
var graphModDir = filepath.Join("testdata", "modgraph")

// With go_mod, packages get the go command's positions (module@version/...
// for a dependency's files) and -lang (each module's go line), so a plugin
// built by `go build -trimpath` from the same go.mod/go.sum passes the
// validation of a host built here and loads into it, and a plugin built
// here loads into a `go build -trimpath` host; both builds' `go version -m`
// list the same modules.
func TestGoCommandModuleGraph(t *testing.T) {
	workspace := fmt.Sprintf(`go_plugin_register_toolchains(go_version = "host", go_mod = "//:go.mod")

local_repository(
    name = "io_bazel_rules_go",
    path = %q,
)

`, filepath.Join(repoRoot, "tests", "rules_go_standin")) + goRepositories(t, "modgraph", filepath.Join(repoRoot, "tests", "integration", graphModDir))
	third := `"@com_github_google_go_cmp//cmp:go_default_library", "@com_github_google_uuid//:go_default_library", "@com_github_puzpuzpuz_xsync_v4//:go_default_library"`
	files := map[string]string{
		"WORKSPACE": workspaceHeader(workspace),
		// go 1.24: the main module's packages get -lang=go1.24 from the go
		// command, not the toolchain's 1.26.
		"go.mod":      readTestdata(t, graphModDir, "go.mod"),
		"go.sum":      readTestdata(t, graphModDir, "go.sum"),
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

	// Each std package is built once per variant, by go_stdlib: the SDK's
	// setup listed every package's std imports from go.mod, the third-party
	// ones included, so no compile builds std of its own.
	if built := stdBuiltByCompiles(t, w.path("bazel-bin")); len(built) > 0 {
		t.Errorf("compiles built std packages themselves, which the setup's listing should have covered: %s", strings.Join(built, ", "))
	}
	for _, variant := range []string{"stdlib_normal", "stdlib_dynlink"} {
		// Imported by uuid only: there from the listing, not the prediction.
		a := w.path("bazel-bin/external/rules_go_plugin/go_plugin/private/" + variant + "/database/sql/driver.a")
		if _, err := os.Stat(a); err != nil {
			t.Errorf("go_stdlib did not build uuid's std import: %v", err)
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

	// Last, as it changes api: an import the listing has not seen (go.mod
	// unchanged, so the setup is not rerun) is built by the importing compile itself, and the
	// build stays correct.
	api := w.path("api/api.go")
	src, err := os.ReadFile(api)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "import \"github.com/puzpuzpuz/xsync/v4\"", "import (\n\t_ \"container/ring\"\n\n\t\"github.com/puzpuzpuz/xsync/v4\"\n)", 1)
	if edited == string(src) {
		t.Fatal("api.go: the import to edit is not there")
	}
	if err := os.WriteFile(api, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	w.mustRun("build", "//host", "//plugins:alpha")
	if built := stdBuiltByCompiles(t, w.path("bazel-bin")); strings.Join(built, " ") != "api/_go/api.a.std/container/ring.a api/_go/api.dynlink.a.std/container/ring.a" {
		t.Errorf("after importing container/ring (which no std package imports) in api, the compiles built %q, want container/ring in api's two variants only", built)
	}
	if out, err := exec.Command(w.path("bazel-bin/host/host"), w.path("bazel-bin/plugins/alpha/alpha.so")).CombinedOutput(); err != nil || !strings.HasSuffix(string(out), want) {
		t.Errorf("after the edit, the host does not load alpha: %v\n%s", err, out)
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

// stdBuiltByCompiles lists the std archives compiles built themselves (the
// .a files in their .std trees), relative to bin and sorted.
func stdBuiltByCompiles(t *testing.T, bin string) []string {
	t.Helper()
	root, err := filepath.EvalSymlinks(bin)
	if err != nil {
		t.Fatal(err)
	}
	var built []string
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasSuffix(path, ".runfiles") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".a") && strings.Contains(path, ".a.std/") {
			rel, _ := filepath.Rel(root, path)
			built = append(built, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(built)
	return built
}
