// Command starlarkcheck checks every BUILD, .bzl, WORKSPACE and MODULE.bazel
// file under the given directories (default ".") for Starlark that Bazel 7,
// 8 or 9 removed or changed (internal/starlarkcheck says what), since only
// Bazel 4.2.3 runs here. It prints each finding with its fix and exits 1
// when there is one.
//
//	go run ./tools/starlarkcheck [dir ...]
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/internal/starlarkcheck"
)

func main() {
	roots := os.Args[1:]
	if len(roots) == 0 {
		roots = []string{"."}
	}
	n, files := 0, 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != root && skipDir(d.Name()) {
					return filepath.SkipDir
				}
				return nil
			}
			if _, ok := starlarkcheck.KindOf(p); !ok {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files++
			found, err := starlarkcheck.Check(filepath.ToSlash(p), data, os.DirFS(filepath.Dir(p)))
			if err != nil {
				return err
			}
			for _, f := range found {
				fmt.Println(f)
				n++
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "starlarkcheck:", err)
			os.Exit(2)
		}
	}
	if n > 0 {
		fmt.Fprintf(os.Stderr, "starlarkcheck: %d problem(s) in %d files; fix them, or end a line that is right on every Bazel with \"# starlarkcheck: <why>\"\n", n, files)
		os.Exit(1)
	}
	fmt.Printf("starlarkcheck: %d files ok\n", files)
}

// skipDir: Bazel's output symlinks, VCS and cache directories.
func skipDir(name string) bool {
	return strings.HasPrefix(name, "bazel-") || name == ".git" || name == ".cache" || name == "node_modules"
}
