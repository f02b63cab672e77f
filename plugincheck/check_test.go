package plugincheck

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func mustRead(t *testing.T, path string) *Binary {
	t.Helper()
	b, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// For each scenario, the checker's verdict on every plugin agrees with what
// plugin.Open really does in the host, and a failing plugin's report names
// the package the runtime names, among all the differing ones.
func TestCheckerAgreesWithRuntime(t *testing.T) {
	for _, tc := range []struct {
		name    string
		host    string
		plugins []string
		loads   []bool
		// wantPackages must all be among the mismatches of each failing plugin.
		wantPackages []string
		wantCause    string
	}{
		{"compatible", "host", []string{"good.so"}, []bool{true}, nil, ""},
		{"two plugins", "host", []string{"good.so", "other.so"}, []bool{true, true}, nil, ""},
		{"without -trimpath", "host", []string{"notrim.so"}, []bool{false}, []string{"example.com/fixture/api", "runtime", "internal/goarch"}, "-trimpath: the host has true, the plugin it unset"},
		{"tag changes a shared package", "host", []string{"tagged.so"}, []bool{false}, []string{"example.com/fixture/api"}, "-tags: the host has it unset, the plugin variant"},
		{"gcflags=all=-l", "host", []string{"noinline.so"}, []bool{false}, []string{"runtime", "sync"}, "-gcflags: the host has it unset, the plugin all=-l"},
		{"same pluginpath", "host", []string{"good.so", "dup.so"}, []bool{true, false}, nil, ""},
		{"failed plugin does not block its pluginpath", "host", []string{"tagged.so", "good.so"}, []bool{false, true}, []string{"example.com/fixture/api"}, ""},
		{"hand-edited hash in the host", "edited-host", []string{"good.so"}, []bool{false}, []string{"example.com/fixture/api"}, "no difference in toolchain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			host := fixture(t, tc.host)
			var paths []string
			var plugins []*Binary
			for _, p := range tc.plugins {
				paths = append(paths, fixture(t, p))
				plugins = append(plugins, mustRead(t, fixture(t, p)))
			}
			report := Check(mustRead(t, host), plugins)
			lines := runtimeVerdict(t, host, paths)
			if len(lines) != len(tc.plugins) {
				t.Fatalf("runtime printed %q", lines)
			}
			for i, res := range report.Plugins {
				runtimeLoads := strings.HasPrefix(lines[i], "OK ")
				if res.Loads != runtimeLoads {
					t.Errorf("%s: checker says loads=%v, plugin.Open says %q", tc.plugins[i], res.Loads, lines[i])
				}
				if res.Loads != tc.loads[i] {
					t.Errorf("%s: loads=%v, want %v", tc.plugins[i], res.Loads, tc.loads[i])
				}
				if res.Loads {
					continue
				}
				mismatched := map[string]bool{}
				for _, m := range res.Mismatches {
					mismatched[m.Package] = true
				}
				// The runtime names the first package; it must be among ours.
				if _, pkg, ok := strings.Cut(lines[i], "different version of package "); ok && !mismatched[pkg] {
					t.Errorf("%s: plugin.Open names package %s, the checker lists %v", tc.plugins[i], pkg, res.Mismatches)
				}
				if strings.Contains(lines[i], "plugin already loaded") && res.SamePluginPath == "" {
					t.Errorf("%s: plugin.Open says already loaded, the checker does not", tc.plugins[i])
				}
				for _, pkg := range tc.wantPackages {
					if !mismatched[pkg] {
						t.Errorf("%s: mismatches %v lack %s", tc.plugins[i], res.Mismatches, pkg)
					}
				}
				if tc.wantCause != "" && !strings.Contains(strings.Join(res.Causes, "\n"), tc.wantCause) {
					t.Errorf("%s: causes %q lack %q", tc.plugins[i], res.Causes, tc.wantCause)
				}
			}
		})
	}
}

func TestReadPlugin(t *testing.T) {
	b := mustRead(t, fixture(t, "good.so"))
	if b.Kind != Plugin || b.PluginPath != "example.com/fixture/plug" {
		t.Fatalf("kind %s, pluginpath %q", b.Kind, b.PluginPath)
	}
	if b.LinkHashes["example.com/fixture/api"] == "" || b.LinkHashes["example.com/fixture/api"] != b.Hashes["example.com/fixture/api"] {
		t.Fatalf("hash of api: link %q, exported %q", b.LinkHashes["example.com/fixture/api"], b.Hashes["example.com/fixture/api"])
	}
	if b.BuildInfo == nil || b.BuildInfo.Path != "example.com/fixture/plug" {
		t.Fatalf("build info: %+v", b.BuildInfo)
	}
	h := mustRead(t, fixture(t, "host"))
	if h.Kind != Host || h.Hashes["example.com/fixture/api"] != b.Hashes["example.com/fixture/api"] {
		t.Fatalf("host: kind %s, api hash %q", h.Kind, h.Hashes["example.com/fixture/api"])
	}
}

// Malformed and unsuitable inputs give a clear error, never a crash.
func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	host, err := os.ReadFile(fixture(t, "host"))
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(fixture(t, "good.so"))
	if err != nil {
		t.Fatal(err)
	}
	good[len(good)/2] ^= 0x40 // somewhere in the middle; the content hash sees it
	for _, tc := range []struct {
		name string
		path string
		want error
		text string
	}{
		{"named pipe", fifo, ErrNotRegular, "not a regular file: it is a named pipe (FIFO)"},
		{"device", "/dev/zero", ErrNotRegular, "not a regular file: it is a character device"},
		{"directory", dir, ErrNotRegular, "not a regular file: it is a directory"},
		{"damaged", write("damaged.so", good), ErrCorrupt, "damaged plugin file: the file does not match its Go build ID"},
		{"empty", write("empty", nil), ErrNotELF, "not an ELF file"},
		{"text", write("text", []byte("#!/bin/sh\necho hi\n")), ErrNotELF, "not an ELF file"},
		{"truncated header", write("trunc-header", host[:40]), ErrMalformed, "malformed ELF file"},
		{"truncated body", write("trunc-body", host[:len(host)/3]), ErrMalformed, "malformed ELF file"},
		{"other architecture", fixture(t, "hello-arm64"), ErrArch, "ELF file of another architecture: EM_AARCH64"},
		{"no plugin import", fixture(t, "hello"), ErrNoHashes, `not a Go host that imports "plugin"`},
		{"stripped plugin", fixture(t, "stripped.so"), ErrStripped, "build it without -ldflags=-s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.path)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) || !strings.HasPrefix(err.Error(), tc.path+": ") {
				t.Fatalf("got %v, want %v containing %q and starting with the path", err, tc.want, tc.text)
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	// Reading a checksum or a manifest refuses what Read refuses, at once.
	for _, p := range []string{fifo, "/dev/zero", dir} {
		if _, err := FileSHA256(p); !errors.Is(err, ErrNotRegular) {
			t.Errorf("FileSHA256(%s): %v", p, err)
		}
		if _, err := ReadManifest(p); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadManifest(%s): %v", p, err)
		}
	}
}
