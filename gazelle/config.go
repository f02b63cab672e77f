package pluginlang

import (
	"flag"
	"log"
	"strings"

	"github.com/bazelbuild/bazel-gazelle/config"
	"github.com/bazelbuild/bazel-gazelle/rule"
)

// The directives this language reads. Each applies to the directory of the
// BUILD file that declares it and to every directory below, until a
// subdirectory sets it again.
const (
	// # gazelle:go_plugin [on|off|auto]: whether a package main here is a
	// plugin. "on" (or no value) makes every package main a go_plugin, "off"
	// none, "auto" (the default) those with no func main that export a
	// function or variable.
	pluginDirective = "go_plugin"
	// # gazelle:go_plugin_host_plugins LABEL|PATTERN...: the plugins of every
	// go_plugin_host generated here. A pattern //pkg/... stands for every
	// go_plugin and go_plugin_import in pkg and below, //pkg:all for those
	// in pkg. No value: Gazelle leaves the hosts' plugins as they are.
	hostPluginsDirective = "go_plugin_host_plugins"
	// # gazelle:go_plugin_host [on|off|auto]: whether a command here is a
	// host. "on" (or no value) makes every command a go_plugin_host, for
	// hosts that reach "plugin" only through a third-party module; "off"
	// none; "auto" (the default) those that import "plugin" or the loader,
	// directly or through libraries of this repository.
	hostDirective = "go_plugin_host"
)

// pluginMode is what # gazelle:go_plugin says.
type pluginMode int

const (
	pluginAuto pluginMode = iota
	pluginOn
	pluginOff
)

// pluginConfig is this language's view of one directory's configuration.
type pluginConfig struct {
	mode     pluginMode
	hostMode pluginMode
	// hostPlugins are the absolute labels and patterns of the directive
	// that applies here; hostPluginsSet tells an empty directive from none.
	hostPlugins    []string
	hostPluginsSet bool
	// hostPluginsFrom is the directory whose BUILD file declares them.
	hostPluginsFrom string
}

func getPluginConfig(c *config.Config) *pluginConfig {
	if pc, ok := c.Exts[languageName].(*pluginConfig); ok {
		return pc
	}
	return &pluginConfig{}
}

func (*pluginLang) RegisterFlags(*flag.FlagSet, string, *config.Config) {}

func (*pluginLang) CheckFlags(*flag.FlagSet, *config.Config) error { return nil }

func (*pluginLang) KnownDirectives() []string {
	return []string{pluginDirective, hostPluginsDirective, hostDirective}
}

// Configure copies the parent directory's configuration and applies the
// directives of this directory's BUILD file.
func (l *pluginLang) Configure(c *config.Config, rel string, f *rule.File) {
	pc := *getPluginConfig(c)
	pc.hostPlugins = append([]string(nil), pc.hostPlugins...)
	if f != nil {
		for _, d := range f.Directives {
			switch d.Key {
			case pluginDirective:
				pc.mode = parseMode(f.Path, pluginDirective, d.Value, pc.mode)
			case hostDirective:
				pc.hostMode = parseMode(f.Path, hostDirective, d.Value, pc.hostMode)
			case hostPluginsDirective:
				pc.hostPlugins = absolutePatterns(f.Path, rel, strings.Fields(d.Value))
				pc.hostPluginsSet = len(pc.hostPlugins) > 0
				pc.hostPluginsFrom = rel
				if pc.hostPluginsSet {
					l.hostPlugins.declared(rel, f.Path, d.Value)
				}
			}
		}
	}
	c.Exts[languageName] = &pc
}

func parseMode(file, directive, value string, old pluginMode) pluginMode {
	switch strings.TrimSpace(value) {
	case "", "on", "true":
		return pluginOn
	case "off", "false":
		return pluginOff
	case "auto":
		return pluginAuto
	}
	log.Printf("%s: # gazelle:%s %s: want on, off or auto; keeping the parent's setting", file, directive, value)
	return old
}

// absolutePatterns makes the directive's ":name" labels absolute, in the
// package of the BUILD file that declares them; other values must be
// absolute labels or patterns.
func absolutePatterns(file, rel string, values []string) []string {
	var out []string
	for _, v := range values {
		switch {
		case strings.HasPrefix(v, "//"), strings.HasPrefix(v, "@"):
			out = append(out, v)
		case strings.HasPrefix(v, ":"):
			out = append(out, "//"+rel+v)
		default:
			log.Printf("%s: # gazelle:%s %s: write an absolute label or pattern (//pkg:name, //pkg/..., //pkg:all) or :name", file, hostPluginsDirective, v)
		}
	}
	return out
}
