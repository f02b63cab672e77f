package pluginlang

import (
	"log"
	"path"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/repo"
	"github.com/bazelbuild/bazel-gazelle/resolve"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// rulesetPackages are the ruleset's Go packages that users' code imports,
// by import path, with their package in the rules_go_plugin repository.
var rulesetPackages = map[string]string{
	loaderImportPath: "loader",
	"github.com/rules-go-plugin/rules_go_plugin/plugincheck": "plugincheck",
}

// Imports makes no rule of ours importable (a plugin or a host is not a
// package other code imports); it records plugins for the host patterns.
func (l *pluginLang) Imports(c *config.Config, r *rule.Rule, f *rule.File) []resolve.ImportSpec {
	switch r.Kind() {
	case pluginKind, importKind:
		l.plugins[label.New(c.RepoName, f.Pkg, r.Name())] = true
	}
	return nil
}

// Resolve sets the deps of plugins and hosts with Gazelle's Go resolver (the
// index, # gazelle:resolve, go_repository naming of third-party modules),
// and the plugins of hosts from # gazelle:go_plugin_host_plugins.
func (l *pluginLang) Resolve(c *config.Config, ix *resolve.RuleIndex, rc *repo.RemoteCache, r *rule.Rule, imports interface{}, from label.Label) {
	switch r.Kind() {
	case pluginKind:
		l.goLang.Resolve(c, ix, rc, r, imports, from)
	case hostKind:
		l.goLang.Resolve(c, ix, rc, r, imports, from)
		patterns, ok := r.PrivateAttr(hostPluginsKey).([]string)
		if !ok {
			return
		}
		labels, unmatched := l.plugins.expand(patterns, c.RepoName)
		for _, p := range unmatched {
			log.Printf("%s: # gazelle:%s %s names no go_plugin or go_plugin_import target", from, hostPluginsDirective, p)
		}
		var plugins []string
		for _, p := range labels {
			plugins = append(plugins, p.Rel(from.Repo, from.Pkg).String())
		}
		if len(plugins) > 0 {
			r.SetAttr("plugins", plugins)
		} else {
			r.DelAttr("plugins")
		}
	}
}

// CrossResolve resolves imports of the ruleset's own Go packages (the
// loader) to @rules_go_plugin, under whatever name the root module gives it.
func (*pluginLang) CrossResolve(c *config.Config, _ *resolve.RuleIndex, imp resolve.ImportSpec, _ string) []resolve.FindResult {
	pkg, ok := rulesetPackages[imp.Imp]
	if imp.Lang != "go" || !ok || c.RepoName == rulesetModule {
		return nil
	}
	return []resolve.FindResult{{Label: label.New(apparentName(c.ModuleToApparentName), pkg, path.Base(pkg))}}
}
