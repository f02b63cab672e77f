package integration

import (
	"os"
	"strings"
	"testing"
)

// Each bad input fails the build with a message that names the target, the
// file and the fix, and leaves no output behind.
func TestBadInputs(t *testing.T) {
	files := withFiles(userFiles(), map[string]string{
		"bad/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library", "go_plugin", "go_plugin_host")

go_plugin(name = "not_main", srcs = ["notmain/p.go"])

go_plugin(name = "mixed", srcs = ["mixed/a.go", "mixed/b.go"])

go_plugin(name = "missing_dep", srcs = ["missingdep/p.go"])

go_library(name = "no_importpath", srcs = ["noimportpath/lib.go"])

go_plugin_host(name = "no_plugin_import", srcs = ["noplugin/main.go"])

go_plugin(name = "bad_embed", srcs = ["badembed/p.go"], embedsrcs = ["badembed/present.txt"])

go_library(name = "self_import", srcs = ["selfimport/lib.go"], importpath = "example.com/self")
`,
		"bad/selfimport/lib.go":    "package lib\n\nimport _ \"example.com/self\"\n",
		"bad/notmain/p.go":         "package alpha\n\nfunc F() {}\n",
		"bad/mixed/a.go":           "package main\n",
		"bad/mixed/b.go":           "package other\n",
		"bad/missingdep/p.go":      "package main\n\nimport _ \"example.com/api\"\n",
		"bad/noimportpath/lib.go":  "package lib\n",
		"bad/noplugin/main.go":     "package main\n\nfunc main() {}\n",
		"bad/badembed/p.go":        "package main\n\nimport _ \"embed\"\n\n//go:embed missing.txt\nvar s string\n",
		"bad/badembed/present.txt": "x\n",
	})
	w := newWorkspace(t, files)
	for _, tc := range []struct {
		target string
		output string // must not exist after the failure
		want   []string
	}{
		{"//bad:not_main", "bazel-bin/bad/not_main/not_main.so", []string{
			"//bad:not_main: bad/notmain/p.go: package alpha; a plugin must be package main"}},
		{"//bad:mixed", "bazel-bin/bad/mixed/mixed.so", []string{
			"//bad:mixed: bad/mixed/b.go: package other, but bad/mixed/a.go is package main; a target is one Go package, so move bad/mixed/b.go to a target of its own"}},
		{"//bad:missing_dep", "bazel-bin/bad/missing_dep/missing_dep.so", []string{
			`//bad:missing_dep: bad/missingdep/p.go:3: import "example.com/api" is not provided by any dep; add the go_library with importpath = "example.com/api" to deps`}},
		{"//bad:no_importpath", "bazel-bin/bad/_go/no_importpath.a", []string{
			"bad/BUILD.bazel:9:11", // Bazel names the BUILD file and line
			`//bad:no_importpath: importpath is not set. Set it to the path other packages import this one by, e.g. importpath = "example.com/bad"`}},
		{"//bad:no_plugin_import", "bazel-bin/bad/no_plugin_import", []string{
			`//bad:no_plugin_import: the host does not import package "plugin" (directly or through a dep), so it cannot load plugins`}},
		{"//bad:bad_embed", "bazel-bin/bad/bad_embed/bad_embed.so", []string{
			"//bad:bad_embed: //go:embed missing.txt: no matching files in embedsrcs; add the files to embedsrcs"}},
		{"//bad:self_import", "bazel-bin/bad/_go/self_import.a", []string{
			`//bad:self_import: bad/selfimport/lib.go:3: the package imports itself ("example.com/self" is its own import path); a package cannot import itself: remove the import`}},
	} {
		t.Run(tc.target, func(t *testing.T) {
			w.t = t
			w.mustFail(tc.want, "build", tc.target)
			if _, err := os.Stat(w.path(tc.output)); err == nil {
				t.Errorf("%s failed but left %s behind", tc.target, tc.output)
			}
		})
	}

	// A compiler flag the compiler does not know: named once, as the setting.
	w.t = t
	out, ok := w.run("build", "--@rules_go_plugin//go_plugin:gcflags=-bogus", "//plugins:alpha")
	want := "--@rules_go_plugin//go_plugin:gcflags=-bogus: go tool compile refuses it: flag provided but not defined: -bogus; fix or remove the setting"
	if ok || !strings.Contains(out, want) || strings.Contains(out, "usage: compile") {
		t.Errorf("gcflags=-bogus: want %q and no compiler usage:\n%s", want, out)
	}
}
