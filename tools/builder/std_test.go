package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestStdFingerprintsMatchGoCommand compiles part of std with the std verb
// and checks that every package's fingerprint (the package hash that
// plugin.Open compares) equals the one of the go command's own build, in
// the plugin variant: packages with assembly (runtime, internal/bytealg),
// with cgo and Go assembly (runtime/cgo), with cgo (plugin), and the ones
// the go command compiles without -complete (os, sync, syscall, time).
func TestStdFingerprintsMatchGoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles about 35 std packages twice")
	}
	cc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	goroot := runtime.GOROOT()
	tmp := t.TempDir()
	roots := []string{"os", "plugin"}

	want := goCommandArchives(t, tmp, cc, filepath.Join(tmp, "gocache"), roots...)

	// The std verb's.
	cfg := filepath.Join(tmp, "std.importcfg")
	args := []string{"-label", "//test:std", "-goroot", goroot, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH,
		"-cc", cc, "-dynlink", "-stdplan", stdPlanFile(t), "-o", filepath.Join(tmp, "std"), "-importcfg", cfg}
	if err := runStd(append(args, roots...)); err != nil {
		t.Fatal(err)
	}
	got, err := readImportcfg(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("std verb built %d packages, the go command %d", len(got), len(want))
	}
	for p, file := range want {
		if got[p] == "" {
			t.Errorf("%s: built by the go command, not by the std verb", p)
			continue
		}
		if g, w := fingerprint(t, got[p]), fingerprint(t, file); g != w {
			t.Errorf("%s: fingerprint %x, the go command's %x", p, g, w)
		}
	}
	for _, p := range []string{"runtime", "runtime/cgo", "internal/bytealg", "plugin", "os", "sync", "syscall", "time"} {
		if got[p] == "" {
			t.Errorf("%s was not built; the test no longer covers it", p)
		}
	}
}

// goCommandArchives builds roots and their deps as plugin code with the go
// command (-trimpath, cgo on, the given GOCACHE) and returns the archive of
// every package.
func goCommandArchives(t *testing.T, dir, cc, gocache string, roots ...string) map[string]string {
	t.Helper()
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), append([]string{"list", "-export", "-deps", "-trimpath", "-buildmode=plugin",
		"-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}"}, roots...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOCACHE="+gocache, "GOFLAGS=", "CGO_ENABLED=1", "GOTOOLCHAIN=local", "CC="+cc)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	archives := map[string]string{}
	for _, line := range strings.Fields(string(out)) {
		p, file, _ := strings.Cut(line, "=")
		archives[p] = file
	}
	return archives
}

// fingerprint reads the 8-byte fingerprint that follows the Go object
// file's magic in an archive.
func fingerprint(t *testing.T, archive string) string {
	t.Helper()
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	const magic = "\x00go120ld"
	i := bytes.Index(data, []byte(magic))
	if i < 0 || i+len(magic)+8 > len(data) {
		t.Fatalf("%s: no Go object file", archive)
	}
	return string(data[i+len(magic) : i+len(magic)+8])
}
