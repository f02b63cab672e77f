package pluginlang

import (
	"sort"
	"strings"

	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/pathtools"
)

// pluginSet is every go_plugin and go_plugin_import target Gazelle has
// generated or indexed, for the patterns of # gazelle:go_plugin_host_plugins.
type pluginSet map[label.Label]bool

// expand turns a host's plugin labels and patterns into labels: explicit
// labels as written, and each pattern's matches by package, then name, without
// repeats. It also returns the patterns that matched nothing.
func (s pluginSet) expand(patterns []string, repo string) (labels []label.Label, unmatched []string) {
	seen := map[label.Label]bool{}
	add := func(l label.Label) {
		if !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	for _, p := range patterns {
		pkg, recursive, ok := parsePattern(p)
		if !ok {
			l, err := label.Parse(p)
			if err != nil {
				unmatched = append(unmatched, p)
				continue
			}
			add(l)
			continue
		}
		var matches []label.Label
		for l := range s {
			if l.Repo != "" && l.Repo != repo {
				continue
			}
			if l.Pkg == pkg || recursive && pathtools.HasPrefix(l.Pkg, pkg) {
				matches = append(matches, label.New("", l.Pkg, l.Name))
			}
		}
		if len(matches) == 0 {
			unmatched = append(unmatched, p)
		}
		sort.Slice(matches, func(i, j int) bool {
			if matches[i].Pkg != matches[j].Pkg {
				return matches[i].Pkg < matches[j].Pkg
			}
			return matches[i].Name < matches[j].Name
		})
		for _, l := range matches {
			add(l)
		}
	}
	return labels, unmatched
}

// parsePattern reads "//pkg/..." (pkg and below) and "//pkg:all" or
// "//pkg:*" (pkg alone). Anything else is a label.
func parsePattern(p string) (pkg string, recursive, ok bool) {
	if !strings.HasPrefix(p, "//") {
		return "", false, false
	}
	rest := strings.TrimPrefix(p, "//")
	if rest == "..." {
		return "", true, true
	}
	if pkg, ok := strings.CutSuffix(rest, "/..."); ok {
		return pkg, true, true
	}
	for _, all := range []string{":all", ":*"} {
		if pkg, ok := strings.CutSuffix(rest, all); ok {
			return pkg, false, true
		}
	}
	return "", false, false
}
