package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

// Two clean builds in two workspaces at different paths, the second without
// any cache, give byte-identical plugins and hosts: no sandbox path, build ID
// or timestamp varies, so remote caches and release checksums work.
func TestReproducibleOutputs(t *testing.T) {
	outputs := []string{"bazel-bin/plugins/alpha/alpha.so", "bazel-bin/host/host"}
	sums := func(w *workspace) []string {
		var s []string
		for _, o := range outputs {
			data, err := os.ReadFile(w.path(o))
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.Sum256(data)
			s = append(s, hex.EncodeToString(h[:]))
		}
		return s
	}
	first := newWorkspace(t, userFiles())
	first.mustRun("build", "//plugins:alpha", "//host")

	second := newNamedWorkspace(t, t.Name()+"Again", userFiles())
	second.mustRun("clean", "--expunge")
	// No cache at all: every action, the standard library included, runs again.
	second.mustRun("build", "--disk_cache=", "//plugins:alpha", "//host")
	a, b := sums(first), sums(second)
	for i := range outputs {
		if a[i] != b[i] {
			t.Errorf("%s differs between %s and %s: %s vs %s", outputs[i], first.dir, second.dir, a[i], b[i])
		}
	}
}
