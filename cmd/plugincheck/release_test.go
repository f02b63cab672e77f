package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// writeRelease writes the manifest of a release of host (with good.so and
// other.so unless the host is edited-host, which they do not load into) and
// loaderhost, and returns its path.
func writeRelease(t *testing.T, version, hostFixture string) string {
	t.Helper()
	read := func(name string) *plugincheck.Binary {
		b, err := plugincheck.Read(path(t, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var plugins []plugincheck.ReleaseFile
	if hostFixture != "edited-host" {
		plugins = []plugincheck.ReleaseFile{{Bin: read("good.so"), File: "plugins/good.so"}, {Bin: read("other.so"), File: "plugins/other.so"}}
	}
	r, err := plugincheck.NewRelease("app", version, []plugincheck.ReleaseHostInput{
		{ReleaseFile: plugincheck.ReleaseFile{Bin: read(hostFixture), File: "bin/host"}, Name: "host", Plugins: plugins},
		{ReleaseFile: plugincheck.ReleaseFile{Bin: read("loaderhost"), File: "bin/loaderhost"}, Name: "loaderhost"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	r.WriteJSON(&buf)
	p := filepath.Join(t.TempDir(), version+".json")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReleaseCommands(t *testing.T) {
	old := writeRelease(t, "1.0", "host")
	edited := writeRelease(t, "1.1", "edited-host")
	deployed := filepath.Dir(old)
	for _, f := range [][2]string{{"host", "bin/host"}, {"loaderhost", "bin/loaderhost"}, {"good.so", "plugins/good.so"}, {"other.so", "plugins/other.so"}} {
		data, _ := os.ReadFile(path(t, f[0]))
		os.MkdirAll(filepath.Join(deployed, filepath.Dir(f[1])), 0o755)
		os.WriteFile(filepath.Join(deployed, f[1]), data, 0o755)
	}
	foreign := filepath.Join(t.TempDir(), "foreign")
	os.MkdirAll(foreign, 0o755)
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		out    string
		errOut string
	}{
		{"plugin alone for a deployed host", []string{"--release", old, "--host", "host", path(t, "good.so")}, 0, "ok    " + path(t, "good.so"), ""},
		// tagged.so changes the shared api package: it would replace
		// good.so (same pluginpath) and not load.
		{"plugin alone that changed a shared package", []string{"--release", old, "--host", "host", path(t, "tagged.so")}, 1, "example.com/fixture/api: ", ""},
		{"not released", []string{"--release", old, "--host", "host", path(t, "tagged.so")}, 1, "is not a plugin release app 1.0 ships with host host", ""},
		{"host needed", []string{"--release", old, path(t, "good.so")}, 2, "", "has 2 hosts (host, loaderhost): say which with --host"},
		{"no such host", []string{"--release", old, "--host", "web", path(t, "good.so")}, 2, "", `has no host "web"; its hosts: host, loaderhost`},
		{"host without release", []string{"--host", "host", path(t, "host"), path(t, "good.so")}, 2, "", "--host goes with --release"},
		{"verify as deployed", []string{"verify", old}, 0, "every host and plugin as released, nothing else", ""},
		{"verify elsewhere", []string{"verify", old, foreign}, 1, "missing  bin/host", ""},
		{"verify usage", []string{"verify"}, 2, "", "verify wants RELEASE.json"},
		{"diff same", []string{"diff", old, old}, 0, "host host: unchanged; every plugin of app 1.0 still loads into it", ""},
		{"diff changed host", []string{"diff", old, edited}, 1, "redeploy  plugins/other.so", ""},
		{"diff json", []string{"diff", "--json", old, edited}, 1, `"ok": false`, ""},
		{"diff not a release", []string{"diff", old, path(t, "good.so")}, 2, "", "not a release manifest"},
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
