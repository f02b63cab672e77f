package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// go_plugin_test reports each plugin and symbol, and each way a plugin can
// fail to load, with the exact message; one bad plugin does not stop the
// others from being checked.
func TestPluginTest(t *testing.T) {
	plugin := func(body string) string {
		return "package main\n\nimport (\n\t\"errors\"\n\t\"os\"\n)\n\nvar _, _ = errors.New, os.Exit\n\n" + body
	}
	files := withFiles(userFiles(), map[string]string{
		"go.mod":                "module example.com\n\ngo 1.26\n",
		"api/variant.go":        "//go:build variant\n\npackage api\n\n// Variant exists only with -tags variant.\nfunc Variant() {}\n",
		"checks/missing/p.go":   plugin("// Other is not what the host looks up.\nfunc Other(name string) string { return name }\n"),
		"checks/wrongtype/p.go": plugin("// Greet has the wrong signature.\nfunc Greet() string { return \"hi\" }\n"),
		"checks/panics/p.go":    plugin("func init() { panic(\"boom in init\") }\n\n// Greet is never reached.\nfunc Greet(name string) string { return name }\n"),
		"checks/exits/p.go":     plugin("func init() { os.Exit(3) }\n\n// Greet is never reached.\nfunc Greet(name string) string { return name }\n"),
		"checks/hangs/p.go":     plugin("func init() { select {} }\n\n// Greet is never reached.\nfunc Greet(name string) string { return name }\n"),
		"checks/smoky/p.go":     plugin("// Greet is fine.\nfunc Greet(name string) string { return name }\n\n// SelfTest fails.\nfunc SelfTest() error { return errors.New(\"db unreachable\") }\n"),
		// Prints in init, and loads: its output is in the report.
		"checks/chatty/p.go": plugin("func init() { os.Stdout.WriteString(\"chatty: hello from init\\n\") }\n\n// Greet is fine.\nfunc Greet(name string) string { return name }\n"),
		// Logs a JSON line to stdout, as slog does, and exits 0 in init: it
		// never loaded.
		"checks/jsonexit/p.go": plugin("func init() {\n\tos.Stdout.WriteString(`{\"open_error\":\"\",\"symbols\":[{\"name\":\"Greet\"}]}` + \"\\n\")\n\tos.Exit(0)\n}\n\n// Greet is never reached.\nfunc Greet(name string) string { return name }\n"),
		// Starts a process that holds stdout, then hangs.
		"checks/spawner/p.go": "package main\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc init() {\n\tcmd := exec.Command(\"/bin/sh\", \"-c\", \"sleep 600\")\n\tcmd.Stdout = os.Stdout\n\tif err := cmd.Start(); err != nil {\n\t\tpanic(err)\n\t}\n\tselect {}\n}\n\n// Greet is never reached.\nfunc Greet(name string) string { return name }\n",
		// Exports a generic function, which a plugin cannot.
		"checks/generic/p.go": "package main\n\n// New is generic.\nfunc New[T any]() T {\n\tvar zero T\n\treturn zero\n}\n",
		"checks/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin", "go_plugin_host", "go_plugin_import", "go_plugin_test")

[go_plugin(name = n, srcs = [n + "/p.go"]) for n in ["missing", "wrongtype", "panics", "exits", "hangs", "smoky", "chatty", "jsonexit", "spawner", "generic"]]

go_plugin_import(name = "tagged", so = "tagged.so")

# tagged.so with one byte changed.
go_plugin_import(name = "damaged", so = "damaged.so")

# The file's pluginpath is example.com/plugins/alpha.
go_plugin_import(name = "misdeclared", pluginpath = "example.com/wrong", so = "tagged.so")

go_plugin_host(
    name = "misdeclared_host",
    srcs = ["//host:main.go"],
    plugins = [":misdeclared"],
    deps = ["//api", "@rules_go_plugin//loader"],
)

# A host without plugins: the checks below name theirs.
go_plugin_host(
    name = "host",
    srcs = ["//host:main.go"],
    deps = ["//api", "@rules_go_plugin//loader"],
)

go_plugin_test(
    name = "good_test",
    host = ":host",
    plugins = ["//plugins:alpha"],
    symbols = {"Greet": "api.Greet"},
    deps = ["//api"],
)

go_plugin_test(
    name = "all_test",
    host = ":host",
    open_timeout = "3s",
    plugins = [":panics", "//plugins:alpha", ":missing", ":wrongtype", ":exits", ":hangs", ":tagged", ":chatty", ":jsonexit", ":spawner", ":damaged"],
    symbols = {"Greet": "api.Greet"},
    deps = ["//api"],
)

go_plugin_test(
    name = "smoke_test",
    host = ":host",
    plugins = [":smoky"],
    smoke = "SelfTest",
    symbols = {"Greet": "func(string) string"},
)

go_plugin_test(
    name = "generic_test",
    host = ":host",
    plugins = [":generic"],
    symbols = {"New": "func() int"},
)

# A type the compiler rejects is reported at the symbol.
go_plugin_test(
    name = "bad_type_test",
    host = ":host",
    plugins = ["//plugins:alpha"],
    symbols = {"Greet": "func(strng) string"},
)

# An alias for an import path no dep has.
go_plugin_test(
    name = "bad_alias_test",
    host = ":host",
    imports = {"papi": "example.com/nope"},
    plugins = ["//plugins:alpha"],
    symbols = {"Greet": "papi.Greet"},
    deps = ["//api"],
)

# api names the only dep, so apx can be no dep's package clause.
go_plugin_test(
    name = "unknown_package_test",
    host = ":host",
    plugins = ["//plugins:alpha"],
    symbols = {"Greet": "apx.Greet", "Other?": "api.Greet"},
    deps = ["//api"],
)
`,
	})
	files["host/BUILD.bazel"] += "\nexports_files([\"main.go\"])\n"
	w := newWorkspace(t, files)
	cmd := exec.Command("go", "build", "-buildmode=plugin", "-trimpath", "-tags=variant", "-o", "checks/tagged.so", "./plugins/alpha")
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(w.path("checks/tagged.so"))
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x20
	if err := os.WriteFile(w.path("checks/damaged.so"), data, 0o755); err != nil {
		t.Fatal(err)
	}

	w.mustRun("test", "//checks:good_test")
	log := w.readFile(t, "bazel-testlogs/checks/good_test/test.log")
	for _, want := range []string{"PASS  alpha.so: open\n", "PASS  alpha.so: symbol Greet\n", "2 passed, 0 failed, 0 skipped\n"} {
		if !strings.Contains(log, want) {
			t.Errorf("good_test log lacks %q:\n%s", want, log)
		}
	}

	w.mustFail([]string{"//checks:all_test", "FAILED"}, "test", "//checks:all_test")
	log = w.readFile(t, "bazel-testlogs/checks/all_test/test.log")
	for _, want := range []string{
		"FAIL  panics.so: open: panicked while opening (in an init function): panic: boom in init\n",
		"PASS  alpha.so: open\n",
		"PASS  alpha.so: symbol Greet\n",
		"PASS  missing.so: open\n",
		"FAIL  missing.so: symbol Greet: not found: the plugin exports no symbol Greet (want api.Greet)\n",
		"FAIL  wrongtype.so: symbol Greet: wrong type: want api.Greet, found func() string\n",
		"FAIL  exits.so: open: the process exited with status 3 while opening (in an init function), before reporting (os.Exit, or a fatal error)\n",
		"FAIL  hangs.so: open: hung: no result within 3s (killed); a plugin's init must return\n",
		"FAIL  tagged.so: open: plugin.Open failed: plugin.Open(",
		"plugin was built with a different version of package example.com/api; the static check against the host says: 1 package(s) differ: example.com/api (host ",
		"; likely cause: -tags: the host has it unset, the plugin variant\n",
		"PASS  chatty.so: open\n      stdout:\n        chatty: hello from init\n",
		"PASS  chatty.so: symbol Greet\n",
		"FAIL  jsonexit.so: open: the process exited with status 0 while opening (in an init function), before reporting: the plugin called os.Exit(0)\n      stdout:\n        {\"open_error\":\"\",",
		// The process init started holds stdout; the timeout kills it too.
		"FAIL  spawner.so: open: hung: no result within 3s (killed); a plugin's init must return\n",
		// Refused by the static check: never opened.
		"FAIL  damaged.so: open: the static check refuses the file, so it was not opened: ",
		"damaged.so: damaged plugin file: the file does not match its Go build ID",
		"6 passed, 9 failed, 0 skipped\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("all_test log lacks %q:\n%s", want, log)
		}
	}
	xml := w.readFile(t, "bazel-testlogs/checks/all_test/test.xml")
	for _, want := range []string{
		`<testsuite name="//checks:all_test" tests="15" failures="9" skipped="0">`,
		`<testcase classname="alpha.so" name="symbol Greet"`,
		`<failure message="not found: the plugin exports no symbol Greet (want api.Greet)">`,
	} {
		if !strings.Contains(xml, want) {
			t.Errorf("all_test XML lacks %q:\n%s", want, xml)
		}
	}

	w.mustFail([]string{"//checks:smoke_test"}, "test", "//checks:smoke_test")
	log = w.readFile(t, "bazel-testlogs/checks/smoke_test/test.log")
	if want := "FAIL  smoky.so: smoke SelfTest: SelfTest returned error: db unreachable\n"; !strings.Contains(log, want) {
		t.Errorf("smoke_test log lacks %q:\n%s", want, log)
	}

	w.mustFail([]string{"//checks:generic_test"}, "test", "//checks:generic_test")
	log = w.readFile(t, "bazel-testlogs/checks/generic_test/test.log")
	if want := "FAIL  generic.so: symbol New: not found: the plugin exports no symbol New (want func() int): checks/generic/p.go:4 declares New as a generic function, which a plugin cannot export"; !strings.Contains(log, want) {
		t.Errorf("generic_test log lacks %q:\n%s", want, log)
	}

	w.mustFail([]string{
		`//checks:unknown_package_test: the type "apx.Greet" of symbol Greet uses package apx, but no dep is named so.`,
		"(deps give: api)",
	}, "test", "//checks:unknown_package_test")
	w.mustFail([]string{`symbols["Greet"] = "func(strng) string":1:6: undefined: strng`}, "build", "//checks:bad_type_test")
	w.mustFail([]string{
		`//checks:bad_alias_test: imports["papi"] = "example.com/nope" is not the import path of a dep; add its go_library to deps (deps give: example.com/api).`,
	}, "test", "//checks:bad_alias_test")

	// A declared pluginpath that is not the file's fails the host's
	// validation, which leaves no report behind.
	w.mustFail([]string{
		"checks/tagged.so: its pluginpath is example.com/plugins/alpha, but it is declared as example.com/wrong; fix the declaration (the pluginpath attribute of its go_plugin_import)",
	}, "build", "//checks:misdeclared_host")
	if _, err := os.Stat(w.path("bazel-bin/checks/misdeclared_host.plugincheck.txt")); err == nil {
		t.Error("a failed validation left its report in bazel-bin")
	}
}
