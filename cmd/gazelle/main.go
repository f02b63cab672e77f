// Command gazelle is Gazelle with rules_go_plugin's language beside its own
// proto and Go languages: it writes BUILD.bazel files with go_plugin,
// go_plugin_host and go_plugin_test targets. Run it from the ruleset's
// checkout without Bazel:
//
//	go run ./cmd/gazelle -repo_root DIR [flags] [DIR/sub...]
//
// With -repo_root and no directories it updates the whole repository.
// It takes Gazelle's usual commands (update, fix), flags (-mode, -go_prefix,
// -index, ...) and directives (prefix, map_kind, exclude, resolve, ...),
// plus the directives of docs/gazelle.md. Users run the same language
// through gazelle_binary with @rules_go_plugin_gazelle//:gazelle.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"os"

	"github.com/bazel-contrib/bazel-gazelle/v2/cmd/gazelle/update"
	"github.com/bazelbuild/bazel-gazelle/language"
	golang "github.com/bazelbuild/bazel-gazelle/language/go"
	"github.com/bazelbuild/bazel-gazelle/language/proto"

	pluginlang "github.com/rules-go-plugin/rules_go_plugin/gazelle"
)

func main() {
	log.SetPrefix("gazelle: ")
	log.SetFlags(0)
	// Under bazel run, paths are relative to the workspace, as for Gazelle.
	wd := os.Getenv("BUILD_WORKSPACE_DIRECTORY")
	if wd == "" {
		var err error
		if wd, err = os.Getwd(); err != nil {
			log.Fatal(err)
		}
	}
	args := withRepoRootDefault(os.Args[1:], newLanguages())
	err := update.Run(context.Background(), newLanguages(), wd, args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, update.ErrDiff):
		os.Exit(1)
	default:
		log.Fatal(err)
	}
}

// newLanguages are the languages in the order they run: the plugin language
// reads the Go language's rules.
func newLanguages() []language.Language {
	return []language.Language{proto.NewLanguage(), golang.NewLanguage(), pluginlang.NewLanguage()}
}
