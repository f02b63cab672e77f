package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Plugins built by the plain go command, brought in with go_plugin_import:
// one built like the ruleset builds (-trimpath) loads, the others fail
// `bazel build` of the host with every differing package and the cause; and
// plugin.Open agrees, in a host built without the validation.
func TestPrebuiltPlugins(t *testing.T) {
	files := withFiles(userFiles(), map[string]string{
		// The workspace is also a Go module, so `go build` sees the same
		// packages at the same import paths.
		"go.mod":         "module example.com\n\ngo 1.26\n",
		"api/variant.go": "//go:build variant\n\npackage api\n\n// Variant exists only with -tags variant.\nfunc Variant() {}\n",
		"prebuilt/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_import")

[go_plugin_import(name = n, so = n + ".so") for n in ["trimmed", "untrimmed", "tagged"]]

[go_plugin_host(
    name = "host_" + n,
    srcs = ["//host:main.go"],
    plugins = [":" + n],
    deps = ["//api", "@rules_go_plugin//loader"],
) for n in ["trimmed", "untrimmed", "tagged"]]
`,
	})
	files["host/BUILD.bazel"] += "\nexports_files([\"main.go\"])\n"
	w := newWorkspace(t, files)
	for name, flags := range map[string][]string{
		"trimmed":   {"-trimpath"},
		"untrimmed": nil,
		"tagged":    {"-trimpath", "-tags=variant"},
	} {
		args := append([]string{"build", "-buildmode=plugin", "-o", "prebuilt/" + name + ".so"}, flags...)
		cmd := exec.Command("go", append(args, "./plugins/alpha")...)
		cmd.Dir = w.dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", name, err, out)
		}
	}

	out := w.mustRun("run", "//prebuilt:host_trimmed")
	if !strings.Contains(out, "alpha greets the host\n") {
		t.Fatalf("the go build -trimpath plugin did not load into the Bazel host:\n%s", out)
	}

	w.mustFail([]string{
		"prebuilt/untrimmed.so (pluginpath example.com/plugins/alpha) will not load into",
		"example.com/api: ",
		"internal/goarch: ",
		"likely cause: -trimpath: the host has true, the plugin it unset",
	}, "build", "//prebuilt:host_untrimmed")
	w.mustFail([]string{
		"prebuilt/tagged.so (pluginpath example.com/plugins/alpha) will not load into",
		"1 package(s) differ from the ones already loaded:",
		"example.com/api: ",
		"likely cause: -tags: the host has it unset, the plugin variant",
	}, "build", "//prebuilt:host_tagged")

	// The runtime agrees: a host built without the validation cannot open them.
	for _, name := range []string{"untrimmed", "tagged"} {
		out, ok := w.run("run", "--noexperimental_run_validations", "//prebuilt:host_"+name)
		if ok || !strings.Contains(out, "plugin was built with a different version of package") {
			t.Errorf("plugin.Open of %s.so: succeeded=%v\n%s", name, ok, out)
		}
	}
}
