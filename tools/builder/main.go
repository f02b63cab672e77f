// Command builder runs the Go toolchain inside Bazel actions for rules_go_plugin.
//
// One verb per kind of action, and one for the SDK repository's setup:
//
//	builder compile   ...   check and compile one Go package into an archive
//	builder link      ...   link a plugin (.so) or a host executable
//	builder std       ...   compile std packages (one per go_stdlib action)
//	builder stdbundle ...   write the SDK's std source bundle (at setup)
//	builder stdplan   ...   write the SDK's std plan: the go command's flags for std (at setup)
//	builder godebug   ...   read the main module's go.mod for the GODEBUG defaults (at setup)
//	builder modgraph  ...   record the main module's module graph (at setup)
//
// It uses only the standard library: the SDK repository builds it with the
// SDK's go command when it is set up, before any other Go code exists.
// Arguments may come from a params file, which Bazel writes for long lists
// (see params.go).
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	args, err := expandParams(os.Args[1:])
	if err != nil {
		fatal(err)
	}
	if len(args) == 0 {
		fatal(errors.New("usage: builder compile|link|std|stdbundle|stdplan|godebug|modgraph [flags]"))
	}
	verbs := map[string]func([]string) error{
		"compile":   runCompile,
		"link":      runLink,
		"std":       runStd,
		"stdbundle": runStdBundle,
		"stdplan":   runStdPlan,
		"godebug":   runGodebug,
		"modgraph":  runModgraph,
	}
	run, ok := verbs[args[0]]
	if !ok {
		fatal(fmt.Errorf("unknown verb %q: want compile, link, std, stdbundle, stdplan, godebug or modgraph", args[0]))
	}
	if err := run(args[1:]); err != nil {
		fatal(err)
	}
}

// fatal prints err, which names the target when it is about one, and exits.
func fatal(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
