package plugincheck

// Mismatch is one package whose hash in a plugin differs from the hash
// already loaded when the plugin is opened.
type Mismatch struct {
	Package string `json:"package"`
	// Loaded is the hash in the host or earlier plugin that defines the package first.
	Loaded string `json:"loaded"`
	// LoadedFrom is the file that defines it.
	LoadedFrom string `json:"loaded_from"`
	// Plugin is the hash in this plugin.
	Plugin string `json:"plugin"`
}

// Result is the verdict for one plugin.
type Result struct {
	Path       string `json:"path"`
	PluginPath string `json:"pluginpath"`
	// Loads is true when plugin.Open would succeed.
	Loads bool `json:"loads"`
	// Mismatches lists every package that differs, not only the first the
	// runtime would name.
	Mismatches []Mismatch `json:"mismatches,omitempty"`
	// SamePluginPath names the earlier plugin with this pluginpath, if any
	// ("plugin already loaded").
	SamePluginPath string `json:"same_pluginpath,omitempty"`
	// Causes are the likely reasons, read from the build info.
	Causes []string `json:"causes,omitempty"`
	// Interposed are the plugin's C functions and variables that the host,
	// or a plugin opened before, defines too: the plugin loads, but its
	// uses of them get the other file's (ELF interposition).
	Interposed []Interposition `json:"interposed,omitempty"`
}

// OK reports whether the plugin loads and runs its own C code.
func (r *Result) OK() bool { return r.Loads && len(r.Interposed) == 0 }

// Report is the verdict for a host and its plugins, in load order.
type Report struct {
	Host    string   `json:"host"`
	Plugins []Result `json:"plugins"`
}

// OK reports whether every plugin loads, with its own C code.
func (r *Report) OK() bool {
	for _, p := range r.Plugins {
		if !p.OK() {
			return false
		}
	}
	return true
}

type definition struct {
	hash string
	from *Binary
}

// Check decides whether plugins, opened in this order, load into host, the
// way plugin.Open decides:
//
//   - The dynamic linker resolves each package's hash symbol to its first
//     definition: the host's, else that of the earliest plugin opened before
//     (a plugin stays mapped even when Open fails, so it counts too), else
//     the plugin's own. Every package whose hash there differs from the
//     plugin's makes Open fail.
//   - A plugin whose pluginpath equals that of a plugin already loaded fails
//     with "plugin already loaded".
//
// It also finds the C symbols each plugin defines and uses that the host or
// an earlier plugin exports (Result.Interposed): plugin.Open dlopens with
// RTLD_GLOBAL, so the first definition in load order wins.
func Check(host *Binary, plugins []*Binary) *Report {
	defined := map[string]definition{}
	for pkg, h := range host.Hashes {
		defined[pkg] = definition{h, host}
	}
	definedC := map[string]cDefinition{}
	for name := range host.CExports {
		definedC[name] = cDefinition{host}
	}
	loadedPaths := map[string]*Binary{}
	report := &Report{Host: host.Path}
	for _, p := range plugins {
		res := Result{Path: p.Path, PluginPath: p.PluginPath}
		if prev, ok := loadedPaths[p.PluginPath]; ok {
			res.SamePluginPath = prev.Path
		}
		for _, pkg := range sortedKeys(p.LinkHashes) {
			if d, ok := defined[pkg]; ok && d.hash != p.LinkHashes[pkg] {
				res.Mismatches = append(res.Mismatches, Mismatch{Package: pkg, Loaded: d.hash, LoadedFrom: d.from.Path, Plugin: p.LinkHashes[pkg]})
			}
		}
		// The plugin's exported hash symbols define the packages nobody
		// defined before, for the plugins opened after it.
		for pkg, h := range p.Hashes {
			if _, ok := defined[pkg]; !ok {
				defined[pkg] = definition{h, p}
			}
		}
		res.Interposed = interpositions(p, definedC)
		for name := range p.CExports {
			if _, ok := definedC[name]; !ok {
				definedC[name] = cDefinition{p}
			}
		}
		res.Loads = len(res.Mismatches) == 0 && res.SamePluginPath == ""
		if res.Loads {
			loadedPaths[p.PluginPath] = p
		}
		if len(res.Mismatches) > 0 {
			pkgs := make([]string, len(res.Mismatches))
			for i, m := range res.Mismatches {
				pkgs[i] = m.Package
			}
			res.Causes = explain(host, p, pkgs)
		}
		report.Plugins = append(report.Plugins, res)
	}
	return report
}
