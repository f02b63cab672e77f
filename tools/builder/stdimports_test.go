package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestModgraphStdImports lists a module's packages with the SDK's go
// command, as the SDK repository does at setup, and checks the std imports
// recorded per package: direct ones only, cgo's implicit ones for a package
// that imports "C", a file for another platform left out, the module's own
// packages not counted as std.
func TestModgraphStdImports(t *testing.T) {
	goroot := strings.TrimSpace(goEnvOf(t, "GOROOT"))
	dir := t.TempDir()
	for _, d := range []string{"a", "b"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeFiles(t, dir, map[string]string{
		"go.mod":            "module example.com/m\n\ngo 1.22\n",
		"a/a.go":            "package a\n\n// int one(void) { return 1; }\nimport \"C\"\nimport \"container/ring\"\n\nvar R = ring.New(int(C.one()))\n",
		"b/b.go":            "package b\n\nimport (\n\t\"net/url\"\n\n\t\"example.com/m/a\"\n)\n\nvar U, _ = url.Parse(a.R.Value.(string))\n",
		"b/b_windows.go":    "package b\n\nimport _ \"encoding/csv\"\n",
		"b/b_test.go":       "package b\n\nimport _ \"hash/crc64\"\n",
		"b/b_other_test.go": "package b_test\n",
	})
	out := filepath.Join(t.TempDir(), "modules.json")
	imports := filepath.Join(t.TempDir(), "std_imports")
	t.Setenv("GOMODCACHE", filepath.Join(t.TempDir(), "modcache"))
	err := runModgraph([]string{"-goroot", goroot, "-gomod", filepath.Join(dir, "go.mod"), "-o", out,
		"-stdimports", imports, "-goos", "linux", "-goarch", runtime.GOARCH, "-bazelpackage", "go"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(imports)
	if err != nil {
		t.Fatal(err)
	}
	want := "//go/a container/ring runtime/cgo syscall\n//go/b net/url\n" +
		"example.com/m/a container/ring runtime/cgo syscall\nexample.com/m/b net/url\n"
	if string(data) != want {
		t.Errorf("std imports:\n%s\nwant:\n%s", data, want)
	}
}

func TestParseStdImportsVendored(t *testing.T) {
	listed := "fmt\ttrue\t\t/goroot/src/fmt\terrors\n" +
		"example.com/m/vendor/golang.org/x/y\tfalse\ttrue\t/m/vendor/golang.org/x/y\tfmt unsafe\n" +
		"example.com/m\tfalse\ttrue\t/m\tgolang.org/x/y fmt\n"
	got := parseStdImports(listed, "/m", "")
	if strings.Join(got["//"], " ") != "fmt" || strings.Join(got["//vendor/golang.org/x/y"], " ") != "fmt" {
		t.Errorf("Bazel package keys: %v", got)
	}
	if strings.Join(got["golang.org/x/y"], " ") != "fmt" || strings.Join(got["example.com/m/vendor/golang.org/x/y"], " ") != "fmt" {
		t.Errorf("vendored package: %v", got)
	}
	if strings.Join(got["example.com/m"], " ") != "fmt" {
		t.Errorf("example.com/m: %v", got["example.com/m"])
	}
	if _, ok := got["fmt"]; ok {
		t.Errorf("std package listed: %v", got)
	}
}
