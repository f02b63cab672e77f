package main

import (
	"path/filepath"
	"strings"
)

// What the builder itself knows of std beyond the SDK's std plan
// (stdplan.go): how the go command splits runtime/cgo's assembly and what
// cgo's generated files import. Neither is a flag of the compiler.

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
