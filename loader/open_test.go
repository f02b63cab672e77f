package loader

import (
	"bytes"
	"debug/elf"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

	fifo := filepath.Join(dir, "fifo.so")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	// A damaged copy: one byte of the function table's header changed.
	damaged := filepath.Join(dir, "damaged.so")
	bad := append([]byte(nil), data...)
	bad[pclntabOffset(t, data)] ^= 0x01
	if err := os.WriteFile(damaged, bad, 0o755); err != nil {
		t.Fatal(err)
	}
	// The same damage in a plugin without a content hash: its structures
	// give it away.
	nobuildid, err := os.ReadFile(fixture(t, "nobuildid.so"))
	if err != nil {
		t.Fatal(err)
	}
	nobuildid[pclntabOffset(t, nobuildid)] ^= 0x01
	damagedNoID := filepath.Join(dir, "damaged-nobuildid.so")
	if err := os.WriteFile(damagedNoID, nobuildid, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		path string
		opts []Option
		want error
		text string
	}{
		{"named pipe", fifo, nil, ErrNotPlugin, "not a regular file: it is a named pipe (FIFO)"},
		{"directory", dir, nil, ErrNotPlugin, "not a regular file: it is a directory"},
		{"/dev/zero with a checksum", "/dev/zero", []Option{WithSHA256(sum)}, ErrNotPlugin, "not a regular file: it is a character device"},
		{"missing manifest", notrim, []Option{WithManifest(filepath.Join(dir, "missing.json"))}, ErrManifest, "missing.json: no such file or directory"},
		{"damaged", damaged, nil, ErrCorrupt, "does not match its Go build ID"},
		{"damaged, without a build ID", damagedNoID, nil, ErrCorrupt, `the function table header is f0 ff ff ff 00 00 01 08; the runtime would throw "invalid function symbol table"`},
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
			p, err := openWithin(t, tc.path, tc.opts...)
			if p != nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) || !strings.Contains(err.Error(), tc.path) {
				t.Fatalf("got %v, %v; want %v containing %q and the path", p, err, tc.want, tc.text)
			}
			if n := strings.Count(err.Error(), tc.want.Error()); n != 1 {
				t.Fatalf("%q says %q %d times", err, tc.want, n)
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

// openWithin is Open, failing the test if it does not return in time: a
// named pipe or a device must not make it block.
func openWithin(t *testing.T, path string, opts ...Option) (*Plugin, error) {
	t.Helper()
	type result struct {
		p   *Plugin
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := Open(path, opts...)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		return r.p, r.err
	case <-time.After(30 * time.Second):
		t.Fatalf("Open(%s) did not return", path)
		return nil, nil
	}
}

// pclntabOffset is the file offset of the .gopclntab section.
func pclntabOffset(t *testing.T, data []byte) int {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return int(f.Section(".gopclntab").Offset)
}
