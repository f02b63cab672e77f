package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

var fixture = pluginfixtures.MustPath

// The test binary is the host. `go test` builds it without -trimpath, so the
// fixture plugin built without -trimpath (notrim.so) matches it, and those
// built with -trimpath (other.so) do not. The cases run in order: loading
// is process-wide state.
func TestOpen(t *testing.T) {
	notrim := fixture(t, "notrim.so")
	sum, err := plugincheck.FileSHA256(notrim)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	text := filepath.Join(dir, "text.so")
	if err := os.WriteFile(text, []byte("not a plugin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	copyOf := filepath.Join(dir, "copy.so")
	data, err := os.ReadFile(notrim)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copyOf, data, 0o755); err != nil {
		t.Fatal(err)
	}

	// A manifest that ships notrim.so, and another file of that name.
	manifest := filepath.Join(dir, "manifest.json")
	m, err := plugincheck.NewManifest(&plugincheck.Binary{Path: fixture(t, "host"), Hashes: map[string]string{"x": "0"}},
		[]*plugincheck.Binary{{Path: notrim, PluginPath: "example.com/fixture/plug"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(manifest, []byte(buf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	sameName := filepath.Join(dir, "other", "notrim.so")
	if err := os.MkdirAll(filepath.Dir(sameName), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sameName, []byte("\x7fELF other bytes"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		path string
		opts []Option
		want error
		text string
	}{
		{"missing file", filepath.Join(dir, "missing.so"), nil, ErrNotFound, "no such file or directory"},
		{"not ELF", text, nil, ErrNotPlugin, "not an ELF file"},
		{"an executable", fixture(t, "host"), nil, ErrNotPlugin, "it is an executable"},
		{"other architecture", fixture(t, "hello-arm64"), nil, ErrNotPlugin, "EM_AARCH64"},
		{"stripped", fixture(t, "stripped.so"), nil, ErrNotPlugin, "stripped plugin"},
		{"wrong checksum", notrim, []Option{WithSHA256(strings.Repeat("0", 64))}, ErrChecksum, "want " + strings.Repeat("0", 64)},
		{"not in the manifest", copyOf, []Option{WithManifest(manifest)}, ErrChecksum, "lists no plugin copy.so"},
		{"not the shipped file", sameName, []Option{WithManifest(manifest)}, ErrChecksum, "want " + sum},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Open(tc.path, tc.opts...)
			if p != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("got %v, %v; want %v containing %q and the path", p, err, tc.want, tc.text)
			}
		})
	}

	p, err := Open(notrim, WithSHA256(sum), WithManifest(manifest))
	if err != nil {
		t.Fatalf("a matching plugin, the one the manifest ships: %v", err)
	}
	if p.PluginPath != "example.com/fixture/plug" {
		t.Fatalf("pluginpath %q", p.PluginPath)
	}

	greet, err := Lookup[*func(string) string](p, "Greet")
	if err != nil {
		t.Fatal(err)
	}
	if got := (*greet)("loader"); got != "hello loader" {
		t.Fatalf("Greet: %q", got)
	}
	_, err = Lookup[func() error](p, "Greet")
	var typeErr *SymbolTypeError
	if !errors.As(err, &typeErr) || !errors.Is(err, ErrSymbolType) || typeErr.Want != "func() error" || typeErr.Got != "*func(string) string" {
		t.Fatalf("wrong type: %v", err)
	}
	if _, err := Lookup[func()](p, "Missing"); !errors.Is(err, ErrSymbolNotFound) || !strings.Contains(err.Error(), "Missing") {
		t.Fatalf("missing symbol: %v", err)
	}

	// The same plugin from another file: refused before dlopen.
	if _, err := Open(copyOf); !errors.Is(err, ErrAlreadyLoaded) || !strings.Contains(err.Error(), "same pluginpath example.com/fixture/plug") {
		t.Fatalf("copy: %v", err)
	}

	// Built with -trimpath: every differing package, found before dlopen.
	_, err = Open(fixture(t, "other.so"))
	var mm *MismatchError
	if !errors.As(err, &mm) || !errors.Is(err, ErrMismatch) {
		t.Fatalf("other.so: %v", err)
	}
	pkgs := map[string]bool{}
	for _, m := range mm.Mismatches {
		pkgs[m.Package] = true
	}
	if !pkgs["runtime"] || !pkgs["example.com/fixture/api"] || len(pkgs) < 10 {
		t.Fatalf("other.so: mismatches %v", mm.Mismatches)
	}
}
