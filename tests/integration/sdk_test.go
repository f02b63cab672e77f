package integration

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A toolchain for a platform without plugin support is refused at analysis,
// with the reason and the supported platforms; its target constraints keep
// it out of builds for this machine.
func TestWindowsRefused(t *testing.T) {
	files := userFiles()
	// A Windows SDK beside the machine's: its toolchain targets Windows, so
	// a build for this machine picks the machine's, and one for a Windows
	// platform picks it (the ruleset's own tools, built for the exec
	// machine, still get the machine's).
	files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "host", goos = "windows", goarch = "amd64", name = "go_sdk_windows")

go_plugin_register_toolchains(go_version = "host")`)
	files["BUILD.bazel"] = `platform(
    name = "windows_amd64",
    constraint_values = [
        "@platforms//os:windows",
        "@platforms//cpu:x86_64",
    ],
)
`
	// A host without plugins, so that the host's own check is what fails.
	files["host/BUILD.bazel"] += `
go_plugin_host(
    name = "standalone",
    srcs = ["main.go"],
    deps = [
        "//api",
        "@rules_go_plugin//loader",
    ],
)
`
	w := newWorkspace(t, files)
	w.mustRun("build", "//plugins:alpha")
	w.mustFail([]string{
		"//plugins:alpha: Go plugins cannot be built for windows/amd64: the Go plugin package is not implemented on Windows (golang.org/issue/19282)",
		"Supported: linux/amd64, linux/arm, linux/arm64",
	}, "build", "--platforms=//:windows_amd64", "//plugins:alpha")
	w.mustFail([]string{"//host:standalone: Go plugins cannot be built for windows/amd64"}, "build", "--platforms=//:windows_amd64", "//host:standalone")
}

// A pinned version the host SDK does not have fails with both versions and the fixes.
func TestPinnedVersionMismatch(t *testing.T) {
	files := userFiles()
	files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "1.25.0")`)
	w := newWorkspace(t, files)
	w.mustFail([]string{
		`go_version = "1.25.0" was asked for, but the host SDK at ` + runtime.GOROOT(),
		"is " + runtime.Version() + ".",
		"Install Go 1.25.0 and point GOROOT or PATH at it (or set GOTOOLCHAIN=go1.25.0), download it by passing urls and sha256",
		`or set go_version = "host"`,
	}, "build", "//plugins:alpha")
}

// A pinned SDK is downloaded (here from a file:// URL to a tarball made from
// the local SDK), checked against its sha256, and builds a host and plugin
// that load together.
func TestDownloadedSDK(t *testing.T) {
	version := strings.TrimPrefix(runtime.Version(), "go")
	tarball := filepath.Join(baseDir, "sdk", "go"+version+".tar.gz")
	sum, err := sdkTarball(runtime.GOROOT(), tarball)
	if err != nil {
		t.Fatal(err)
	}
	files := userFiles()
	files["WORKSPACE"] = workspaceHeader(fmt.Sprintf(`go_plugin_register_toolchains(
    go_version = %q,
    urls = ["file://%s"],
    sha256 = %q,
)`, version, tarball, sum))
	w := newWorkspace(t, files)
	out := w.mustRun("run", "//host")
	if !strings.Contains(out, "alpha greets the host\n") {
		t.Fatalf("the host built with the downloaded SDK did not load the plugin:\n%s", out)
	}
	// The SDK really is the extracted archive, not a link to the local one.
	sdkGo := w.path("bazel-" + filepath.Base(w.dir) + "/external/go_sdk/bin/go")
	if fi, err := os.Lstat(sdkGo); err != nil || fi.Mode()&fs.ModeSymlink != 0 {
		t.Fatalf("%s is not a file extracted from the archive: %v", sdkGo, err)
	}

	files["WORKSPACE"] = strings.Replace(files["WORKSPACE"], sum, strings.Repeat("0", 64), 1)
	w = newWorkspace(t, files)
	w.mustFail([]string{"Checksum was " + sum + " but wanted " + strings.Repeat("0", 64)}, "build", "//plugins:alpha")
}

// sdkTarball writes a go<version>.tar.gz of what the ruleset needs from the
// SDK at goroot (the go command, the compiler tools, std sources), laid out
// like the official archives (everything under go/), and returns its sha256.
// It is reused across runs.
func sdkTarball(goroot, out string) (string, error) {
	if data, err := os.ReadFile(out); err == nil {
		h := sha256.Sum256(data)
		return hex.EncodeToString(h[:]), nil
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", err
	}
	toolDir := filepath.Join("pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH)
	include := func(rel string, d fs.DirEntry) bool {
		switch {
		case rel == "." || rel == "bin" || rel == "bin/go" || rel == "VERSION" || rel == "go.env" || rel == "pkg" || rel == "pkg/tool":
			return true
		case rel == toolDir || rel == "pkg/include" || strings.HasPrefix(rel, "pkg/include/"):
			return true
		case strings.HasPrefix(rel, toolDir+"/"):
			name := filepath.Base(rel)
			return name == "compile" || name == "link" || name == "asm" || name == "cgo"
		case rel == "src" || strings.HasPrefix(rel, "src/"):
			return !strings.HasPrefix(rel, "src/cmd/") && !strings.Contains(rel, "/testdata")
		}
		return false
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	gz, _ := gzip.NewWriterLevel(io.MultiWriter(f, h), gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(goroot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(goroot, path)
		if !include(filepath.ToSlash(rel), d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.ToSlash(filepath.Join("go", rel))
		if d.IsDir() {
			hdr.Name += "/"
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			src, err := os.Open(path)
			if err != nil {
				return err
			}
			defer src.Close()
			_, err = io.Copy(tw, src)
			return err
		}
		return nil
	})
	for _, c := range []io.Closer{tw, gz, f} {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), os.Rename(tmp, out)
}
