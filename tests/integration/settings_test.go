package integration

import (
	"os/exec"
	"strings"
	"testing"
)

// stdSubset limits the standard library the settings tests compile (each
// setting is a new std build); it changes no hash.
const stdSubset = "--@rules_go_plugin//go_plugin:std_packages=fmt,os,plugin,runtime,strconv"

// Each build setting, set once on the command line, reaches the standard
// library, every user package (their files are chosen by it), the link and
// the build info, in the host and in its plugin alike; the plugin loads.
func TestSettings(t *testing.T) {
	w := newWorkspace(t, featureFiles())
	for _, tc := range []struct {
		name    string
		flag    string
		host    []string // in the host's and the plugin's report
		info    string   // in `go version -m` of both files
		noCheck bool     // the setting changes positions: skip the file= check
	}{
		{name: "tags", flag: "tags=featuretag,othertag", host: []string{"tag=on", "race=off", "cgo=7"}, info: "build\t-tags=featuretag,othertag"},
		{name: "race", flag: "race=true", host: []string{"race=on", "tag=off", "cgo=7"}, info: "build\t-race=true"},
		{name: "gcflags", flag: "gcflags=-N,-l", host: []string{"race=off", "cgo=7"}, info: "build\t-gcflags=\"all=-N -l\""},
		{name: "trimpath", flag: "trimpath=false", host: []string{"file=api/api.go"}, info: "", noCheck: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := w.in(t)
			flag := "--@rules_go_plugin//go_plugin:" + tc.flag
			out := w.mustRun("run", flag, stdSubset, "//host")
			var lines []string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(l, "host: ") || strings.HasPrefix(l, "plugin: ") {
					lines = append(lines, l)
				}
			}
			if len(lines) != 2 {
				t.Fatalf("want a host line and a plugin line, got:\n%s", out)
			}
			for _, l := range lines {
				for _, want := range tc.host {
					if !strings.Contains(l, want) {
						t.Errorf("%s: %q lacks %q", flag, l, want)
					}
				}
				if !tc.noCheck && !strings.Contains(l, "file=example.com/api/api.go") {
					t.Errorf("%s: %q: positions are not trimmed to the import path", flag, l)
				}
			}
			for _, f := range []string{"bazel-bin/host/host", "bazel-bin/plugins/cplug/cplug.so"} {
				info, err := exec.Command("go", "version", "-m", w.path(f)).CombinedOutput()
				if err != nil {
					t.Fatalf("go version -m %s: %v\n%s", f, err, info)
				}
				want := tc.info
				if want == "" {
					// trimpath=false: the build info must not claim -trimpath.
					if strings.Contains(string(info), "-trimpath=true") {
						t.Errorf("%s: build info of %s claims -trimpath:\n%s", flag, f, info)
					}
					continue
				}
				if !strings.Contains(string(info), want) {
					t.Errorf("%s: build info of %s lacks %q:\n%s", flag, f, want, info)
				}
			}
		})
	}

	// cgo=false: libraries and hosts build without cgo (the !cgo file is
	// chosen), plugins are refused: they need cgo.
	t.Run("cgo", func(t *testing.T) {
		w := w.in(t)
		flag := "--@rules_go_plugin//go_plugin:cgo=false"
		w.mustFail([]string{"//plugins:cplug: --@rules_go_plugin//go_plugin:cgo=false, but Go plugins need cgo"}, "build", flag, stdSubset, "//plugins:cplug")
		// A host without plugins, and without C of its own.
		out := w.mustRun("run", flag, stdSubset, "//purehost")
		if !strings.Contains(out, "pure: cgo=off race=off") {
			t.Errorf("cgo=false did not choose the !cgo file:\n%s", out)
		}
		info, err := exec.Command("go", "version", "-m", w.path("bazel-bin/purehost/purehost")).CombinedOutput()
		if err != nil || !strings.Contains(string(info), "CGO_ENABLED=0") {
			t.Errorf("go version -m: %v\n%s", err, info)
		}
		// C files without cgo are an error that names the files and the fix.
		w.mustFail([]string{"//purehost:needsc: purehost/needsc.c: C and C++ files are compiled only with cgo, and cgo is off (--@rules_go_plugin//go_plugin:cgo=false)"},
			"build", flag, stdSubset, "//purehost:needsc")
	})
}
