// Package integration runs real Bazel on small workspaces that the tests
// write, and asserts on what users see: outputs, program output, and the
// exact text of each error.
//
// Workspaces live in fixed directories under $RULES_GO_PLUGIN_IT_DIR
// (default: $TMPDIR/rules_go_plugin_it), so a second run reuses their Bazel
// output bases; all of them share one --disk_cache
// ($RULES_GO_PLUGIN_DISK_CACHE), so the standard library is compiled once.
// Bazel runs one invocation at a time: the machines have 2 cores.
package integration

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var (
	repoRoot  string // the rules_go_plugin checkout
	baseDir   string // scratch space of the integration tests
	diskCache string
)

func TestMain(m *testing.M) {
	_, file, _, _ := runtime.Caller(0)
	repoRoot = filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	baseDir = os.Getenv("RULES_GO_PLUGIN_IT_DIR")
	if baseDir == "" {
		baseDir = filepath.Join(os.TempDir(), "rules_go_plugin_it")
	}
	diskCache = os.Getenv("RULES_GO_PLUGIN_DISK_CACHE")
	if diskCache == "" {
		diskCache = filepath.Join(baseDir, "disk_cache")
	}
	os.Exit(m.Run())
}

// workspaceHeader is what every test workspace starts with: the ruleset from
// this checkout, and the offline stand-ins Bazel 4.2.3 needs here.
func workspaceHeader(registerToolchains string) string {
	return fmt.Sprintf(`workspace(name = "it")

local_repository(
    name = "rules_go_plugin",
    path = %q,
)

load("@rules_go_plugin//tools/offline_bazel:repositories.bzl", "offline_bazel_repositories")

offline_bazel_repositories(path = %q)

load("@rules_go_plugin//go_plugin:repositories.bzl", "go_plugin_register_toolchains", "rules_go_plugin_dependencies")

rules_go_plugin_dependencies()

%s
`, repoRoot, filepath.Join(repoRoot, "tools", "offline_bazel"), registerToolchains)
}

type workspace struct {
	t   *testing.T
	dir string
	env []string // added to the environment of every Bazel command
}

// newWorkspace writes a workspace named for the test. files maps paths to
// contents; WORKSPACE defaults to the header with the host SDK.
func newWorkspace(t *testing.T, files map[string]string) *workspace {
	t.Helper()
	return newNamedWorkspace(t, t.Name(), files)
}

// newNamedWorkspace is newWorkspace in the directory ws/<name>.
func newNamedWorkspace(t *testing.T, name string, files map[string]string) *workspace {
	t.Helper()
	if _, err := exec.LookPath("bazel"); err != nil {
		t.Fatal("bazel is not on PATH; scripts/test.sh installs it (apt-get install bazel-bootstrap)")
	}
	dir := filepath.Join(baseDir, "ws", name)
	// Keep the directory (and with it Bazel's output base) but not old files.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "bazel-") {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	if _, ok := files["WORKSPACE"]; !ok {
		files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "host")`)
	}
	files[".bazelrc"] = "build --nosandbox_debug\nbuild --experimental_run_validations\n"
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w := &workspace{t: t, dir: dir}
	t.Cleanup(func() { w.run("shutdown") })
	return w
}

// run runs a Bazel command in the workspace and returns its combined output
// and whether it succeeded.
func (w *workspace) run(cmd string, args ...string) (string, bool) {
	w.t.Helper()
	full := []string{"--output_user_root=" + filepath.Join(baseDir, "bazel_root"), "--max_idle_secs=60", cmd}
	if cmd != "shutdown" {
		full = append(full, "--disk_cache="+diskCache, "--noshow_progress")
	}
	c := exec.Command("bazel", append(full, args...)...)
	c.Dir = w.dir
	if w.env != nil {
		c.Env = append(os.Environ(), w.env...)
	}
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	err := c.Run()
	return out.String(), err == nil
}

// mustRun runs a Bazel command that must succeed.
func (w *workspace) mustRun(cmd string, args ...string) string {
	w.t.Helper()
	out, ok := w.run(cmd, args...)
	if !ok {
		w.t.Fatalf("bazel %s %s failed:\n%s", cmd, strings.Join(args, " "), out)
	}
	return out
}

// mustFail runs a Bazel command that must fail with output containing every
// string of want.
func (w *workspace) mustFail(want []string, cmd string, args ...string) {
	w.t.Helper()
	out, ok := w.run(cmd, args...)
	if ok {
		w.t.Fatalf("bazel %s %s succeeded, want a failure containing %q:\n%s", cmd, strings.Join(args, " "), want, out)
	}
	for _, s := range want {
		if !strings.Contains(out, s) {
			w.t.Errorf("bazel %s %s: output lacks %q:\n%s", cmd, strings.Join(args, " "), s, out)
		}
	}
}

// in is the workspace as seen by a subtest, which its failures then end.
func (w *workspace) in(t *testing.T) *workspace { return &workspace{t: t, dir: w.dir, env: w.env} }

// path is a path inside the workspace.
func (w *workspace) path(rel string) string { return filepath.Join(w.dir, rel) }

// readFile reads a file of the workspace (bazel-testlogs/... and the like).
func (w *workspace) readFile(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(w.path(rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
