// Package pluginfixtures builds real hosts and plugins with the plain go
// command, for the tests of the compatibility checker and its command: each
// file is built the way a team outside Bazel would build it, with one
// difference that does or does not change package hashes.
package pluginfixtures

import (
	"bytes"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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

func build() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "testdata")
	out, err := os.MkdirTemp("", "pluginfixtures")
	if err != nil {
		return "", err
	}
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
			return "", fmt.Errorf("building fixture %s: %v\n%s", b.out, err, log)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "good.so"))
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(out, "dup.so"), data, 0o755); err != nil {
		return "", err
	}
	if err := EditHash(filepath.Join(out, "host"), filepath.Join(out, "edited-host"), "example.com/fixture/api"); err != nil {
		return "", err
	}
	return out, nil
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
