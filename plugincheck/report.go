package plugincheck

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteText writes the report for people: one verdict per plugin, then every
// differing package with both hashes, then the likely causes.
func (r *Report) WriteText(w io.Writer) error {
	for i := range r.Plugins {
		p := &r.Plugins[i]
		if p.Loads {
			fmt.Fprintf(w, "ok    %s (pluginpath %s) loads into %s\n", p.Path, p.PluginPath, r.Host)
			continue
		}
		fmt.Fprintf(w, "FAIL  %s (pluginpath %s) will not load into %s:\n", p.Path, p.PluginPath, r.Host)
		p.writeWhy(w)
	}
	return nil
}

// writeWhy writes why a plugin does not load: the earlier plugin with its
// pluginpath, every differing package with both hashes, the likely causes.
func (p *Result) writeWhy(w io.Writer) {
	if p.SamePluginPath != "" {
		fmt.Fprintf(w, "      plugin already loaded: %s has the same pluginpath\n", p.SamePluginPath)
	}
	if n := len(p.Mismatches); n > 0 {
		fmt.Fprintf(w, "      %d package(s) differ from the ones already loaded:\n", n)
		for _, m := range p.Mismatches {
			fmt.Fprintf(w, "        %s: %s in %s, %s in the plugin\n", m.Package, m.Loaded, m.LoadedFrom, m.Plugin)
		}
	}
	for _, c := range p.Causes {
		fmt.Fprintf(w, "      likely cause: %s\n", c)
	}
}

// WriteJSON writes the report for tools.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		OK bool `json:"ok"`
		*Report
	}{r.OK(), r})
}
