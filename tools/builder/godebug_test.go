package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The GODEBUG defaults the builder links are the go command's: for a module
// of an older go line with godebug lines, and a main package with //go:debug
// lines, mainPackageGODEBUG gives exactly what `go list` says of the same
// module, and `go build` links.
func TestGodebugMatchesGoCommand(t *testing.T) {
	goroot := runtime.GOROOT()
	dir := t.TempDir()
	gomod := "module example.com/m\n\ngo 1.21\n\ngodebug (\n\thttpmuxgo121=0 // a comment\n)\n\ngodebug x509usepolicies=1\n"
	main := "// A header.\n\n//go:debug panicnil=1\n//go:debug asynctimerchan=0\npackage main\n\nfunc main() {}\n"
	for name, text := range map[string]string{"go.mod": gomod, "main.go": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(goroot, "bin", "go"), "list", "-f", "{{.DefaultGODEBUG}}", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOENV=off", "GOPROXY=off", "GOWORK=off", "GOFIPS140=off")
	want, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}

	mod, err := readGoModGodebug(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if mod.goVersion != "1.21" || strings.Join(mod.godebug, " ") != "httpmuxgo121=0 x509usepolicies=1" {
		t.Fatalf("read go %q, godebug %q from go.mod", mod.goVersion, mod.godebug)
	}
	ps, err := readSources(buildContext(buildConfig{goos: runtime.GOOS, goarch: runtime.GOARCH, cgo: true}), []string{filepath.Join(dir, "main.go")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.godebug) != 2 {
		t.Fatalf("read %d //go:debug lines, want 2: %v", len(ps.godebug), ps.godebug)
	}
	sdk := &sdkFlags{goroot: goroot}
	got, err := mainPackageGODEBUG(sdk, t.TempDir(), mod, "unused: the package has //go:debug lines", ps)
	if err != nil {
		t.Fatal(err)
	}
	if got != strings.TrimSpace(string(want)) {
		t.Errorf("default GODEBUG\n  %s\nthe go command's\n  %s", got, want)
	}
	for _, s := range []string{"panicnil=1", "asynctimerchan=0", "httpmuxgo121=0", "x509usepolicies=1"} {
		if !strings.Contains(","+got+",", ","+s+",") {
			t.Errorf("default GODEBUG %q lacks %s", got, s)
		}
	}

	// Without //go:debug lines the main module's default, computed once at setup.
	ps.godebug = nil
	if got, err := mainPackageGODEBUG(sdk, t.TempDir(), mod, "k=v", ps); err != nil || got != "k=v" {
		t.Errorf("without //go:debug lines: %q, %v; want the module's default", got, err)
	}
}

// A setting the SDK does not know is refused with the file and the line,
// where the go command would fail the build later.
func TestGodebugUnknownSetting(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("//go:debug nosuchsetting=1\npackage main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err := readSources(buildContext(buildConfig{goos: runtime.GOOS, goarch: runtime.GOARCH, cgo: true}), []string{src})
	if err != nil {
		t.Fatal(err)
	}
	_, err = mainPackageGODEBUG(&sdkFlags{goroot: runtime.GOROOT()}, t.TempDir(), mainModule{goVersion: "1.22"}, "", ps)
	if err == nil || !strings.Contains(err.Error(), src+": //go:debug nosuchsetting=1: the go command of this SDK does not know that setting") {
		t.Fatalf("err = %v, want one naming %s and the setting", err, src)
	}
}
