package main

import (
	"fmt"
	"os/exec"
	"strings"
)

// gcflagsSetting is how users spell the setting that gcflags come from.
const gcflagsSetting = "--@rules_go_plugin//go_plugin:gcflags"

// checkGcflags runs the compiler once with the gcflags setting and nothing
// to compile, so that a flag it does not know is reported as a mistake in
// the setting, once, instead of the compiler's usage for every package.
func checkGcflags(compiler string, env []string, gcflags []string) error {
	if len(gcflags) == 0 {
		return nil
	}
	if err := checkOwnedGcflags(gcflags); err != nil {
		return err
	}
	cmd := exec.Command(compiler, append(append([]string{}, gcflags...), "-V=full")...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil {
		return nil
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if first == "" {
		first = err.Error()
	}
	return fmt.Errorf("%s=%s: go tool compile refuses it: %s; fix or remove the setting", gcflagsSetting, strings.Join(gcflags, ","), first)
}

// ownedGcflags are the compiler flags the ruleset sets itself, per package
// and per variant: given build-wide they break builds (-dynlink on a host's
// packages makes every executable segfault at start) or contradict the
// setting that owns them. Analysis refuses the same list
// (go_plugin/private/rules/settings.bzl); this catches a builder run by hand.
var ownedGcflags = map[string]string{
	"dynlink":           "the ruleset compiles plugin variants with it and host variants without",
	"shared":            "the ruleset chooses the build mode per target",
	"linkshared":        "the ruleset chooses the build mode per target",
	"race":              "use --@rules_go_plugin//go_plugin:race=true",
	"msan":              "the ruleset builds no -msan variant",
	"asan":              "the ruleset builds no -asan variant",
	"p":                 "the ruleset sets each package's path",
	"o":                 "the ruleset names the outputs",
	"trimpath":          "use --@rules_go_plugin//go_plugin:trimpath",
	"importcfg":         "the ruleset writes the importcfg from deps",
	"importmap":         "the ruleset writes the importcfg from deps",
	"pack":              "the ruleset writes archives",
	"std":               "the ruleset compiles the standard library itself",
	"compiling-runtime": "the ruleset compiles the standard library itself",
	"+":                 "the ruleset compiles the standard library itself",
	"complete":          "the ruleset decides it from the package's sources",
	"buildid":           "the ruleset stamps build IDs",
	"embedcfg":          "the ruleset writes the embedcfg from embedsrcs",
	"symabis":           "the ruleset assembles a package's .s files",
	"asmhdr":            "the ruleset assembles a package's .s files",
	"linkobj":           "the ruleset names the outputs",
	"nolocalimports":    "the ruleset sets it",
	"D":                 "the ruleset sets the import resolution",
	"I":                 "the ruleset sets the import resolution",
}

// checkOwnedGcflags refuses, in the gcflags setting, a flag the ruleset
// controls.
func checkOwnedGcflags(gcflags []string) error {
	for _, f := range gcflags {
		if !strings.HasPrefix(f, "-") {
			continue // a value of the flag before it
		}
		name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if why, ok := ownedGcflags[name]; ok {
			return fmt.Errorf("%s=%s: -%s is a compiler flag rules_go_plugin sets itself (%s); remove it from the setting", gcflagsSetting, strings.Join(gcflags, ","), name, why)
		}
	}
	return nil
}

// checkSelfImport refuses a package that imports its own import path,
// which the dep check would otherwise ask to add to its own deps.
func checkSelfImport(ps *pkgSources, importPath string) error {
	for _, f := range ps.goFiles {
		for _, imp := range f.imports {
			if imp.path == importPath {
				return fmt.Errorf("%s:%d: the package imports itself (%q is its own import path); a package cannot import itself: remove the import, or move what it needs into a package of its own", f.path, imp.pos.Line, imp.path)
			}
		}
	}
	return nil
}
