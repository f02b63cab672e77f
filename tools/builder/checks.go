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
