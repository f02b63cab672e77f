// Command modulecheck statically checks MODULE.bazel files and the module
// extensions they use, for Bazel versions that cannot run bzlmod here.
//
//	go run ./tools/modulecheck MODULE.bazel examples/MODULE.bazel
//
// It parses the files with buildtools and checks that every extension, tag
// class, tag attribute, repository and toolchain they name exists: the
// extension's .bzl file and module_extension, each tag and its attributes
// (and that mandatory ones are given), each use_repo name against the
// repositories the extension declares, each register_toolchains label
// against the repositories in scope and the toolchain targets they define,
// and each local_path_override against the module found at its path.
// It exits 1 and lists every problem when there is any.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: modulecheck MODULE.bazel...")
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		problems, err := CheckModule(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(2)
		}
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, p)
			failed = true
		}
		if len(problems) == 0 {
			fmt.Printf("%s: ok\n", path)
		}
	}
	if failed {
		os.Exit(1)
	}
}
