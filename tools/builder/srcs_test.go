package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSrcs writes Go files into a temporary directory and returns their paths.
func writeSrcs(t *testing.T, files map[string]string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func check(t *testing.T, kind string, files map[string]string, deps map[string]string) error {
	t.Helper()
	ps, err := readSources(buildContext(buildConfig{goos: "linux", goarch: "amd64", cgo: true}), writeSrcs(t, files))
	if err != nil {
		return err
	}
	if err := checkPackage(kind, ps); err != nil {
		return err
	}
	return checkImports(ps, map[string]string{"fmt": "fmt.a", "embed": "embed.a"}, deps)
}

func TestCheckPackage(t *testing.T) {
	for _, tc := range []struct {
		name, kind string
		files      map[string]string
		deps       map[string]string
		want       string // "" for success
	}{
		{"plugin ok", "plugin", map[string]string{"p.go": "package main\nimport \"fmt\"\nfunc F() { fmt.Println() }\n"}, nil, ""},
		{"plugin not main", "plugin", map[string]string{"p.go": "package alpha\n"}, nil, "p.go: package alpha; a plugin must be package main"},
		{"plugin with main is fine", "plugin", map[string]string{"p.go": "package main\nfunc main() {}\n"}, nil, ""},
		{"method main is fine", "plugin", map[string]string{"p.go": "package main\ntype T struct{}\nfunc (T) main() {}\n"}, nil, ""},
		{"other package", "library", map[string]string{"a.go": "package a\n", "b.go": "package b\n"}, nil, "a target is one Go package"},
		{"library main", "library", map[string]string{"a.go": "package main\n"}, nil, "package main cannot be a go_library; build it with go_plugin or go_plugin_host"},
		{"host without main", "host", map[string]string{"h.go": "package main\n"}, nil, "a host is an executable and needs one"},
		{"missing dep", "library", map[string]string{"a.go": "package a\nimport _ \"example.com/api\"\n"}, nil,
			`a.go:2: import "example.com/api" is not provided by any dep; add the go_library with importpath = "example.com/api" to deps, or, if that library depends on this one, the two packages import each other, which Go forbids: move what both need into a third package`},
		{"dep given", "library", map[string]string{"a.go": "package a\nimport _ \"example.com/api\"\n"}, map[string]string{"example.com/api": "api.a"}, ""},
		{"cgo", "library", map[string]string{"a.go": "package a\nimport \"C\"\n"}, nil, ""},
		{"C file without cgo", "library", map[string]string{"a.go": "package a\n", "c.c": "int x;\n"}, nil, "C and C++ files are compiled only with cgo, and no Go file imports \"C\""},
		{"pkg-config", "library", map[string]string{"a.go": "package a\n// #cgo pkg-config: zlib\nimport \"C\"\n"}, nil, "#cgo pkg-config: zlib: pkg-config is not supported"},
		{"constraints", "library", map[string]string{"a.go": "package a\n", "b_windows.go": "package other\n"}, nil, ""},
		{"all excluded", "library", map[string]string{"b_windows.go": "package b\n"}, nil, "no Go files left after build constraints"},
		{"test file", "library", map[string]string{"a_test.go": "package a\n"}, nil, "test files do not belong in srcs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := check(t, tc.kind, tc.files, tc.deps)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("want success, got %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestExpandParams(t *testing.T) {
	p := filepath.Join(t.TempDir(), "params")
	if err := os.WriteFile(p, []byte("compile\n-label\n@repo//pkg:t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := expandParams([]string{"@" + p})
	if err != nil || strings.Join(got, " ") != "compile -label @repo//pkg:t" {
		t.Fatalf("got %q, %v", got, err)
	}
	// A label is not a params file when other arguments come with it.
	args := []string{"compile", "-label", "@repo//pkg:t"}
	if got, _ := expandParams(args); strings.Join(got, " ") != strings.Join(args, " ") {
		t.Fatalf("got %q", got)
	}
}

// An import that neither std (the predicted set and the std deltas) nor a
// dep provides asks for a dep.
func TestImportWithoutDep(t *testing.T) {
	ps, err := readSources(buildContext(buildConfig{goos: "linux", goarch: "amd64", cgo: true}), writeSrcs(t, map[string]string{
		"a.go": "package a\n\nimport (\n\t\"fmt\"\n\t\"example.com/api\"\n)\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	err = checkImports(ps, map[string]string{"fmt": "fmt.a"}, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	if want := `a.go:5: import "example.com/api" is not provided by any dep`; !strings.Contains(err.Error(), want) {
		t.Errorf("%v\nlacks %q", err, want)
	}
}
