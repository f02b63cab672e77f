package plugincheck

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// settingsThatChangeHashes are the build settings (as `go version -m`
// shows them) that change package fingerprints.
var settingsThatChangeHashes = []string{"-trimpath", "-tags", "-race", "-msan", "-asan", "-gcflags", "-asmflags", "CGO_ENABLED", "GOARCH", "GOOS", "GOEXPERIMENT"}

// explain names the likely causes of a mismatch, from what the build info of
// the host and the plugin say about the toolchain, the settings and the
// modules of the differing packages.
func explain(host, plugin *Binary, differing []string) []string {
	if host.BuildInfo == nil || plugin.BuildInfo == nil {
		missing := host.Path
		if host.BuildInfo != nil {
			missing = plugin.Path
		}
		return []string{fmt.Sprintf("%s has no build info, so the cause cannot be read; likely a different toolchain, -trimpath, build tags or -gcflags on the differing packages", missing)}
	}
	var causes []string
	if h, p := host.BuildInfo.GoVersion, plugin.BuildInfo.GoVersion; h != p {
		causes = append(causes, fmt.Sprintf("toolchain: the host was built with %s, the plugin with %s", h, p))
	}
	hs, ps := settings(host), settings(plugin)
	for _, k := range settingsThatChangeHashes {
		if hs[k] != ps[k] {
			causes = append(causes, fmt.Sprintf("%s: the host has %s, the plugin %s", k, show(hs[k]), show(ps[k])))
		}
	}
	causes = append(causes, moduleCauses(host.BuildInfo, plugin.BuildInfo, differing)...)
	if len(causes) > 0 {
		return causes
	}
	same := "the build info shows no difference in toolchain, -trimpath, tags, race or gcflags"
	if versions := sharedModules(host.BuildInfo, plugin.BuildInfo, differing); len(versions) > 0 {
		// Same sources by version and sum: how they were compiled differs.
		return []string{same + ", and the same module versions (" + strings.Join(versions, ", ") + "): the differing packages were compiled differently from the same sources: " +
			"file positions (the go command writes module@version/... for a dependency's files) or the -lang of the module's go line, as a build that does not follow the go command's module graph gives them, a file selected by a build constraint, or per-package flags"}
	}
	for _, b := range []*Binary{host, plugin} {
		if len(b.BuildInfo.Deps) == 0 && b.BuildInfo.Main.Path == "" {
			return []string{same + ", but " + b.Path + " lists no modules, so the versions of the differing packages' modules cannot be compared: another version of a module, a file selected by a build constraint, or per-package flags"}
		}
	}
	return []string{same + ": the differing packages were built from different sources (a module or file the build info does not list, a file selected by a build constraint), or with per-package flags"}
}

// moduleOf is the module of the build info that provides pkg (the longest
// module path that is pkg or a prefix of it at a slash), or nil.
func moduleOf(bi *debug.BuildInfo, pkg string) *debug.Module {
	var best *debug.Module
	mods := append([]*debug.Module{&bi.Main}, bi.Deps...)
	for _, m := range mods {
		if m.Path != "" && (pkg == m.Path || strings.HasPrefix(pkg, m.Path+"/")) && (best == nil || len(m.Path) > len(best.Path)) {
			best = m
		}
	}
	return best
}

// moduleVersion is a module as the build info identifies its sources.
func moduleVersion(m *debug.Module) string {
	v := m.Version
	if m.Replace != nil {
		v += " => " + moduleVersion(m.Replace)
		if m.Replace.Path != m.Path {
			v = m.Version + " => " + m.Replace.Path + " " + moduleVersion(m.Replace)
		}
	} else if m.Sum != "" {
		v += " " + m.Sum
	}
	return v
}

// moduleCauses are the differing packages' modules that the two build infos
// list at other versions (or sums, or replacements).
func moduleCauses(host, plugin *debug.BuildInfo, differing []string) []string {
	var causes []string
	seen := map[string]bool{}
	for _, pkg := range differing {
		h, p := moduleOf(host, pkg), moduleOf(plugin, pkg)
		if h == nil || p == nil || h.Path != p.Path || seen[h.Path] {
			continue
		}
		seen[h.Path] = true
		if hv, pv := moduleVersion(h), moduleVersion(p); hv != pv {
			causes = append(causes, fmt.Sprintf("module %s: the host has %s, the plugin %s (another version of the module)", h.Path, hv, pv))
		}
	}
	return causes
}

// sharedModules are the differing packages' modules (path@version) when
// both build infos list each of them at the same version; nil when one
// side does not know a differing package's module.
func sharedModules(host, plugin *debug.BuildInfo, differing []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, pkg := range differing {
		h, p := moduleOf(host, pkg), moduleOf(plugin, pkg)
		if h == nil && p == nil {
			continue // std, or a package neither side knows the module of
		}
		if h == nil || p == nil || h.Path != p.Path {
			return nil
		}
		if !seen[h.Path] {
			seen[h.Path] = true
			out = append(out, h.Path+"@"+h.Version)
		}
	}
	return out
}

func settings(b *Binary) map[string]string {
	m := map[string]string{}
	for _, s := range b.BuildInfo.Settings {
		m[s.Key] = s.Value
	}
	return m
}

func show(v string) string {
	if v == "" {
		return "it unset"
	}
	if strings.ContainsAny(v, " \t") {
		return fmt.Sprintf("%q", v)
	}
	return v
}
