// Package pluginlang is a Gazelle language that writes rules_go_plugin's
// targets. It runs after Gazelle's Go language, in the same Gazelle binary,
// and turns the go_binary Go generates for a package main into a go_plugin
// (a plugin package) or a go_plugin_host (a command that imports "plugin"),
// with a go_plugin_test for each host whose plugins a directive names.
// Every other package stays with the Go language: its go_library, go_test
// and go_binary rules are Go's. See docs/gazelle.md.
package pluginlang

import (
	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/language"
	golang "github.com/bazelbuild/bazel-gazelle/language/go"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

const (
	languageName = "go_plugin"

	// The module name of rules_go_plugin, and the repository name users give
	// it under WORKSPACE.
	rulesetModule = "rules_go_plugin"
	defsFile      = "//go_plugin:defs.bzl"

	pluginKind = "go_plugin"
	hostKind   = "go_plugin_host"
	testKind   = "go_plugin_test"
	importKind = "go_plugin_import"
)

type pluginLang struct {
	// goLang resolves the deps of plugins and hosts exactly as Gazelle's Go
	// language resolves those of a go_binary.
	goLang  language.Language
	plugins pluginSet
	// libraries finds hosts through the libraries they import.
	libraries *libraryGraph
	// hostPlugins reports directives that applied to no host.
	hostPlugins *hostPluginsUse
}

// NewLanguage is the entry point gazelle_binary and cmd/gazelle call.
func NewLanguage() language.Language {
	return &pluginLang{
		goLang:      golang.NewLanguage(),
		plugins:     pluginSet{},
		libraries:   newLibraryGraph(),
		hostPlugins: newHostPluginsUse(),
	}
}

// DoneGeneratingRules runs when every directory has been visited.
func (l *pluginLang) DoneGeneratingRules() { l.hostPlugins.report() }

func (*pluginLang) Name() string { return languageName }

var packageAttrs = map[string]bool{"srcs": true, "embedsrcs": true}

var pluginKinds = map[string]rule.KindInfo{
	pluginKind: {
		MatchAny:       true,
		NonEmptyAttrs:  map[string]bool{"srcs": true, "embedsrcs": true, "deps": true},
		MergeableAttrs: packageAttrs,
		ResolveAttrs:   map[string]bool{"deps": true},
	},
	hostKind: {
		MatchAny:       true,
		NonEmptyAttrs:  map[string]bool{"srcs": true, "embedsrcs": true, "deps": true},
		MergeableAttrs: map[string]bool{"srcs": true, "embedsrcs": true, "importpath": true},
		ResolveAttrs:   map[string]bool{"deps": true, "plugins": true},
	},
	testKind: {
		MatchAttrs:      []string{"host"},
		NonEmptyAttrs:   map[string]bool{"host": true},
		SubstituteAttrs: map[string]bool{"host": true},
		MergeableAttrs:  map[string]bool{"host": true},
	},
	// Never generated; known so that hand-written ones count for the
	// patterns of # gazelle:go_plugin_host_plugins.
	importKind: {
		NonEmptyAttrs: map[string]bool{"so": true},
	},
}

func (*pluginLang) Kinds() map[string]rule.KindInfo { return pluginKinds }

// Loads names the repository "rules_go_plugin", as WORKSPACE users call it.
func (*pluginLang) Loads() []rule.LoadInfo { return loads(rulesetModule) }

// ApparentLoads names it as the root module's MODULE.bazel does.
func (*pluginLang) ApparentLoads(moduleToApparentName func(string) string) []rule.LoadInfo {
	return loads(apparentName(moduleToApparentName))
}

func loads(repo string) []rule.LoadInfo {
	return []rule.LoadInfo{{
		Name:    "@" + repo + defsFile,
		Symbols: []string{pluginKind, hostKind, importKind, testKind},
	}}
}

func apparentName(moduleToApparentName func(string) string) string {
	if moduleToApparentName != nil {
		if name := moduleToApparentName(rulesetModule); name != "" {
			return name
		}
	}
	return rulesetModule
}

func (*pluginLang) Fix(*config.Config, *rule.File) {}

func (*pluginLang) Embeds(*rule.Rule, label.Label) []label.Label { return nil }
