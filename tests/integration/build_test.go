package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// A user workspace builds //plugins:alpha to bazel-bin/plugins/alpha/alpha.so,
// and the host built beside it loads it, both through bazel run and from
// bazel-bin.
func TestBuildAndRun(t *testing.T) {
	w := newWorkspace(t, userFiles())
	w.mustRun("build", "//plugins:alpha")
	so := w.path("bazel-bin/plugins/alpha/alpha.so")
	data, err := os.ReadFile(so)
	if err != nil {
		t.Fatalf("the plugin is not where users expect it: %v", err)
	}
	if !strings.HasPrefix(string(data), "\x7fELF") {
		t.Fatalf("%s is not an ELF file", so)
	}

	out := w.mustRun("run", "//host")
	if !strings.Contains(out, "alpha greets the host\n") {
		t.Fatalf("bazel run //host did not load the plugin:\n%s", out)
	}
	// From bazel-bin, the host finds the plugin in its runfiles directory.
	direct, err := exec.Command(w.path("bazel-bin/host/host")).CombinedOutput()
	if err != nil || string(direct) != "alpha greets the host\n" {
		t.Fatalf("bazel-bin/host/host: %v\n%s", err, direct)
	}
	// GO_PLUGIN_PATHS overrides the plugins linked into the host.
	cmd := exec.Command(w.path("bazel-bin/host/host"))
	cmd.Env = append(os.Environ(), "GO_PLUGIN_PATHS=/nonexistent/x.so")
	direct, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(direct), "loader: plugin /nonexistent/x.so from GO_PLUGIN_PATHS: stat /nonexistent/x.so: no such file or directory") {
		t.Fatalf("GO_PLUGIN_PATHS was not honoured: %v\n%s", err, direct)
	}
}
