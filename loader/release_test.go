package loader

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// deployRelease unpacks a release of loaderhost (good.so, other.so) into a
// directory as go_plugin_release lays it out, and returns the manifest.
func deployRelease(t *testing.T) (dir, manifest string) {
	t.Helper()
	dir = t.TempDir()
	copyTo := func(fixtureName, file string) *plugincheck.Binary {
		data, err := os.ReadFile(fixture(t, fixtureName))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(file))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := plugincheck.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	host := copyTo("loaderhost", "bin/loaderhost")
	good := copyTo("good.so", "plugins/good.so")
	other := copyTo("other.so", "plugins/other.so")
	r, err := plugincheck.NewRelease("app", "1.0", []plugincheck.ReleaseHostInput{{
		ReleaseFile: plugincheck.ReleaseFile{Bin: host, File: "bin/loaderhost"},
		Name:        "loaderhost",
		Plugins:     []plugincheck.ReleaseFile{{Bin: good, File: "plugins/good.so"}, {Bin: other, File: "plugins/other.so"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	r.WriteJSON(&buf)
	manifest = filepath.Join(dir, "release.json")
	if err := os.WriteFile(manifest, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, manifest
}

// runDeployed runs a loaderhost (-mode=loader) with GO_PLUGIN_RELEASE and
// returns its lines.
func runDeployed(t *testing.T, host, manifest string, plugins ...string) []string {
	t.Helper()
	cmd := exec.Command(host, append([]string{"-mode=loader"}, plugins...)...)
	cmd.Env = append(os.Environ(), EnvRelease+"="+manifest)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", host, err, out)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

func TestDeployedRelease(t *testing.T) {
	dir, manifest := deployRelease(t)
	host := filepath.Join(dir, "bin", "loaderhost")

	// Paths: the host's plugins from the release, in order; both load.
	lines := runDeployed(t, host, manifest)
	if len(lines) != 2 || lines[0] != "OK "+filepath.Join(dir, "plugins", "good.so") || lines[1] != "OK "+filepath.Join(dir, "plugins", "other.so") {
		t.Fatalf("deployed host loading its release:\n%s", strings.Join(lines, "\n"))
	}

	// A plugin the release does not ship is refused before dlopen, even
	// one that would load (notrim.so is good.so built without -trimpath:
	// only this test's host matches it, so loading it would fail later);
	// so is a released file whose bytes changed.
	foreign := filepath.Join(dir, "plugins", "foreign.so")
	data, _ := os.ReadFile(fixture(t, "dup.so")) // the bytes of good.so ...
	os.WriteFile(foreign, data, 0o755)           // ... under another name: released bytes, so accepted
	changed := filepath.Join(dir, "plugins", "other.so")
	data, _ = os.ReadFile(fixture(t, "tagged.so"))
	os.WriteFile(changed, data, 0o755)
	lines = runDeployed(t, host, manifest, fixture(t, "notrim.so"), changed)
	for i, want := range []string{"ErrNotReleased: ", "ErrNotReleased: "} {
		if i >= len(lines) || !strings.Contains(lines[i], want) {
			t.Fatalf("line %d: want %q in:\n%s", i, want, strings.Join(lines, "\n"))
		}
	}
	if !strings.Contains(lines[1], "the release's plugins/other.so has sha256") {
		t.Errorf("a changed released file is not named as such: %s", lines[1])
	}
	if lines = runDeployed(t, host, manifest, foreign); lines[0] != "OK "+foreign {
		t.Errorf("released bytes under another name: %s", lines[0])
	}

	// Another host under the same manifest: refused, naming the release.
	lines = runDeployed(t, fixture(t, "loaderhost"), manifest, filepath.Join(dir, "plugins", "good.so"))
	if lines[0] != "OK "+filepath.Join(dir, "plugins", "good.so") {
		// the fixture loaderhost has the released bytes: it is the host
		t.Errorf("the released host's bytes elsewhere: %s", lines[0])
	}
	other := filepath.Join(t.TempDir(), "loaderhost")
	data, _ = os.ReadFile(fixture(t, "loaderhost"))
	os.WriteFile(other, append(data, 0), 0o755) // another file: not a host of the release
	lines = runDeployed(t, other, manifest)
	if !strings.Contains(lines[0], "ERR paths:") || !strings.Contains(lines[0], "is not a host of release app 1.0") {
		t.Errorf("a host outside the release: %s", lines[0])
	}
}
