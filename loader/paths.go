// Package loader finds the plugins of a host built by rules_go_plugin.
//
// go_plugin_host links the runfiles paths of the targets in its plugins
// attribute into this package, so a host finds its plugins under `bazel run`,
// `bazel test` and from bazel-bin without being told where they are. A host
// shipped outside Bazel, or one that should load other files, sets
// GO_PLUGIN_PATHS instead.
package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnvPaths names the environment variable that, when set, overrides the
// plugins linked into the host: a list of .so paths separated by
// os.PathListSeparator (":" on Unix).
const EnvPaths = "GO_PLUGIN_PATHS"

// bazelPlugins is set by go_plugin_host with -X: the runfiles paths of its
// plugins, separated by commas. Empty in a binary not built by the rules.
var bazelPlugins string

// ErrNoPlugins is returned by Paths when the host was built without plugins
// and GO_PLUGIN_PATHS is not set.
var ErrNoPlugins = errors.New("loader: no plugins: the host was not built by go_plugin_host with plugins, and " + EnvPaths + " is not set")

// Paths returns the absolute paths of the host's plugins, in the order of
// the plugins attribute (or of GO_PLUGIN_PATHS). Every path exists.
func Paths() ([]string, error) {
	if env := os.Getenv(EnvPaths); env != "" {
		var paths []string
		for _, p := range filepath.SplitList(env) {
			if p == "" {
				continue
			}
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, err
			}
			if _, err := os.Stat(abs); err != nil {
				return nil, fmt.Errorf("loader: plugin %s from %s: %w", p, EnvPaths, err)
			}
			paths = append(paths, abs)
		}
		return paths, nil
	}
	if bazelPlugins == "" {
		return nil, ErrNoPlugins
	}
	rf, err := findRunfiles()
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, rloc := range strings.Split(bazelPlugins, ",") {
		p, err := rf.resolve(rloc)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
