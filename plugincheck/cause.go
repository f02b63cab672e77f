package plugincheck

import (
	"fmt"
	"strings"
)

// settingsThatChangeHashes are the build settings (as `go version -m`
// shows them) that change package fingerprints.
var settingsThatChangeHashes = []string{"-trimpath", "-tags", "-race", "-msan", "-asan", "-gcflags", "-asmflags", "CGO_ENABLED", "GOARCH", "GOOS", "GOEXPERIMENT"}

// explain names the likely causes of a mismatch, from what the build info of
// the host and the plugin say.
func explain(host, plugin *Binary) []string {
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
	if len(causes) == 0 {
		causes = append(causes, "the build info shows no difference in toolchain, -trimpath, tags, race or gcflags: the differing packages were built from different sources (another version of the module, or a file selected by a build constraint), or with per-package flags")
	}
	return causes
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
