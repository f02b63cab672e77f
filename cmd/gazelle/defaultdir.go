package main

import (
	"flag"
	"io"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/language"
	"github.com/bazelbuild/bazel-gazelle/resolve"
	"github.com/bazelbuild/bazel-gazelle/walk"
)

// withRepoRootDefault makes "-repo_root DIR" without directories update
// the whole repository at DIR. Gazelle would update the current directory,
// which from the ruleset's checkout is not under DIR ("not a subdirectory of
// repo root"). It parses the arguments with the flags Gazelle registers, to
// tell flag values from directories; on any parse error it leaves them to
// Gazelle, which reports it.
func withRepoRootDefault(args []string, langs []language.Language) []string {
	fs := flag.NewFlagSet("gazelle", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	rest, cmd := args, "update"
	if len(rest) > 0 && (rest[0] == "update" || rest[0] == "fix") {
		cmd, rest = rest[0], rest[1:]
	}
	c := config.New()
	for _, cext := range []config.Configurer{&config.CommonConfigurer{}, &walk.Configurer{}, &resolve.Configurer{}} {
		cext.RegisterFlags(fs, cmd, c)
	}
	registerUpdateFlags(fs)
	for _, l := range langs {
		l.RegisterFlags(fs, cmd, c)
	}
	if err := fs.Parse(rest); err != nil || fs.NArg() > 0 {
		return args
	}
	root := fs.Lookup("repo_root")
	if root == nil || root.Value.String() == "" {
		return args
	}
	return append(append([]string(nil), args...), root.Value.String())
}

// registerUpdateFlags declares the flags of Gazelle's update command, which
// it registers in an unexported type: only their names and whether they
// take a value matter here.
func registerUpdateFlags(fs *flag.FlagSet) {
	for _, name := range []string{"mode", "patch", "cpuprofile", "memprofile", "known_import", "repo_config"} {
		fs.String(name, "", "")
	}
	for _, name := range []string{"r", "print0", "remove_noop_keep_comments", "version"} {
		fs.Bool(name, false, "")
	}
}
