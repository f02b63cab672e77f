package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Plugins built by the plain go command, brought in with go_plugin_import.
// One built like the ruleset builds (-trimpath) loads into the Bazel host;
// each of the others fails `bazel build` of its host with every differing
// package and the cause; and plugin.Open agrees, in the same host built
// without the validation.
func TestPrebuiltPlugins(t *testing.T) {
	variants := []struct {
		name     string
		env      []string
		flags    []string
		plugins  string   // the host's plugins attribute
		check    []string // in the validation's failure; nil: the build passes
		runtime  string   // in the output of the host that opens the plugins
		succeeds bool
	}{
		{name: "trimmed", flags: []string{"-trimpath"}, plugins: `[":trimmed"]`,
			runtime: "alpha greets the host\n", succeeds: true},
		{name: "untrimmed", plugins: `[":untrimmed"]`,
			check: []string{
				"prebuilt/untrimmed.so (pluginpath example.com/plugins/alpha) will not load into",
				"example.com/api: ", "internal/goarch: ",
				"likely cause: -trimpath: the host has true, the plugin it unset",
			}, runtime: "plugin was built with a different version of package"},
		{name: "tagged", flags: []string{"-trimpath", "-tags=variant"}, plugins: `[":tagged"]`,
			check: []string{
				"prebuilt/tagged.so (pluginpath example.com/plugins/alpha) will not load into",
				"1 package(s) differ from the ones already loaded:", "example.com/api: ",
				"likely cause: -tags: the host has it unset, the plugin variant",
			}, runtime: "plugin was built with a different version of package example.com/api"},
		{name: "noinline", flags: []string{"-trimpath", "-gcflags=all=-l"}, plugins: `[":noinline"]`,
			check: []string{
				"prebuilt/noinline.so (pluginpath example.com/plugins/alpha) will not load into",
				"runtime: ", "sync: ",
				"likely cause: -gcflags: the host has it unset, the plugin all=-l",
			}, runtime: "plugin was built with a different version of package"},
		// A real older toolchain, fetched through the Go module proxy. Its
		// plugin does not even get an error from plugin.Open: the module
		// data layout changed, and the host dies.
		{name: "oldgo", env: []string{"GOTOOLCHAIN=go1.25.5"}, flags: []string{"-trimpath"}, plugins: `[":oldgo"]`,
			check: []string{
				"prebuilt/oldgo.so (pluginpath example.com/plugins/alpha) will not load into",
				"runtime: ",
				"likely cause: toolchain: the host was built with go1.26.8, the plugin with go1.25.5",
			}, runtime: "fatal error: runtime: no plugin module data"},
		// The same plugin twice: the second has the pluginpath of the first.
		{name: "twice", plugins: `[":trimmed", ":trimmed_copy"]`,
			check: []string{
				"ok    prebuilt/trimmed.so",
				"prebuilt/trimmed_copy.so (pluginpath example.com/plugins/alpha) will not load into",
				"plugin already loaded: prebuilt/trimmed.so has the same pluginpath",
			}, runtime: "plugin already loaded"},
	}
	build := `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_import")

go_plugin_import(name = "trimmed_copy", so = "trimmed_copy.so")
`
	for _, v := range variants {
		if v.name != "twice" {
			build += "\ngo_plugin_import(name = \"" + v.name + "\", so = \"" + v.name + ".so\")\n"
		}
		build += `
go_plugin_host(
    name = "host_` + v.name + `",
    srcs = ["//host:main.go"],
    plugins = ` + v.plugins + `,
    deps = ["//api", "@rules_go_plugin//loader"],
)
`
	}
	files := withFiles(userFiles(), map[string]string{
		// The workspace is also a Go module, so `go build` sees the same
		// packages at the same import paths.
		"go.mod":               "module example.com\n\ngo 1.25\n",
		"api/variant.go":       "//go:build variant\n\npackage api\n\n// Variant exists only with -tags variant.\nfunc Variant() {}\n",
		"prebuilt/BUILD.bazel": build,
	})
	files["host/BUILD.bazel"] += "\nexports_files([\"main.go\"])\n"
	w := newWorkspace(t, files)
	for _, v := range variants {
		if v.name == "twice" {
			continue
		}
		args := append([]string{"build", "-buildmode=plugin", "-o", "prebuilt/" + v.name + ".so"}, v.flags...)
		cmd := exec.Command("go", append(args, "./plugins/alpha")...)
		cmd.Dir = w.dir
		cmd.Env = append(os.Environ(), append([]string{"GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local"}, v.env...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", v.name, err, out)
		}
	}
	data, err := os.ReadFile(w.path("prebuilt/trimmed.so"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(w.path("prebuilt/trimmed_copy.so"), data, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			w.t = t
			target := "//prebuilt:host_" + v.name
			if v.check == nil {
				w.mustRun("build", target)
			} else {
				w.mustFail(v.check, "build", target)
			}
			// The runtime's verdict, from the same host without the validation.
			out, ok := w.run("run", "--noexperimental_run_validations", target)
			if ok != v.succeeds || !strings.Contains(out, v.runtime) {
				t.Errorf("bazel run %s: succeeded=%v, want %v and output with %q:\n%s", target, ok, v.succeeds, v.runtime, out)
			}
		})
	}
}
