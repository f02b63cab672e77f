package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStdImports(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a/a.go":             "package a\n\nimport (\n\t\"fmt\"\n\t\"example.com/x\"\n\t\"C\"\n)\n",
		"b/b.go":             "package b\n\nimport \"encoding/json\"\nimport _ \"embed\"\n",
		"m/m.go":             "package m\n\n// A module without a dot in its name (module myapp).\nimport \"myapp/internal/x\"\n",
		"b/b_test.go":        "package b\n\nimport \"testing\"\n",
		"bazel-out/x/x.go":   "package x\n\nimport \"net/http\"\n",
		"c/testdata/t.go":    "package t\n\nimport \"net/smtp\"\n",
		"c/.hidden/h.go":     "package h\n\nimport \"net/rpc\"\n",
		"c/notgo/readme.txt": "import \"os\"\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := stdImports(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Test files count: go_plugin_test and hosts' tests may need them.
	if want := "embed,encoding/json,fmt,testing"; strings.Join(got, ",") != want {
		t.Fatalf("got %s, want %s", strings.Join(got, ","), want)
	}
}
