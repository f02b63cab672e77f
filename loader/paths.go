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

// ErrNoPaths is returned by Paths when GO_PLUGIN_PATHS is set but names no
// file (empty, ":", or only separators): a host told to load nothing would
// otherwise run, and a go_plugin_test pass, with zero plugins.
var ErrNoPaths = errors.New("loader: " + EnvPaths + " is set but lists no plugin file: give the .so paths separated by \":\", or unset it to load the host's own plugins")

// Paths returns the absolute paths of the host's plugins, in the order of
// the plugins attribute (or of GO_PLUGIN_PATHS). Every path exists.
func Paths() ([]string, error) {
	if env, ok := os.LookupEnv(EnvPaths); ok {
		return envPaths(env)
	}
	if manifest := os.Getenv(EnvRelease); manifest != "" {
		d, err := releaseFor(manifest)
		if err != nil {
			return nil, fmt.Errorf("loader: %s=%s: %w", EnvRelease, manifest, err)
		}
		return d.paths()
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

// envPaths resolves GO_PLUGIN_PATHS. Empty entries (a leading, trailing or
// doubled ":") are skipped, but at least one must remain; an entry of only
// white space is a typo, not a file name.
func envPaths(env string) ([]string, error) {
	var paths []string
	for _, p := range filepath.SplitList(env) {
		if p == "" {
			continue
		}
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("loader: %s=%q: entry %q is only white space, not a file: remove it", EnvPaths, env, p)
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
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w (it is %q)", ErrNoPaths, env)
	}
	return paths, nil
}
