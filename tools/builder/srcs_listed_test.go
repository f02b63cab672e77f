package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The SDK repository builds the builder from the files builder_srcs.bzl
// names, and only a named file makes Bazel set the repository up again when
// it changes: a file missing from the list would break the build, or be
// stale in it.
func TestBuilderSourcesListed(t *testing.T) {
	const bzl = "../../go_plugin/private/sdk/builder_srcs.bzl"
	data, err := os.ReadFile(bzl)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile(`"//tools/builder:([^"]+)"`).FindAllStringSubmatch(string(data), -1) {
		listed = append(listed, m[1])
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			want = append(want, f)
		}
	}
	sort.Strings(listed)
	if strings.Join(listed, " ") != strings.Join(want, " ") {
		t.Errorf("%s lists %v; tools/builder has %v: list every non-test .go file of tools/builder", bzl, listed, want)
	}
}
