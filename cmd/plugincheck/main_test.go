package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
)

var path = pluginfixtures.MustPath

// The exit status is what scripts rely on: 0 all load, 1 some would not,
// 2 a file cannot be checked.
func TestExitStatus(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.so")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		out    string // in stdout
		errOut string // in stderr
	}{
		{"loads", []string{path(t, "host"), path(t, "good.so"), path(t, "other.so")}, 0, "ok    " + path(t, "other.so"), ""},
		{"mismatch", []string{path(t, "host"), path(t, "tagged.so")}, 1, "example.com/fixture/api: ", ""},
		{"duplicate", []string{path(t, "host"), path(t, "good.so"), path(t, "dup.so")}, 1, "plugin already loaded: " + path(t, "good.so") + " has the same pluginpath", ""},
		{"C interposed by the host", []string{path(t, "chost"), path(t, "cplug.so")}, 1, "C function shared_c_fn is defined by both " + path(t, "cplug.so") + " and " + path(t, "chost"), ""},
		{"C interposed, --out leaves no file", []string{"--out", filepath.Join(t.TempDir(), "report.txt"), path(t, "chost"), path(t, "cplug.so")}, 1, "", "fix: make the plugin's C definition static"},
		{"static C is the plugin's own", []string{path(t, "chost"), path(t, "cstatic.so"), path(t, "chidden.so")}, 0, "ok    " + path(t, "chidden.so"), ""},
		{"C interposed by an earlier plugin", []string{path(t, "host"), path(t, "cplug.so"), path(t, "cplug2.so")}, 1, "C variable shared_c_var is defined by both " + path(t, "cplug2.so") + " and " + path(t, "cplug.so"), ""},
		{"empty file", []string{path(t, "host"), empty}, 2, "", empty + ": not an ELF file"},
		{"plugin first", []string{path(t, "good.so"), path(t, "good.so")}, 2, "", "is a plugin, not a host; give the host first"},
		{"host as plugin", []string{path(t, "host"), path(t, "host")}, 2, "", "is an executable, not a plugin"},
		{"no plugin import", []string{path(t, "hello"), path(t, "good.so")}, 2, "", `not a Go host that imports "plugin"`},
		{"usage", []string{path(t, "host")}, 2, "", "plugincheck: no plugins given\nusage: plugincheck [--json] [--out FILE] [--pluginpath FILE=PATH]... HOST PLUGIN..."},
		{"fifo", []string{path(t, "host"), fifo(t)}, 2, "", ": not a regular file: it is a named pipe (FIFO)"},
		{"directory", []string{path(t, "host"), t.TempDir()}, 2, "", ": not a regular file: it is a directory"},
		{"wrong declared pluginpath", []string{"--pluginpath", path(t, "good.so") + "=example.com/wrong", path(t, "host"), path(t, "good.so")}, 2, "",
			"good.so: its pluginpath is example.com/fixture/plug, but it is declared as example.com/wrong; fix the declaration (the pluginpath attribute of its go_plugin_import)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := run(tc.args, &stdout, &stderr)
			if status != tc.status || !strings.Contains(stdout.String(), tc.out) || !strings.Contains(stderr.String(), tc.errOut) {
				t.Fatalf("status %d (want %d)\nstdout:\n%s\nstderr:\n%s", status, tc.status, stdout.String(), stderr.String())
			}
		})
	}
}

