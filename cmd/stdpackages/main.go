// Command stdpackages lists the standard library packages that the Go files
// of a workspace import, as the value of rules_go_plugin's std_packages
// setting, a hint of the std packages to compile once for the whole build
// (what it misses, each target's std delta compiles, once per target that
// needs it):
//
//	go run github.com/rules-go-plugin/rules_go_plugin/cmd/stdpackages [DIR]
//	--@rules_go_plugin//go_plugin:std_packages=encoding/json,fmt,os,plugin,sort,strings
//
// Put the line in .bazelrc (as `build --@rules_go_plugin//...`). The rules add
// what their own Go packages need.
package main

import (
	"fmt"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	pkgs, err := stdImports(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stdpackages:", err)
		os.Exit(1)
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(os.Stderr, "stdpackages: no Go file in %s imports a standard library package\n", dir)
		os.Exit(1)
	}
	fmt.Println("--@rules_go_plugin//go_plugin:std_packages=" + strings.Join(pkgs, ","))
}

// stdImports returns the sorted standard library imports of the Go files
// below dir, skipping Bazel's output links, testdata and hidden directories.
func stdImports(dir string) ([]string, error) {
	seen := map[string]bool{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, "bazel-") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if isStd(p) {
				seen[p] = true
			}
		}
		return nil
	})
	var pkgs []string
	for p := range seen {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs, err
}

// isStd reports whether an import path is a standard library package: its
// first element has no dot (and it is not cgo's "C"), and GOROOT has it. A
// dot alone does not decide: a module may be named without one ("module
// myapp"), and std_packages must not list its packages.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if path == "C" || strings.Contains(first, ".") {
		return false
	}
	info, err := os.Stat(filepath.Join(build.Default.GOROOT, "src", filepath.FromSlash(path)))
	return err == nil && info.IsDir()
}
