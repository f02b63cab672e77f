package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadStatus(t *testing.T) {
	dir := t.TempDir()
	stable := filepath.Join(dir, "stable-status.txt")
	volatile := filepath.Join(dir, "volatile-status.txt")
	os.WriteFile(stable, []byte("BUILD_EMBED_LABEL\nSTABLE_GIT_COMMIT abc123\nSTABLE_DESC two  spaces \n"), 0o644)
	os.WriteFile(volatile, []byte("BUILD_TIMESTAMP 1700000000\n\n"), 0o644)
	got, err := readStatus([]string{stable, volatile})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"BUILD_EMBED_LABEL": "", // a key alone: empty, as Bazel writes an unset --embed_label
		"STABLE_GIT_COMMIT": "abc123",
		"STABLE_DESC":       "two  spaces ", // everything after the first space
		"BUILD_TIMESTAMP":   "1700000000",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("readStatus = %q, want %q", got, want)
	}
	if _, err := readStatus([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("readStatus of a missing file: no error")
	}
}

func TestStampValue(t *testing.T) {
	status := map[string]string{"STABLE_GIT_COMMIT": "abc", "BUILD_TIMESTAMP": "17", "BUILD_EMBED_LABEL": "", "K2": "{K}"}
	for _, tc := range []struct {
		in, want string
		missing  []string
	}{
		{in: "plain", want: "plain"},
		{in: "{STABLE_GIT_COMMIT}", want: "abc"},
		{in: "v1-{STABLE_GIT_COMMIT}@{BUILD_TIMESTAMP}!", want: "v1-abc@17!"},
		{in: "[{BUILD_EMBED_LABEL}]", want: "[]"},
		{in: "{K2}", want: "{K}"}, // a status value is not substituted again
		// Not keys, as stamp.bzl's stamp_keys sees them: left as written.
		{in: `{"a": 1}`, want: `{"a": 1}`},
		{in: "{lower}", want: "{lower}"},
		{in: "{9LIVES}", want: "{9LIVES}"},
		{in: "{}", want: "{}"},
		{in: "{STABLE_GIT_COMMIT", want: "{STABLE_GIT_COMMIT"},
		{in: "{{STABLE_GIT_COMMIT}}", want: "{abc}"},
		{in: "{STABLE_NONE}-{BUILD_TIMESTAMP}-{OTHER}", want: "-17-", missing: []string{"STABLE_NONE", "OTHER"}},
	} {
		got, missing := stampValue(tc.in, status)
		if got != tc.want || !reflect.DeepEqual(missing, tc.missing) {
			t.Errorf("stampValue(%q) = %q, %q; want %q, %q", tc.in, got, missing, tc.want, tc.missing)
		}
	}
}

// A definition naming a key that the status lacks is left out, as rules_go
// does, so the variable keeps its value from the source.
func TestStampXdefs(t *testing.T) {
	status := map[string]string{"STABLE_GIT_COMMIT": "abc"}
	got := stampXdefs("//host", []string{
		"main.Commit={STABLE_GIT_COMMIT}",
		"main.Typo={STABLE_GIT_COMIT}",
		"example.com/v.Eq=a=b {STABLE_GIT_COMMIT}",
		"main.Plain=x",
	}, status)
	want := []string{"main.Commit=abc", "example.com/v.Eq=a=b abc", "main.Plain=x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stampXdefs = %q, want %q", got, want)
	}
}
