package pluginlang

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootPrefix(t *testing.T) {
	for _, tc := range []struct{ rel, importpath, dir, prefix string }{
		{"cmd/server", "example.com/srv/cmd/server", "", "example.com/srv"},
		{"", "example.com/srv", "", "example.com/srv"},
		// # gazelle:prefix example.com/srv in go/.
		{"go/cmd/server", "example.com/srv/cmd/server", "go", "example.com/srv"},
		// # gazelle:importpath: nothing shared, the directory is the prefix's.
		{"cmd/server", "example.com/other", "cmd/server", "example.com/other"},
	} {
		dir, prefix, ok := rootPrefix(tc.rel, tc.importpath)
		if !ok || dir != tc.dir || prefix != tc.prefix {
			t.Errorf("rootPrefix(%q, %q) = %q, %q, %v; want %q, %q", tc.rel, tc.importpath, dir, prefix, ok, tc.dir, tc.prefix)
		}
	}
}

// Libraries are followed through the repository, in cycles too; the
// standard library and other modules are not read.
func TestReachesPlugin(t *testing.T) {
	root := t.TempDir()
	for file, src := range map[string]string{
		"go/a/a.go":       "package a\n\nimport _ \"example.com/srv/b\"\n",
		"go/b/b.go":       "package b\n\nimport (\n\t_ \"example.com/srv/a\"\n\t_ \"example.com/srv/c\"\n)\n",
		"go/c/c_linux.go": "//go:build linux\n\npackage c\n\nimport _ \"plugin\"\n",
		"go/d/d.go":       "package d\n\nimport _ \"example.com/srv/a\"\n",
		"go/e/e.go":       "package e\n\nimport _ \"fmt\"\n",
		"go/f/f.go":       "//go:build ignore\n\npackage f\n\nimport _ \"plugin\"\n",
		"go/g/g_test.go":  "package g\n\nimport _ \"plugin\"\n",
		"go/cycle/x.go":   "package cycle\n\nimport _ \"example.com/srv/cycle2\"\n",
		"go/cycle2/y.go":  "package cycle2\n\nimport _ \"example.com/srv/cycle\"\n",
	} {
		p := filepath.Join(root, file)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := newLibraryGraph()
	for imports, want := range map[string]bool{
		"example.com/srv/d":     true, // d -> a -> b -> c -> plugin, through a cycle a <-> b
		"example.com/srv/e":     false,
		"example.com/srv/f":     false,
		"example.com/srv/g":     false,
		"example.com/srv/cycle": false,
		"github.com/x/loader":   false,
		loaderImportPath:        true,
	} {
		if got := g.reachesPlugin(root, "go/cmd/server", "example.com/srv/cmd/server", []string{imports}); got != want {
			t.Errorf("a command importing %s: reachesPlugin = %v, want %v", imports, got, want)
		}
	}
}
