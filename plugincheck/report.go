package plugincheck

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteText writes the report for people: one verdict per plugin, then every
// differing package with both hashes, then the likely causes.
func (r *Report) WriteText(w io.Writer) error {
	for i := range r.Plugins {
		p := &r.Plugins[i]
		if p.OK() {
			fmt.Fprintf(w, "ok    %s (pluginpath %s) loads into %s\n", p.Path, p.PluginPath, r.Host)
			continue
		}
		if p.Loads {
			fmt.Fprintf(w, "FAIL  %s (pluginpath %s) loads into %s, but its own C code would not be used:\n", p.Path, p.PluginPath, r.Host)
			p.writeWhy(w)
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
	for _, line := range p.InterposedText() {
		fmt.Fprintf(w, "      %s\n", line)
	}
}

// InterposedText describes the interposed C symbols, one line each, and
// the fix; nothing when there are none.
func (p *Result) InterposedText() []string {
	if len(p.Interposed) == 0 {
		return nil
	}
	var lines []string
	for _, in := range p.Interposed {
		what := "calls go"
		if in.Kind == "variable" {
			what = "reads and writes go"
		}
		users := "its users could not be found in the plugin's code"
		if len(in.Users) > 0 {
			users = "used by " + strings.Join(in.Users, ", ")
		}
		lines = append(lines, fmt.Sprintf("C %s %s is defined by both %s and %s: once opened, the plugin's %s to %s's (ELF interposition); %s", in.Kind, in.Symbol, p.Path, in.DefinedBy, what, in.DefinedBy, users))
	}
	lines = append(lines, "fix: make the plugin's C definition static, or give it a name of the plugin's own (a prefix), or compile the plugin's C code with -fvisibility=hidden (#cgo CFLAGS: -fvisibility=hidden, or __attribute__((visibility(\"hidden\"))) on the definition)")
	return lines
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
