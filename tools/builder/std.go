package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// What the go command does differently for packages of the standard library
// (cmd/go/internal/work: gc.go and exec.go, Go 1.26). Package hashes of std
// must equal the go command's, so that a plugin built by `go build -trimpath`
// loads into a host built here and the reverse; std_test.go checks it.

// stdIncomplete are the std packages the go command compiles without
// -complete although they have no assembly: they declare functions that the
// runtime supplies through go:linkname.
var stdIncomplete = map[string]bool{
	"bytes": true, "internal/poll": true, "net": true, "os": true,
	"runtime/metrics": true, "runtime/pprof": true, "runtime/trace": true,
	"sync": true, "syscall": true, "time": true,
}

// stdCompilerFlags are the compiler flags the go command adds for a std
// package: -std, the language version of GOROOT's go.mod, the toolchain's
// version, and the install suffix of the plugin build.
func stdCompilerFlags(sdk *sdkFlags, importPath string, dynlink bool) ([]string, error) {
	lang, version, err := sdkVersions(sdk.goroot)
	if err != nil {
		return nil, err
	}
	flags := []string{"-std", "-lang=" + lang, "-goversion", version}
	if dynlink {
		flags = append(flags, "-installsuffix", "dynlink")
	}
	return flags, nil
}

// sdkVersions reads the language version (GOROOT/src/go.mod's go line, as
// "go1.26") and the toolchain version (GOROOT/VERSION's first line).
func sdkVersions(goroot string) (lang, version string, err error) {
	mod, err := os.ReadFile(filepath.Join(goroot, "src", "go.mod"))
	if err != nil {
		return "", "", fmt.Errorf("reading the SDK's src/go.mod: %w", err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "go "); ok {
			lang = "go" + strings.TrimSpace(v)
		}
	}
	v, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err != nil {
		return "", "", fmt.Errorf("reading the SDK's VERSION: %w", err)
	}
	version, _, _ = strings.Cut(string(v), "\n")
	version = strings.TrimSpace(version)
	if lang == "" || !strings.HasPrefix(version, "go") {
		return "", "", fmt.Errorf("the SDK at %s has no go line in src/go.mod or no version in VERSION", goroot)
	}
	return lang, version, nil
}

// splitGoAsm takes the Go assembly files out of a cgo package's assembly
// files, which otherwise go to the C compiler. Only runtime/cgo has both
// kinds: its gcc_* files are for the C compiler, the rest for the Go
// assembler.
func splitGoAsm(importPath string, ps *pkgSources) []string {
	if importPath != "runtime/cgo" {
		return nil
	}
	var gcc, goAsm []string
	for _, f := range ps.asmFiles {
		if strings.HasPrefix(filepath.Base(f), "gcc_") {
			gcc = append(gcc, f)
		} else {
			goAsm = append(goAsm, f)
		}
	}
	ps.asmFiles = gcc
	return goAsm
}

// cgoImplicitImports are the packages the files cgo generates import.
func cgoImplicitImports(importPath string) []string {
	var out []string
	if importPath != "runtime/cgo" {
		out = append(out, "runtime/cgo")
	}
	switch importPath {
	case "runtime/cgo", "runtime/race", "runtime/msan", "runtime/asan":
	default:
		out = append(out, "syscall")
	}
	return out
}
