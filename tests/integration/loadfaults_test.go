package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Faults of issue 19, each through real Bazel: an x_defs value with a
// newline linked through a params file, a cdeps header and a header in a
// subdirectory of srcs included from a Go file's cgo preamble, a plugin (built by the rules and prebuilt) whose
// goroutine ends the process after init, a GO_PLUGIN_PATHS that names no
// file, and a gcflags setting with a flag the ruleset controls.
func TestLoadFaults(t *testing.T) {
	lateexit := "package main\n\nimport (\n\t\"syscall\"\n\t\"time\"\n)\n\n" +
		"func init() {\n\tgo func() {\n\t\ttime.Sleep(20 * time.Millisecond)\n\t\tsyscall.Exit(0)\n\t}()\n}\n\n" +
		"// Greet is fine.\nfunc Greet(name string) string { return name }\n"
	files := withFiles(userFiles(), map[string]string{
		"go.mod":          "module example.com\n\ngo 1.26\n",
		"inc/BUILD.bazel": "load(\"@rules_cc//cc:defs.bzl\", \"cc_library\")\n\ncc_library(\n    name = \"inc\",\n    hdrs = [\"incf.h\"],\n    includes = [\".\"],\n    visibility = [\"//visibility:public\"],\n)\n",
		"inc/incf.h":      "static inline int incf_value(void) { return 42; }\n",
		"lib/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "lib",
    srcs = [
        "lib.go",
        "sub/hdr.h",
    ],
    cdeps = ["//inc"],
    importpath = "example.com/lib",
    visibility = ["//visibility:public"],
    x_defs = {
        "After": "after",
        "Banner": "line one\nline two 'quoted' $HOME",
    },
)
`,
		"lib/sub/hdr.h": "static inline int sub_value(void) { return 1; }\n",
		"lib/lib.go":    "package lib\n\n// #include \"incf.h\"\n// #include \"sub/hdr.h\"\nimport \"C\"\n\n// Banner and After are set by x_defs.\nvar Banner, After string\n\n// Value comes from the cdeps header and the package's own, in sub/.\nfunc Value() int { return int(C.incf_value() + C.sub_value()) }\n",
		"show/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

go_plugin_host(
    name = "show",
    srcs = ["main.go"],
    deps = ["//lib", "@rules_go_plugin//loader"],
)
`,
		"show/main.go":           "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/lib\"\n\t\"github.com/rules-go-plugin/rules_go_plugin/loader\"\n)\n\nvar _ = loader.Paths\n\nfunc main() { fmt.Printf(\"%q %q %d\\n\", lib.Banner, lib.After, lib.Value()) }\n",
		"checks/lateexit/p.go":   lateexit,
		"prebuilt/lateexit/p.go": lateexit,
		"checks/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin", "go_plugin_import", "go_plugin_test")

go_plugin(name = "lateexit", srcs = ["lateexit/p.go"])

go_plugin_import(name = "lateexit_import", so = "lateexit_import.so")

go_plugin_test(
    name = "late_test",
    host = "//host",
    plugins = [":lateexit", ":lateexit_import"],
    symbols = {"Greet": "api.Greet"},
    deps = ["//api"],
)

go_plugin_test(
    name = "good_test",
    host = "//host",
    symbols = {"Greet": "api.Greet"},
    deps = ["//api"],
)
`,
	})
	files["host/BUILD.bazel"] = strings.Replace(files["host/BUILD.bazel"], "    name = \"host\",\n", "    name = \"host\",\n    visibility = [\"//visibility:public\"],\n", 1)
	w := newWorkspace(t, files)
	cmd := exec.Command("go", "build", "-buildmode=plugin", "-trimpath", "-o", "checks/lateexit_import.so", "./prebuilt/lateexit")
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	t.Run("params file and cgo preamble", func(t *testing.T) {
		w := w.in(t)
		w.mustRun("build", "--min_param_file_size=1", "//show")
		out, err := exec.Command(w.path("bazel-bin/show/show")).CombinedOutput()
		if want := `"line one\nline two 'quoted' $HOME" "after" 43` + "\n"; err != nil || string(out) != want {
			t.Fatalf("the host printed %q (%v), want %q", out, err, want)
		}
	})

	t.Run("exit after init", func(t *testing.T) {
		w := w.in(t)
		w.mustFail([]string{"//checks:late_test", "FAILED"}, "test", "//checks:late_test")
		log := w.readFile(t, "bazel-testlogs/checks/late_test/test.log")
		for _, name := range []string{"lateexit.so", "lateexit_import.so"} {
			want := "FAIL  " + name + ": symbol Greet: the process exited with status 0 after the checks (a goroutine of the plugin?), within the settle time: the plugin ended the process (os.Exit(0) or syscall.Exit(0))\n"
			if !strings.Contains(log, want) {
				t.Errorf("late_test log lacks %q:\n%s", want, log)
			}
		}
	})

	t.Run("no plugin paths", func(t *testing.T) {
		w := w.in(t)
		w.mustFail([]string{"//checks:good_test", "FAILED"}, "test", "--test_env=GO_PLUGIN_PATHS=:", "//checks:good_test")
		log := w.readFile(t, "bazel-testlogs/checks/good_test/test.log")
		if want := `GO_PLUGIN_PATHS is set but lists no plugin file`; !strings.Contains(log, want) || strings.Contains(log, "0 passed") {
			t.Errorf("good_test log lacks %q (or reports a count):\n%s", want, log)
		}
		w.mustRun("build", "//host")
		host := exec.Command(w.path("bazel-bin/host/host"))
		host.Env = append(os.Environ(), "GO_PLUGIN_PATHS=:")
		out, err := host.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "GO_PLUGIN_PATHS is set but lists no plugin file") {
			t.Errorf("the host with GO_PLUGIN_PATHS=: : %v\n%s", err, out)
		}
	})

	t.Run("gcflags the ruleset controls", func(t *testing.T) {
		w := w.in(t)
		w.mustFail([]string{"--@rules_go_plugin//go_plugin:gcflags=-N,-dynlink: -dynlink is a compiler flag rules_go_plugin sets itself (it is set per package and variant); remove it from the setting."},
			"build", "--@rules_go_plugin//go_plugin:gcflags=-N,-dynlink", "//show")
	})
}
