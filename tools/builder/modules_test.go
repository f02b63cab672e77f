package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func testGraph() *moduleGraph {
	return &moduleGraph{Toolchain: "1.26.8", Modules: []goModule{
		{Path: "example.com/m", Main: true, Go: "1.22.1", Lang: "go1.22"},
		{Path: "example.com/m/nested", Version: "v0.1.0", Go: "1.21", Lang: "go1.21", Sum: "h1:n"},
		{Path: "github.com/google/uuid", Version: "v1.6.0", Lang: "go1.16", Sum: "h1:u"},
		{Path: "github.com/x/repl", Version: "v1.0.0", Go: "1.24", Lang: "go1.24", Replace: &goModule{Path: "../repl", Go: "1.24", Lang: "go1.24"}},
	}}
}

// A package belongs to the module with the longest path that is a prefix
// of its import path at a slash; its files are positioned as go build
// -trimpath positions them.
func TestModuleOf(t *testing.T) {
	g := testGraph()
	for _, tc := range []struct{ pkg, module, pos, lang string }{
		{"example.com/m", "example.com/m", "example.com/m", "go1.22"},
		{"example.com/m/api", "example.com/m", "example.com/m/api", "go1.22"},
		{"example.com/m/nested/x", "example.com/m/nested", "example.com/m/nested@v0.1.0/x", "go1.21"},
		{"example.com/m/nestedx", "example.com/m", "example.com/m/nestedx", "go1.22"},
		{"github.com/google/uuid", "github.com/google/uuid", "github.com/google/uuid@v1.6.0", "go1.16"},
		// A replaced module keeps its required version in positions.
		{"github.com/x/repl/sub", "github.com/x/repl", "github.com/x/repl@v1.0.0/sub", "go1.24"},
		{"github.com/google/uuidx", "", "github.com/google/uuidx", ""},
	} {
		if m := g.packageModule(tc.pkg, false); m != g.moduleOf(tc.pkg) {
			t.Errorf("%s: packageModule of a library %v, want moduleOf's", tc.pkg, m)
		}
		m := g.moduleOf(tc.pkg)
		if tc.module == "" {
			if m != nil {
				t.Errorf("%s: module %s, want none", tc.pkg, m.Path)
			}
			if got := positionPath(tc.pkg, m); got != tc.pos {
				t.Errorf("%s: positions %s, want %s", tc.pkg, got, tc.pos)
			}
			continue
		}
		if m == nil || m.Path != tc.module {
			t.Errorf("%s: module %v, want %s", tc.pkg, m, tc.module)
			continue
		}
		if got := positionPath(tc.pkg, m); got != tc.pos {
			t.Errorf("%s: positions %s, want %s", tc.pkg, got, tc.pos)
		}
		if m.Lang != tc.lang {
			t.Errorf("%s: lang %s, want %s", tc.pkg, m.Lang, tc.lang)
		}
	}
}

// -lang as cmd/go/internal/work.gc derives it: the go line's language
// version, 1.16 without one, the toolchain's when the line is newer.
func TestLangFor(t *testing.T) {
	for _, tc := range []struct{ goLine, toolchain, want string }{
		{"1.21", "1.26.8", "go1.21"},
		{"1.21.3", "1.26.8", "go1.21"},
		{"1.22rc1", "1.26.8", "go1.22"},
		{"", "1.26.8", "go1.16"},
		{"1.26.8", "1.26.8", "go1.26"},
		{"1.26.9", "1.26.8", "go1.26"},
		{"1.27", "1.26.8", "go1.26"},
		{"1.27.0", "1.27rc2", "go1.27"},
	} {
		if got := langFor(tc.goLine, tc.toolchain); got != tc.want {
			t.Errorf("langFor(%q, %q) = %s, want %s", tc.goLine, tc.toolchain, got, tc.want)
		}
	}
	if compareGoVersions("1.21", "1.21rc1") >= 0 || compareGoVersions("1.21rc1", "1.21.0") >= 0 || compareGoVersions("1.21.0", "1.21.3") >= 0 {
		t.Error("want 1.21 < 1.21rc1 < 1.21.0 < 1.21.3")
	}
}

// The main package of a host or plugin whose path is in no module (a
// default pluginpath) is the main module's.
func TestMainPackageModule(t *testing.T) {
	g := testGraph()
	if m := g.packageModule("plugin/plugins/alpha", true); m == nil || !m.Main {
		t.Errorf("main package plugin/plugins/alpha: module %v, want the main module", m)
	}
	if m := g.packageModule("github.com/google/uuid", true); m == nil || m.Path != "github.com/google/uuid" {
		t.Errorf("main package in a dependency: module %v, want github.com/google/uuid", m)
	}
	main, deps := g.buildInfoModules("plugin/plugins/alpha", []string{"github.com/google/uuid"})
	if main.Path != "example.com/m" || len(deps) != 1 {
		t.Errorf("build info of plugin/plugins/alpha: mod %+v, deps %d; want example.com/m and uuid", main, len(deps))
	}
}

// The build info lists the main package's module and the other modules of
// linked packages, by path, with sums (a replacement's instead).
func TestBuildInfoModules(t *testing.T) {
	main, deps := testGraph().buildInfoModules("example.com/m/cmd/host", []string{"github.com/x/repl", "example.com/m/api", "github.com/google/uuid", "github.com/google/uuid/sub", "other.org/x"})
	bi := debug.BuildInfo{Path: "example.com/m/cmd/host", Main: main, Deps: deps}
	want := "path\texample.com/m/cmd/host\n" +
		"mod\texample.com/m\t(devel)\t\n" +
		"dep\tgithub.com/google/uuid\tv1.6.0\th1:u\n" +
		"dep\tgithub.com/x/repl\tv1.0.0\n" +
		"=>\t../repl\t(devel)\t\n\n" // runtime/debug's formatting, as in a go-built binary
	if got := bi.String(); got != want {
		t.Errorf("build info:\n%q\nwant:\n%q", got, want)
	}
}

// The SDK's go command resolves the graph offline; a module whose go.mod
// is not in the module cache is a setup error that says what to run.
func TestModgraphOffline(t *testing.T) {
	goroot := strings.TrimSpace(goEnvOf(t, "GOROOT"))
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire example.com/absent v1.2.3\n",
		"go.sum": "",
	})
	t.Setenv("GOMODCACHE", filepath.Join(t.TempDir(), "modcache"))
	_, err := listModuleGraph(goroot, filepath.Join(dir, "go.mod"), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "example.com/absent") || !strings.Contains(err.Error(), "go mod download") {
		t.Fatalf("want an error naming example.com/absent and go mod download, got %v", err)
	}

	writeFiles(t, dir, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22.1\n"})
	g, err := listModuleGraph(goroot, filepath.Join(dir, "go.mod"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Modules) != 1 || !g.Modules[0].Main || g.Modules[0].Lang != "go1.22" || g.Toolchain == "" {
		t.Errorf("graph %+v", g)
	}
}

func goEnvOf(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
