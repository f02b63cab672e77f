// Command docgen writes docs/reference.md, the reference of rules_go_plugin's
// public rules, providers, functions and module extension, from the
// docstrings of its .bzl files. Stardoc needs a Bazel this project's machines
// do not have; this reads the files with buildtools' parser instead. Run it
// from the repository's root after changing a docstring:
//
//	go run ./tools/docgen
//
// and commit docs/reference.md; TestReferenceIsCurrent fails until then.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

const generateCommand = "go run ./tools/docgen"

// referenceFile is where the reference goes, relative to the root.
const referenceFile = "docs/reference.md"

// publicFiles are the .bzl files users load.
var publicFiles = []publicFile{
	{"@rules_go_plugin//go_plugin:defs.bzl", "go_plugin/defs.bzl"},
	{"@rules_go_plugin//go_plugin:repositories.bzl", "go_plugin/repositories.bzl"},
	{"@rules_go_plugin//go_plugin:extensions.bzl", "go_plugin/extensions.bzl"},
	{"@rules_go_plugin//toolchain:toolchain.bzl", "toolchain/toolchain.bzl"},
}

const intro = `The rules, providers, functions and module extension users load, with
every attribute. The guide to them (outputs, cgo, the checks, build settings,
errors) is [rules.md](rules.md); the Gazelle language that writes these
targets is [gazelle.md](gazelle.md).`

// reference generates the reference of the repository at root.
func reference(root string) (string, error) {
	return render(newLoader(root), "Reference", intro, publicFiles)
}

func main() {
	root := flag.String("root", ".", "the repository's root")
	flag.Parse()
	text, err := reference(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(filepath.Join(*root, referenceFile), []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}
