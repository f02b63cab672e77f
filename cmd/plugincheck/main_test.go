package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
		{"empty file", []string{path(t, "host"), empty}, 2, "", empty + ": not an ELF file"},
		{"plugin first", []string{path(t, "good.so"), path(t, "good.so")}, 2, "", "is a plugin, not a host; give the host first"},
		{"host as plugin", []string{path(t, "host"), path(t, "host")}, 2, "", "is an executable, not a plugin"},
		{"no plugin import", []string{path(t, "hello"), path(t, "good.so")}, 2, "", `not a Go host that imports "plugin"`},
		{"usage", []string{path(t, "host")}, 2, "", "usage: plugincheck [--json] [--out FILE] HOST PLUGIN..."},
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

// With --out the report goes to the file, and to stderr when a plugin fails
// (what a Bazel validation action shows).
func TestOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.txt")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"--out", out, path(t, "host"), path(t, "noinline.so")}, &stdout, &stderr); status != 1 {
		t.Fatalf("status %d", status)
	}
	data, _ := os.ReadFile(out)
	if stdout.Len() != 0 || !strings.Contains(string(data), "FAIL  "+path(t, "noinline.so")) || stderr.String() != string(data) {
		t.Fatalf("stdout %q\nstderr %q\nfile %q", stdout.String(), stderr.String(), data)
	}
}