func TestJSONInterposed(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := run([]string{"--json", path(t, "chost"), path(t, "cplug.so")}, &stdout, &stderr); status != 1 {
		t.Fatalf("status %d, stderr %s", status, stderr.String())
	}
	var report struct {
		OK      bool
		Plugins []struct {
			Loads      bool
			Interposed []struct {
				Symbol, Kind string
				DefinedBy    string `json:"defined_by"`
				Users        []string
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if report.OK || len(report.Plugins) != 1 || !report.Plugins[0].Loads || len(report.Plugins[0].Interposed) != 2 {
		t.Fatalf("report: %s", stdout.String())
	}
	if in := report.Plugins[0].Interposed[0]; in.Symbol != "shared_c_fn" || in.DefinedBy != path(t, "chost") || len(in.Users) == 0 {
		t.Fatalf("interposed: %+v", in)
	}
}

func TestJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := run([]string{"--json", path(t, "host"), path(t, "good.so"), path(t, "notrim.so")}, &stdout, &stderr); status != 1 {
		t.Fatalf("status %d, stderr %s", status, stderr.String())
	}
	var report struct {
		OK      bool
		Plugins []struct {
			Path       string
			PluginPath string
			Loads      bool
			Mismatches []struct{ Package, Loaded, Plugin string }
			Causes     []string
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if report.OK || len(report.Plugins) != 2 || !report.Plugins[0].Loads || report.Plugins[1].Loads {
		t.Fatalf("report: %+v", report)
	}
	bad := report.Plugins[1]
	if bad.PluginPath != "example.com/fixture/plug" || len(bad.Mismatches) < 2 || bad.Mismatches[0].Loaded == bad.Mismatches[0].Plugin {
		t.Fatalf("mismatches: %+v", bad)
	}
	if !strings.Contains(strings.Join(bad.Causes, "\n"), "-trimpath") {
		t.Fatalf("causes: %q", bad.Causes)
	}
}

// A manifest written from a host and its plugins stands in for the host.
func TestManifest(t *testing.T) {
	dir := t.TempDir()
	manifest := filepath.Join(dir, "manifest.json")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"--write-manifest", manifest, path(t, "host"), path(t, "good.so")}, &stdout, &stderr); status != 0 {
		t.Fatalf("write-manifest: status %d\n%s%s", status, stdout.String(), stderr.String())
	}
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Host struct {
			File      string
			GoVersion string `json:"go_version"`
			Settings  map[string]string
			Packages  map[string]string
		}
		Plugins []struct{ File, SHA256, PluginPath string }
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	if m.Host.File != "host" || m.Host.Packages["example.com/fixture/api"] == "" || m.Host.Settings["-trimpath"] != "true" ||
		len(m.Plugins) != 1 || m.Plugins[0].File != "good.so" || len(m.Plugins[0].SHA256) != 64 || m.Plugins[0].PluginPath != "example.com/fixture/plug" {
		t.Fatalf("manifest: %s", data)
	}

	stdout.Reset()
	if status := run([]string{"--manifest", manifest, path(t, "other.so")}, &stdout, &stderr); status != 0 {
		t.Fatalf("other.so against the manifest: status %d\n%s%s", status, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "other.so is not among the plugins the manifest lists") {
		t.Fatalf("no note about the unlisted plugin:\n%s", stdout.String())
	}
	stdout.Reset()
	if status := run([]string{"--manifest", manifest, path(t, "tagged.so")}, &stdout, &stderr); status != 1 {
		t.Fatalf("tagged.so against the manifest: status %d\n%s", status, stdout.String())
	}
	if !strings.Contains(stdout.String(), "example.com/fixture/api: ") || !strings.Contains(stdout.String(), "-tags: the host has it unset, the plugin variant") {
		t.Fatalf("report:\n%s", stdout.String())
	}
}

// With --out the report goes to the file only when every plugin loads;
// otherwise to stderr (what a Bazel validation action shows), leaving no
// file behind.
func TestOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.txt")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"--out", out, path(t, "host"), path(t, "noinline.so")}, &stdout, &stderr); status != 1 {
		t.Fatalf("status %d", status)
	}
	if _, err := os.Stat(out); err == nil || stdout.Len() != 0 || !strings.Contains(stderr.String(), "FAIL  "+path(t, "noinline.so")) {
		t.Fatalf("stdout %q\nstderr %q\nfile left: %v", stdout.String(), stderr.String(), err == nil)
	}
	stderr.Reset()
	if status := run([]string{"--out", out, path(t, "host"), path(t, "good.so")}, &stdout, &stderr); status != 0 {
		t.Fatalf("status %d: %s", status, stderr.String())
	}
	data, _ := os.ReadFile(out)
	if stdout.Len() != 0 || stderr.Len() != 0 || !strings.Contains(string(data), "ok    "+path(t, "good.so")) {
		t.Fatalf("stdout %q\nstderr %q\nfile %q", stdout.String(), stderr.String(), data)
	}
}

// With --json, a file that cannot be checked and a bad argument are
// reported as JSON on stdout too.
func TestJSONErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--json", path(t, "host"), filepath.Join(t.TempDir(), "missing.so")},
		{"--json", "--bogus", path(t, "host")},
		{"--json", path(t, "host")},
	} {
		var stdout, stderr bytes.Buffer
		if status := run(args, &stdout, &stderr); status != 2 {
			t.Fatalf("%q: status %d", args, status)
		}
		var got struct {
			OK    bool   `json:"ok"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || got.OK || got.Error == "" || !strings.Contains(stderr.String(), got.Error) {
			t.Fatalf("%q: stdout %q (%v), stderr %q", args, stdout.String(), err, stderr.String())
		}
	}
}

// fifo makes a named pipe that nothing writes to: reading it would block.
func fifo(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "fifo.so")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
