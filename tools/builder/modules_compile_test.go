package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// With the module graph, a dependency's package (a replaced one here, whose
// go.mod says go 1.20) and a main module's package (go 1.22) compiled by the
// builder have the fingerprints of `go build -trimpath`'s: positions under
// module@version and the modules' -lang. Without it they differ, which is
// what kept go-built plugins out of hosts built here.
func TestModulePackagesMatchGoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goroot := runtime.GOROOT()
	tmp := t.TempDir()
	main := filepath.Join(tmp, "main")
	src := map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep v1.0.0 => ./dep\n",
		"lib/lib.go":     "package lib\n\nimport \"example.com/dep/sub\"\n\n// Twice is inlinable: its body, with positions, is in the export data.\nfunc Twice(n int) int { return sub.Add(n, n) }\n",
		"dep/go.mod":     "module example.com/dep\n\ngo 1.20\n",
		"dep/sub/sub.go": "package sub\n\n// Add is inlinable too.\nfunc Add[T int | float64](a, b T) T { return a + b }\n",
	}
	for name, text := range src {
		p := filepath.Join(main, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(filepath.Join(goroot, "bin", "go"), "list", "-export", "-deps", "-trimpath", "-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}", "./lib")
	cmd.Dir = main
	cmd.Env = append(os.Environ(), "GOCACHE="+filepath.Join(tmp, "gocache"), "GOFLAGS=", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	want := map[string]string{}
	var std strings.Builder
	for _, line := range strings.Fields(string(out)) {
		p, file, _ := strings.Cut(line, "=")
		want[p] = file
		if !strings.Contains(p, ".") {
			fmt.Fprintf(&std, "packagefile %s=%s\n", p, file)
		}
	}
	stdCfg := filepath.Join(tmp, "std.importcfg")
	if err := os.WriteFile(stdCfg, []byte(std.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := listModuleGraph(goroot, filepath.Join(main, "go.mod"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if m := g.moduleOf("example.com/dep/sub"); m == nil || m.Lang != "go1.20" || m.Replace == nil {
		t.Fatalf("example.com/dep: %+v, want go1.20, replaced", m)
	}
	modules := filepath.Join(tmp, "modules.json")
	writeGraph(t, g, modules)

	compile := func(withModules bool, pkg, file string, deps ...string) string {
		t.Helper()
		archive := filepath.Join(tmp, fmt.Sprintf("out%v", withModules), pkg+".a")
		if err := os.MkdirAll(filepath.Dir(archive), 0o755); err != nil {
			t.Fatal(err)
		}
		args := []string{"-label", "//test:" + pkg, "-goroot", goroot, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-cgo=false",
			"-importpath", pkg, "-stdimportcfg", stdCfg, "-src", filepath.Join(main, file), "-o", archive}
		for _, d := range deps {
			args = append(args, "-dep", d)
		}
		if withModules {
			args = append(args, "-modules", modules)
		}
		if err := runCompile(args); err != nil {
			t.Fatal(err)
		}
		return archive
	}
	for _, withModules := range []bool{true, false} {
		sub := compile(withModules, "example.com/dep/sub", "dep/sub/sub.go")
		lib := compile(withModules, "example.com/m/lib", "lib/lib.go", "example.com/dep/sub="+sub)
		for pkg, archive := range map[string]string{"example.com/dep/sub": sub, "example.com/m/lib": lib} {
			same := fingerprint(t, archive) == fingerprint(t, want[pkg])
			if withModules && !same {
				t.Errorf("%s: with the module graph, fingerprint %x, the go command's %x", pkg, fingerprint(t, archive), fingerprint(t, want[pkg]))
			}
			if !withModules && same {
				t.Errorf("%s: without the module graph the fingerprint equals the go command's; the test no longer shows what the graph changes", pkg)
			}
		}
	}
}

func writeGraph(t *testing.T, g *moduleGraph, file string) {
	t.Helper()
	data, err := jsonIndent(g)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
