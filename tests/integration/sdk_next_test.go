package integration

import (
	"archive/zip"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// secondGo is the Go release besides the machine's that the tests build
// with (scripts/lib.sh sets it): the go command fetches it through the Go
// module proxy, as GOTOOLCHAIN does.
func secondGo(t *testing.T) string {
	t.Helper()
	v := os.Getenv("RULES_GO_PLUGIN_SECOND_GO")
	if v == "" {
		t.Skip("RULES_GO_PLUGIN_SECOND_GO is not set (scripts/test.sh sets it, e.g. to go1.27.3)")
	}
	return v
}

// toolchainZip returns the module proxy's toolchain zip of version (as
// `GOTOOLCHAIN=version go version` leaves it in the module cache), its
// sha256 and the top directory inside it.
func toolchainZip(t *testing.T, version string) (file, sum, prefix string) {
	t.Helper()
	cmd := exec.Command("go", "version")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN="+version)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOTOOLCHAIN=%s go version: %v\n%s", version, err, out)
	}
	modcache := goEnv(t, "GOMODCACHE")
	mod := fmt.Sprintf("v0.0.1-%s.%s-%s", version, runtime.GOOS, runtime.GOARCH)
	file = filepath.Join(modcache, "cache", "download", "golang.org", "toolchain", "@v", mod+".zip")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	return file, hex.EncodeToString(h[:]), "golang.org/toolchain@" + mod
}

// builtWith is the Go version a binary was linked by.
func builtWith(t *testing.T, path string) string {
	t.Helper()
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.GoVersion
}

// A pinned SDK can be the Go module proxy's toolchain zip, the archive
// GOTOOLCHAIN downloads: it stores every go.mod as _go.mod (module zips
// cannot hold nested go.mod files), which the SDK repository renames as the
// go command does. The host and plugin built with it load together.
func TestModuleProxySDK(t *testing.T) {
	version := secondGo(t)
	zipFile, sum, prefix := toolchainZip(t, version)
	files := userFiles()
	files["WORKSPACE"] = workspaceHeader(fmt.Sprintf(`go_plugin_register_toolchains(
    go_version = %q,
    urls = ["file://%s"],
    sha256 = %q,
    strip_prefix = %q,
)`, strings.TrimPrefix(version, "go"), zipFile, sum, prefix))
	w := newWorkspace(t, files)
	out := w.mustRun("run", "//host")
	if !strings.Contains(out, "alpha greets the host\n") {
		t.Fatalf("the host built with %s's toolchain zip did not load the plugin:\n%s", version, out)
	}
	if got := builtWith(t, w.path("bazel-bin/host/host")); got != version {
		t.Errorf("the host was linked by %s, want %s", got, version)
	}
}

// An archive that is not a whole SDK is refused when the repository is set
// up, naming what is missing and what to download instead, before any
// action runs.
func TestIncompleteSDK(t *testing.T) {
	archive := filepath.Join(baseDir, "sdk", "incomplete.zip")
	if err := os.MkdirAll(filepath.Dir(archive), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, text := range map[string]string{"go/VERSION": runtime.Version() + "\n", "go/src/_go.mod": "module std\n"} {
		fw, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(text))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	files := userFiles()
	files["WORKSPACE"] = workspaceHeader(fmt.Sprintf(`go_plugin_register_toolchains(
    go_version = %q,
    urls = ["file://%s"],
    sha256 = %q,
)`, strings.TrimPrefix(runtime.Version(), "go"), archive, hex.EncodeToString(h[:])))
	w := newWorkspace(t, files)
	w.mustFail([]string{
		"rules_go_plugin: the Go SDK downloaded from file://" + archive + " is incomplete: bin/go, src/runtime, pkg/include/textflag.h are missing.",
		"golang.org/toolchain zip of the Go module proxy with the strip_prefix of its top directory",
	}, "build", "//plugins:alpha")
}

// The host SDK is the one the go command would run: GOTOOLCHAIN in the
// environment of Bazel switches it, as it switches the go command.
func TestHostSDKFromGOTOOLCHAIN(t *testing.T) {
	version := secondGo(t)
	toolchainZip(t, version) // in the module cache, as the go command leaves it
	w := newWorkspace(t, userFiles())
	w.env = []string{"GOTOOLCHAIN=" + version}
	out := w.mustRun("run", "//host")
	if !strings.Contains(out, "alpha greets the host\n") {
		t.Fatalf("the host built with GOTOOLCHAIN=%s did not load the plugin:\n%s", version, out)
	}
	if got := builtWith(t, w.path("bazel-bin/host/host")); got != version {
		t.Errorf("with GOTOOLCHAIN=%s the host was linked by %s", version, got)
	}
	// Without it, the machine's SDK again: the repository watches the variable.
	w.env = []string{"GOTOOLCHAIN=local"}
	w.mustRun("build", "//host")
	local := exec.Command("go", "env", "GOVERSION")
	local.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	machine, err := local.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := builtWith(t, w.path("bazel-bin/host/host")), strings.TrimSpace(string(machine)); got != want {
		t.Errorf("with GOTOOLCHAIN=local the host was linked by %s, want the machine's %s", got, want)
	}
}
