// Package pluginfixtures builds real hosts and plugins with the plain go
// command, for the tests of the compatibility checker and its command: each
// file is built the way a team outside Bazel would build it, with one
// difference that does or does not change package hashes.
package pluginfixtures

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	once sync.Once
	dir  string
	err  error
)

// Path returns the path of a built fixture, building them all on first use:
//
//	host          a host importing plugin and example.com/fixture/api (-trimpath)
//	hello         a Go program that does not import plugin
//	hello-arm64   the same for linux/arm64
//	good.so       a plugin built like the host
//	other.so      another plugin (another pluginpath) built like the host
//	dup.so        a copy of good.so: the same pluginpath
//	notrim.so     good.so without -trimpath
//	tagged.so     good.so with -tags=variant, which changes the api package
//	noinline.so   good.so with -gcflags=all=-l
//	stripped.so   good.so with -ldflags=-s
//	nobuildid.so  good.so with -ldflags=-buildid=: no content hash to check it by
//	edited-host   host with the hash of example.com/fixture/api flipped by hand
//	loaderhost    a host built from ./loaderhost (-trimpath): opens plugins with
//	              plugin.Open or loader.Open (see there)
//	chost         a host with C code (cgo) defining shared_c_fn and shared_c_var,
//	              and linking the cgo package capi (which cplug links too);
//	              it prints "OK <path> <fn> <var from C> <var from Go>" of each
//	              plugin's Which (see there)
//	cplug.so      a plugin whose own C code defines shared_c_fn and shared_c_var
//	              too, with default visibility: interposed by chost's
//	cstatic.so    cplug.so with static definitions: its own
//	chidden.so    cplug.so with -fvisibility=hidden: its own
//	cplug2.so     another plugin defining them (3, 30): opened after cplug.so into a
//	              host without C code, cplug.so's definitions interpose its own
//
// The host opens the plugins named on its command line in order and prints
// "OK <path>" or "ERR <path>: <error>" for each: the runtime's verdict.
func Path(name string) (string, error) {
	once.Do(func() { dir, err = build() })
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// MustPath is Path for tests and fuzz targets: a failure to build fails t.
func MustPath(t testing.TB, name string) string {
	t.Helper()
	p, err := Path(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// build builds the fixtures once per version of their sources and of Go,
// into a directory of the system's temporary directory that later test
// processes (and fuzzing workers) reuse.
func build() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	here := filepath.Dir(file)
	key, err := sourcesKey(here)
	if err != nil {
		return "", err
	}
	parent := filepath.Join(os.TempDir(), "rules_go_plugin_fixtures")
	final := filepath.Join(parent, key)
	if _, err := os.Stat(filepath.Join(final, "loaderhost")); err == nil {
		return final, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	out, err := os.MkdirTemp(parent, "building-")
	if err != nil {
		return "", err
	}
	if err := buildInto(filepath.Join(here, "testdata"), out); err != nil {
		os.RemoveAll(out)
		return "", err
	}
	if err := os.Rename(out, final); err != nil {
		// Another process finished first: use its files.
		os.RemoveAll(out)
		if _, err := os.Stat(filepath.Join(final, "loaderhost")); err != nil {
			return "", err
		}
	}
	return final, nil
}

// sourcesKey hashes what the fixtures are built from: the Go version, the
// fixtures' sources, and the packages the loaderhost links.
func sourcesKey(here string) (string, error) {
	h := sha256.New()
	io.WriteString(h, runtime.Version()+"\n")
	root := filepath.Join(here, "..", "..")
	for _, dir := range []string{filepath.Join(here, "testdata"), filepath.Join(here, "loaderhost"), filepath.Join(root, "loader"), filepath.Join(root, "plugincheck")} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, "_test.go") || strings.Contains(p, string(filepath.Separator)+"testdata"+string(filepath.Separator)+"fuzz") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s %d\n", p, len(data))
			h.Write(data)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

func buildInto(src, out string) error {
	builds := []struct {
		out  string
		env  []string
		args []string
	}{
		{"host", nil, []string{"-trimpath", "./host"}},
		{"hello", nil, []string{"-trimpath", "./hello"}},
		{"hello-arm64", []string{"GOARCH=arm64", "CGO_ENABLED=0"}, []string{"-trimpath", "./hello"}},
		{"good.so", nil, []string{"-trimpath", "-buildmode=plugin", "./plug"}},
		{"other.so", nil, []string{"-trimpath", "-buildmode=plugin", "./other"}},
		{"notrim.so", nil, []string{"-buildmode=plugin", "./plug"}},
		{"tagged.so", nil, []string{"-trimpath", "-tags=variant", "-buildmode=plugin", "./plug"}},
		{"noinline.so", nil, []string{"-trimpath", "-gcflags=all=-l", "-buildmode=plugin", "./plug"}},
		{"stripped.so", nil, []string{"-trimpath", "-ldflags=-s", "-buildmode=plugin", "./plug"}},
		{"nobuildid.so", nil, []string{"-trimpath", "-ldflags=-buildid=", "-buildmode=plugin", "./plug"}},
		{"loaderhost", nil, []string{"-trimpath", "../loaderhost"}},
		{"chost", nil, []string{"-trimpath", "./chost"}},
		{"cplug.so", nil, []string{"-trimpath", "-buildmode=plugin", "./cplug"}},
		{"cstatic.so", nil, []string{"-trimpath", "-buildmode=plugin", "./cstatic"}},
		{"chidden.so", nil, []string{"-trimpath", "-buildmode=plugin", "./chidden"}},
		{"cplug2.so", nil, []string{"-trimpath", "-buildmode=plugin", "./cplug2"}},
	}
	for _, b := range builds {
		cmd := exec.Command("go", append([]string{"build", "-o", filepath.Join(out, b.out)}, b.args...)...)
		cmd.Dir = src
		if b.out == "loaderhost" {
			cmd.Dir = filepath.Join(src, "..", "loaderhost") // in the repository's module
			cmd.Args[len(cmd.Args)-1] = "."
		}
		cmd.Env = append(os.Environ(), append([]string{"GOFLAGS=-buildvcs=false", "GOTOOLCHAIN=local", "GOWORK=off"}, b.env...)...)
		if log, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building fixture %s: %v\n%s", b.out, err, log)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "good.so"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "dup.so"), data, 0o755); err != nil {
		return err
	}
	return EditHash(filepath.Join(out, "host"), filepath.Join(out, "edited-host"), "example.com/fixture/api")
}

// EditHash copies a binary and flips the bits of one package's exported
// hash, as if that package had been built from other sources.
func EditHash(from, to, pkg string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return err
	}
	syms, err := f.DynamicSymbols()
	if err != nil {
		return err
	}
	for _, s := range syms {
		if s.Name == "go:link.pkghashbytes."+pkg {
			sec := f.Sections[s.Section]
			off := sec.Offset + (s.Value - sec.Addr)
			for i := uint64(0); i < s.Size; i++ {
				data[off+i] ^= 0xff
			}
			return os.WriteFile(to, data, 0o755)
		}
	}
	return fmt.Errorf("%s has no hash of %s", from, pkg)
}
