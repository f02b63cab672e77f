package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// What Bazel's "shell" params format writes for each argument (ShellEscaper:
// safe characters as they are, others in '...' with ' as '\”), read back
// exactly: a newline in an x_defs value cut it in the "multiline" format.
func TestShellQuotedParams(t *testing.T) {
	file := "link\n-X\n'example.com/api.Banner=line one\nline two'\n-X\n'example.com/api.Q=it'\\''s'\n''\n-o\nout.so\n"
	want := []string{"link", "-X", "example.com/api.Banner=line one\nline two", "-X", "example.com/api.Q=it's", "", "-o", "out.so"}
	path := filepath.Join(t.TempDir(), "params")
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := expandParams([]string{shellParams + path})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
	// The multiline format (std actions) is read as before.
	if err := os.WriteFile(path, []byte("std\n-o\nx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := expandParams([]string{"@" + path}); err != nil || !reflect.DeepEqual(got, []string{"std", "-o", "x"}) {
		t.Fatalf("multiline: got %q, %v", got, err)
	}
	for _, bad := range []string{"'open", "end\\"} {
		if _, err := splitShellQuoted(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
