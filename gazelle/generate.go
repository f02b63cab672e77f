package pluginlang

import (
	"log"
	"strings"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/label"
	"github.com/bazelbuild/bazel-gazelle/language"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// hostPluginsKey carries a host's plugin labels and patterns from
// GenerateRules to Resolve, when every plugin is known.
const hostPluginsKey = "_go_plugin_host_plugins"

// GenerateRules replaces the go_binary (and the go_library it embeds) that
// Gazelle's Go language generated for a package main, when that package is
// a plugin or a host. It relies on the Go language running first: its rules
// are in args.OtherGen.
func (l *pluginLang) GenerateRules(args language.GenerateArgs) language.GenerateResult {
	var res language.GenerateResult
	l.hostPlugins.visited[args.Rel] = true
	l.recordLibraries(args)
	name, bin, lib := goPackageRules(args)
	if name == "" {
		return res // the Go language generated nothing here
	}
	source := lib
	if source == nil {
		source = bin
	}
	var pkg mainPackage
	if source != nil {
		var err error
		if pkg, err = inspectMain(args.Dir, source.AttrStrings("srcs")); err != nil {
			log.Printf("%s: %v; generating no go_plugin or go_plugin_host for it", args.Rel, err)
			return res
		}
	}
	pc := getPluginConfig(args.Config)
	if pkg.isMain && !pkg.importsPlugin {
		pkg.importsPlugin = l.libraries.reachesPlugin(args.Config.RepoRoot, args.Rel, source.AttrString("importpath"), pkg.imports)
	}
	oldHost := existingHost(args.Config, args.File, name)
	kind := classify(pc, pkg, oldHost != nil)
	if kind == "" {
		// Rules of ours named for this package are stale.
		res.Empty = emptyRules(name, "")
		return res
	}

	ruleName := name
	if kind == hostKind && oldHost != nil {
		// The user's name: the test below must name the host by it, as
		// Gazelle matches a go_plugin_test by its host before it renames.
		ruleName = oldHost.Name()
	}
	r := rule.NewRule(kind, ruleName)
	r.SetAttr("srcs", source.AttrStrings("srcs"))
	if embedsrcs := source.Attr("embedsrcs"); embedsrcs != nil {
		r.SetAttr("embedsrcs", embedsrcs)
	}
	if kind == hostKind {
		if importpath := source.AttrString("importpath"); importpath != "" {
			r.SetAttr("importpath", importpath)
		}
	}
	// A main package without func main has no go_binary: Go generates a
	// public library for it.
	visibility := source.Attr("visibility")
	if bin != nil {
		visibility = bin.Attr("visibility")
		retire(bin)
	}
	if visibility != nil {
		r.SetAttr("visibility", visibility)
	}
	res.Gen = append(res.Gen, r)
	res.Imports = append(res.Imports, source.PrivateAttr(config.GazelleImportsKey))

	// The Go language's rules for this package give way to ours, and so do
	// such rules already in the BUILD file (a go_binary turned go_plugin).
	res.Empty = append(res.Empty, rule.NewRule("go_binary", name))
	if lib != nil && !embeddedByTest(args.OtherGen, lib.Name()) {
		res.Empty = append(res.Empty, rule.NewRule("go_library", lib.Name()))
		retire(lib)
	}

	switch kind {
	case pluginKind:
		if !args.Config.IndexLibraries {
			// Without the index, Imports never sees the plugins.
			l.plugins[label.New(args.Config.RepoName, args.Rel, name)] = true
		}
		res.Empty = append(res.Empty, emptyRules(name, pluginKind)...)
	case hostKind:
		if pc.hostPluginsSet {
			l.hostPlugins.used[pc.hostPluginsFrom] = true
			r.SetPrivateAttr(hostPluginsKey, pc.hostPlugins)
			test := rule.NewRule(testKind, testName(ruleName))
			test.SetAttr("host", ":"+ruleName)
			res.Gen = append(res.Gen, test)
			res.Imports = append(res.Imports, nil)
		} else {
			if oldHost != nil && oldHost.Attr("plugins") != nil {
				// Resolving would drop a list no directive gives.
				r.SetAttr("plugins", oldHost.Attr("plugins"))
			}
			res.Empty = append(res.Empty, rule.NewRule(testKind, testName(ruleName)))
		}
		res.Empty = append(res.Empty, rule.NewRule(pluginKind, name))
	}
	return res
}

// retiredKind is the kind of the Go language's rules that ours replace.
const retiredKind = "go_plugin_replaced"

// retire takes a rule the Go language generated out of what Gazelle writes.
// With a kind no language declares it matches no rule in the BUILD file, is
// neither indexed nor resolved, and being deleted it is dropped when the
// file is written.
func retire(r *rule.Rule) {
	r.SetKind(retiredKind)
	r.Delete()
}

// classify says what a package main is: a plugin, a host, or neither (an
// ordinary command, left to the Go language). What the user says comes
// first: # gazelle:go_plugin_host, then a go_plugin_host already in the
// BUILD file (so a host Gazelle cannot recognise keeps its rule and gets no
// go_binary beside it), then # gazelle:go_plugin on; then what the source
// says: a plugin's shape (no func main, or one that is empty or only panics,
// and exports), then a host's imports.
func classify(pc *pluginConfig, pkg mainPackage, declaredHost bool) string {
	switch {
	case !pkg.isMain:
		return ""
	case pc.hostMode == pluginOn:
		return hostKind
	case declaredHost && pc.hostMode != pluginOff:
		return hostKind
	case pc.mode == pluginOn:
		return pluginKind
	case pc.mode == pluginAuto && !pkg.hasMain && pkg.exports:
		return pluginKind
	case pkg.importsPlugin && pc.hostMode != pluginOff:
		return hostKind
	}
	return ""
}

// existingHost is the go_plugin_host of the BUILD file (under its own kind
// or the one # gazelle:map_kind gives it): the one named name, else the
// file's only one, as Gazelle matches it whatever its name.
func existingHost(c *config.Config, f *rule.File, name string) *rule.Rule {
	if f == nil {
		return nil
	}
	kinds := hostKinds(c)
	var hosts []*rule.Rule
	for _, r := range f.Rules {
		if kinds[r.Kind()] {
			if r.Name() == name {
				return r
			}
			hosts = append(hosts, r)
		}
	}
	if len(hosts) == 1 {
		return hosts[0]
	}
	return nil
}

func hostKinds(c *config.Config) map[string]bool {
	kinds := map[string]bool{hostKind: true}
	if mapped, ok := c.KindMap[hostKind]; ok {
		kinds[mapped.KindName] = true
	}
	return kinds
}

// recordLibraries notes where the Go language put each library, for
// libraryGraph: import paths that do not follow the directory layout.
func (l *pluginLang) recordLibraries(args language.GenerateArgs) {
	for _, r := range args.OtherGen {
		if r.Kind() == "go_library" {
			if ip := r.AttrString("importpath"); ip != "" {
				l.libraries.dirs[ip] = args.Dir
			}
		}
	}
}

func testName(host string) string { return host + "_plugins_test" }

// goPackageRules finds the rules the Go language generated for the package
// of this directory: the go_binary of a command and the go_library it
// embeds, or the go_library alone (Gazelle makes a package main without
// func main a library). name is what Go names a command here.
func goPackageRules(args language.GenerateArgs) (name string, bin, lib *rule.Rule) {
	bin = findKind(args.OtherGen, "go_binary")
	if bin == nil {
		lib = findKind(args.OtherGen, "go_library")
		if empty := findKind(args.OtherEmpty, "go_binary"); empty != nil {
			return empty.Name(), nil, lib
		}
		return "", nil, nil
	}
	for _, e := range bin.AttrStrings("embed") {
		name := strings.TrimPrefix(e, ":")
		for _, r := range args.OtherGen {
			if r.Kind() == "go_library" && r.Name() == name {
				return bin.Name(), bin, r
			}
		}
	}
	return bin.Name(), bin, nil
}

func findKind(rules []*rule.Rule, kind string) *rule.Rule {
	for _, r := range rules {
		if r.Kind() == kind {
			return r
		}
	}
	return nil
}

// embeddedByTest reports whether a go_test of the package embeds the
// library: the test of a main package needs it, so it stays.
func embeddedByTest(gen []*rule.Rule, lib string) bool {
	for _, r := range gen {
		if r.Kind() != "go_test" {
			continue
		}
		for _, e := range r.AttrStrings("embed") {
			if strings.TrimPrefix(e, ":") == lib {
				return true
			}
		}
	}
	return false
}

// emptyRules are this language's rules named for a package's command,
// except the kind it generated: Gazelle deletes those left in the BUILD file.
func emptyRules(name, except string) []*rule.Rule {
	var out []*rule.Rule
	for _, kind := range []string{pluginKind, hostKind} {
		if kind != except {
			out = append(out, rule.NewRule(kind, name))
		}
	}
	return append(out, rule.NewRule(testKind, testName(name)))
}
