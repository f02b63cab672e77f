package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplitEmbedPatterns(t *testing.T) {
	got, err := splitEmbedPatterns(" a.txt  \"b c.txt\" `d*.json`\tall:static ")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a.txt", "b c.txt", "d*.json", "all:static"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if _, err := splitEmbedPatterns(`"open`); err == nil {
		t.Fatal("want an error for an unterminated quote")
	}
}

func TestResolveEmbeds(t *testing.T) {
	files := map[string]string{
		"greeting.txt":        "x/greeting.txt",
		"static/index.html":   "x/static/index.html",
		"static/.hidden":      "x/static/.hidden",
		"static/_draft/a.txt": "x/static/_draft/a.txt",
		"static/css/site.css": "x/static/css/site.css",
	}
	cfg, err := resolveEmbeds([]string{"greeting.txt", "static", "all:static", "static/*.html"}, files)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"greeting.txt":  {"greeting.txt"},
		"static":        {"static/css/site.css", "static/index.html"},
		"all:static":    {"static/.hidden", "static/_draft/a.txt", "static/css/site.css", "static/index.html"},
		"static/*.html": {"static/index.html"},
	}
	if !reflect.DeepEqual(cfg.Patterns, want) {
		t.Fatalf("patterns: got %v, want %v", cfg.Patterns, want)
	}
	if cfg.Files["static/.hidden"] != "x/static/.hidden" || len(cfg.Files) != 5 {
		t.Fatalf("files: got %v", cfg.Files)
	}
}

func TestResolveEmbedsErrors(t *testing.T) {
	files := map[string]string{"a.txt": "a.txt"}
	for pat, want := range map[string]string{
		"missing.txt": "//go:embed missing.txt: no matching files in embedsrcs; add the files to embedsrcs",
		"/abs":        "//go:embed /abs: invalid pattern",
		"[":           "//go:embed [: invalid pattern",
	} {
		_, err := resolveEmbeds([]string{pat}, files)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("pattern %q: got %v, want %q", pat, err, want)
		}
	}
}
