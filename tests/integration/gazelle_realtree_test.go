package integration

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A tree shaped as real plugin servers are (issue 22): the server reaches
// "plugin" only through its own library, the plugins declare a func main
// that panics (or is empty), the shared API's package clause is not the last
// element of its import path, and one host and its test were edited by hand.
var realTreeFiles = map[string]string{
	"go.mod": "module example.com/srv\n\ngo 1.26\n",
	"BUILD.bazel": `# gazelle:go_plugin_host_plugins //plugins/...
# gazelle:map_kind go_library go_library @rules_go_plugin//go_plugin:defs.bzl
`,
	"plugin-api/api.go": `// Package plugin is what plugins implement; users write plugin.NameFunc.
package plugin

// NameFunc is the type of a plugin's Name.
type NameFunc = func() string
`,
	"internal/pluginload/load.go": `// Package pluginload is the one package that imports "plugin".
package pluginload

import (
	goplugin "plugin"

	"example.com/srv/plugin-api"
)

// Open opens each plugin and asks its name, as the host's types say.
func Open(paths []string) error {
	for _, p := range paths {
		pl, err := goplugin.Open(p)
		if err != nil {
			return err
		}
		name, err := pl.Lookup("Name")
		if err != nil {
			return err
		}
		println(name.(plugin.NameFunc)())
	}
	return nil
}
`,
	"cmd/server/main.go": `package main

import (
	"os"

	"example.com/srv/internal/pluginload"
)

func main() {
	if err := pluginload.Open(os.Args[1:]); err != nil {
		panic(err)
	}
}
`,
	"cmd/edited/main.go": `package main

import (
	"os"

	"example.com/srv/internal/pluginload"
)

var version string

func main() {
	println(version)
	if err := pluginload.Open(os.Args[1:]); err != nil {
		panic(err)
	}
}
`,
	// Edited by hand: its own name, an x_defs, and a test with symbols
	// qualified by the API's package clause.
	"cmd/edited/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_test")

go_plugin_host(
    name = "edited_server",
    srcs = ["main.go"],
    x_defs = {"version": "1.0"},
    deps = ["//internal/pluginload"],
)

go_plugin_test(
    name = "symbols_test",
    host = ":edited_server",
    symbols = {"Name": "plugin.NameFunc"},
    deps = ["//plugin-api"],
)
`,
	// Hand-written where Gazelle generates nothing: a check of the echo
	// plugin with the API named by an explicit alias.
	"checks/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_test")

go_plugin_test(
    name = "alias_test",
    host = "//cmd/server",
    imports = {"papi": "example.com/srv/plugin-api"},
    plugins = ["//plugins/echo"],
    symbols = {"Name": "papi.NameFunc"},
    deps = ["//plugin-api"],
)
`,
	"plugins/echo/echo.go": `package main

import "example.com/srv/plugin-api"

var _ plugin.NameFunc = Name

// Name is what the server looks up.
func Name() string { return "echo" }

func main() {
	panic("this should be built as go plugin")
}
`,
	"plugins/quiet/quiet.go": `package main

// Name is what the server looks up.
func Name() string { return "quiet" }

func main() {}
`,
}

// Gazelle writes BUILD files for the real-shaped tree that build and pass
// bazel test //..., keeps the hand-edited host and test, and a second run
// changes nothing. It runs as users from the checkout do: -repo_root alone.
func TestGazelleRealTree(t *testing.T) {
	files := map[string]string{}
	for k, v := range realTreeFiles {
		files[k] = v
	}
	w := newWorkspace(t, files)
	runGazelle(t, w.dir)
	first := buildFiles(t, w.dir)

	for file, want := range map[string][]string{
		"cmd/server/BUILD.bazel":    {"go_plugin_host(\n    name = \"server\"", "go_plugin_test(\n    name = \"server_plugins_test\""},
		"cmd/edited/BUILD.bazel":    {"name = \"edited_server\"", "importpath = \"example.com/srv/cmd/edited\"", "x_defs = {\"version\": \"1.0\"}", "name = \"symbols_test\"", "symbols = {\"Name\": \"plugin.NameFunc\"}"},
		"plugins/echo/BUILD.bazel":  {"go_plugin(\n    name = \"echo\""},
		"plugins/quiet/BUILD.bazel": {"go_plugin(\n    name = \"quiet\""},
	} {
		for _, s := range want {
			if !strings.Contains(first[file], s) {
				t.Errorf("%s lacks %q:\n%s", file, s, first[file])
			}
		}
	}
	for file, text := range first {
		if strings.Contains(text, "go_binary") {
			t.Errorf("%s has a go_binary: every command here is a host:\n%s", file, text)
		}
	}
	if got := strings.Count(first["cmd/edited/BUILD.bazel"], "go_plugin_test("); got != 1 {
		t.Errorf("cmd/edited/BUILD.bazel has %d go_plugin_test, want the user's only:\n%s", got, first["cmd/edited/BUILD.bazel"])
	}

	runGazelle(t, w.dir)
	for file, text := range buildFiles(t, w.dir) {
		if text != first[file] {
			t.Errorf("the second Gazelle run changed %s:\n%s\nafter the first:\n%s", file, text, first[file])
		}
	}

	out := w.mustRun("test", "--nocache_test_results", "//...")
	for _, test := range []string{"//cmd/server:server_plugins_test", "//cmd/edited:symbols_test", "//checks:alias_test"} {
		if !passed(out, test) {
			t.Errorf("bazel test //... did not report %s as PASSED:\n%s", test, out)
		}
	}
}

// runGazelle runs cmd/gazelle on the workspace with -repo_root and no
// directory, from the checkout; it must report nothing.
func runGazelle(t *testing.T, dir string) {
	t.Helper()
	gazelle := exec.Command("go", "run", "./cmd/gazelle", "-repo_root", dir)
	gazelle.Dir = repoRoot
	if out, err := gazelle.CombinedOutput(); err != nil {
		t.Fatalf("go run ./cmd/gazelle -repo_root %s: %v\n%s", dir, err, out)
	} else if len(out) > 0 {
		t.Errorf("Gazelle reported problems:\n%s", out)
	}
}

// buildFiles reads every BUILD.bazel of the workspace, by path.
func buildFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), "bazel-") {
			return filepath.SkipDir
		}
		if d.Name() == "BUILD.bazel" {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
