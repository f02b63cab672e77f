package integration

import (
	"crypto/sha256"
	"fmt"
	"os"
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
			// The files are in an output directory of the setting's own, not
			// in bazel-bin: the build events say where.
			ev := w.mustBuild(flag, stdSubset, "//host", "//plugins:cplug")
			files := []string{ev.mustFile(t, "//host:host", "host/host"), ev.mustFile(t, "//plugins:cplug", "cplug/cplug.so")}
			for _, f := range files {
				if outputDir(f) == "" || sameFile(outputDir(f), w.path("bazel-bin")) {
					t.Errorf("%s: %s is not in an output directory of its own", flag, f)
				}
			}
			// Built on its own or as the host's plugin, the plugin is one file.
			if outputDir(files[0]) != outputDir(files[1]) {
				t.Errorf("%s: the host and its plugin are in two output directories: %s, %s", flag, files[0], files[1])
			}
			for _, f := range files {
				info, err := exec.Command("go", "version", "-m", f).CombinedOutput()
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

	// A host built with race=true, then a plugin built with the defaults
	// (issue 13): each setting has an output directory of its own, so the
	// race host never sits beside a plugin built without race, neither build
	// replaces the other's files, and the default build's files are in
	// bazel-bin, where the docs say they are.
	t.Run("apart", func(t *testing.T) {
		w := w.in(t)
		race := "--@rules_go_plugin//go_plugin:race=true"
		raced := w.mustBuild(race, stdSubset, "//host", "//plugins:cplug")
		raceHost := raced.mustFile(t, "//host:host", "host/host")
		racePlugin := raced.mustFile(t, "//plugins:cplug", "cplug/cplug.so")
		before := map[string]string{raceHost: fileSum(t, raceHost), racePlugin: fileSum(t, racePlugin)}

		plugin := w.mustBuild("//plugins:cplug").mustFile(t, "//plugins:cplug", "cplug/cplug.so")
		if !sameFile(plugin, w.path("bazel-bin/plugins/cplug/cplug.so")) {
			t.Errorf("built with the default settings, the plugin is %s, not bazel-bin/plugins/cplug/cplug.so", plugin)
		}
		if d := outputDir(raceHost); d == "" || d == outputDir(plugin) || sameFile(d, w.path("bazel-bin")) {
			t.Errorf("the race host %s shares an output directory with the default build (plugin: %s)", raceHost, plugin)
		}
		if sameFile(racePlugin, plugin) {
			t.Errorf("the race build's plugin and the default one are one file: %s", plugin)
		}
		for f, sum := range before {
			if got := fileSum(t, f); got != sum {
				t.Errorf("the build with the default settings replaced %s", f)
			}
		}
		for f, race := range map[string]bool{raceHost: true, racePlugin: true, plugin: false} {
			info, err := exec.Command("go", "version", "-m", f).CombinedOutput()
			if err != nil {
				t.Fatalf("go version -m %s: %v\n%s", f, err, info)
			}
			if got := strings.Contains(string(info), "build\t-race=true"); got != race {
				t.Errorf("%s: built with race: %v, want %v:\n%s", f, got, race, info)
			}
		}
	})

	// cgo=false: libraries and hosts build without cgo (the !cgo file is
	// chosen), plugins are refused: they need cgo.
	t.Run("cgo", func(t *testing.T) {
		w := w.in(t)
		flag := "--@rules_go_plugin//go_plugin:cgo=false"
		w.mustFail([]string{"//plugins:cplug: --@rules_go_plugin//go_plugin:cgo=false, but Go plugins need cgo"}, "build", flag, stdSubset, "//plugins:cplug")
		// A PIE host is linked from the plugins' variant, which the go
		// command builds only with cgo (there is no std plan for it).
		w.mustFail([]string{`//host:host_pie: linkmode = "pie" with --@rules_go_plugin//go_plugin:cgo=false`}, "build", flag, stdSubset, "//host:host_pie")
		// A host without plugins, and without C of its own.
		out := w.mustRun("run", flag, stdSubset, "//purehost")
		if !strings.Contains(out, "pure: cgo=off race=off") {
			t.Errorf("cgo=false did not choose the !cgo file:\n%s", out)
		}
		purehost := w.mustBuild(flag, stdSubset, "//purehost").mustFile(t, "//purehost:purehost", "purehost/purehost")
		info, err := exec.Command("go", "version", "-m", purehost).CombinedOutput()
		if err != nil || !strings.Contains(string(info), "CGO_ENABLED=0") {
			t.Errorf("go version -m: %v\n%s", err, info)
		}
		// C files without cgo are an error that names the files and the fix.
		w.mustFail([]string{"//purehost:needsc: purehost/needsc.c: C and C++ files are compiled only with cgo, and cgo is off (--@rules_go_plugin//go_plugin:cgo=false)"},
			"build", flag, stdSubset, "//purehost:needsc")
	})
}

// fileSum is the SHA-256 of a file, in hex.
func fileSum(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(data))
}

// sameFile reports whether two paths name one file or directory (after
// links: bazel-bin is one).
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
