package plugincheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"runtime/debug"
	"sort"
	"strings"
)

// ReleaseFormat is the version of the release manifest's layout; a reader
// refuses a manifest of another format rather than misread it.
const ReleaseFormat = 1

// Release is the manifest of a lockstep release: hosts and the plugins they
// load, built together, with what is needed to check a plugin against a host
// that is already deployed, or one release against the next, without the
// files. Paths are relative to the release's root (the manifest's
// directory once unpacked) and use "/".
type Release struct {
	Format    int    `json:"format"`
	Name      string `json:"name"`
	Version   string `json:"version"`
	GoVersion string `json:"go_version"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	// Settings are the build settings every host and plugin shares (their
	// build info), for explanations of a mismatch.
	Settings map[string]string `json:"settings"`
	Hosts    []ReleaseHost     `json:"hosts"`
	Plugins  []ReleasePlugin   `json:"plugins"`
}

// ReleaseHost is one host of a release.
type ReleaseHost struct {
	Name   string `json:"name"`
	Label  string `json:"label,omitempty"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Settings that differ from the release's (e.g. -buildmode=pie).
	Settings map[string]string `json:"settings,omitempty"`
	// Packages are the host's package fingerprints (hex): what the plugins
	// it opens are compared with.
	Packages map[string]string `json:"packages"`
	// Plugins are the files of the plugins it ships with, in load order.
	Plugins []string `json:"plugins"`
}

// ReleasePlugin is one plugin of a release.
type ReleasePlugin struct {
	File       string `json:"file"`
	Label      string `json:"label,omitempty"`
	SHA256     string `json:"sha256"`
	PluginPath string `json:"pluginpath"`
	// Settings that differ from the release's.
	Settings map[string]string `json:"settings,omitempty"`
	// Packages are the fingerprints plugin.Open compares (the plugin's
	// link-time list), and that it defines for the plugins after it.
	Packages map[string]string `json:"packages"`
	// ShippedWith names the hosts that ship and load it (checked in their
	// load order when the release was built).
	ShippedWith []string `json:"shipped_with"`
	// LoadsInto names every host of the release it loads into: those it
	// ships with, and others it would load into alone.
	LoadsInto []string `json:"loads_into"`
}

// ReleaseFile is one file the release packs, with the name it gets.
type ReleaseFile struct {
	Bin   *Binary
	File  string // path in the release
	Label string
}

// ReleaseHostInput is a host and the plugins it ships with, in load order.
type ReleaseHostInput struct {
	ReleaseFile
	Name    string
	Plugins []ReleaseFile
}

// ReleaseError is returned by NewRelease when a plugin does not load into a
// host that ships it: the reports say which packages differ and why.
type ReleaseError struct {
	Reports []*Report
}

func (e *ReleaseError) Error() string {
	var b bytes.Buffer
	b.WriteString("plugins of the release do not load into their hosts:\n")
	for _, r := range e.Reports {
		r.WriteText(&b)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// NewRelease checks that every host's plugins load into it, in its order,
// and describes the release. A plugin shipped by two hosts is checked
// against both; the same file must have the same name in both.
func NewRelease(name, version string, hosts []ReleaseHostInput) (*Release, error) {
	if len(hosts) == 0 {
		return nil, fmt.Errorf("release %s has no hosts", name)
	}
	r := &Release{Format: ReleaseFormat, Name: name, Version: version}
	plugins := map[string]*ReleasePlugin{} // by file
	var bins []*Binary                     // of plugins, in r.Plugins order
	var failed []*Report
	for i, h := range hosts {
		if h.Bin.Kind != Host {
			return nil, fmt.Errorf("%s is a plugin, not a host", h.Bin.Path)
		}
		settings := buildSettings(h.Bin)
		if i == 0 {
			r.GoVersion, r.GOOS, r.GOARCH = settings["go"], settings["GOOS"], settings["GOARCH"]
			r.Settings = differing(settings, map[string]string{"go": r.GoVersion})
		}
		sum, err := FileSHA256(h.Bin.Path)
		if err != nil {
			return nil, err
		}
		rh := ReleaseHost{Name: h.Name, Label: h.Label, File: h.File, SHA256: sum, Settings: differing(settings, r.base()), Packages: h.Bin.Hashes, Plugins: []string{}}
		var shipped []*Binary
		for _, p := range h.Plugins {
			if p.Bin.Kind != Plugin {
				return nil, fmt.Errorf("%s is an executable, not a plugin", p.Bin.Path)
			}
			rp := plugins[p.File]
			if rp == nil {
				sum, err := FileSHA256(p.Bin.Path)
				if err != nil {
					return nil, err
				}
				rp = &ReleasePlugin{File: p.File, Label: p.Label, SHA256: sum, PluginPath: p.Bin.PluginPath, Packages: p.Bin.LinkHashes}
				rp.Settings = differing(buildSettings(p.Bin), r.base())
				plugins[p.File] = rp
				r.Plugins = append(r.Plugins, *rp)
				bins = append(bins, p.Bin)
			}
			rp.ShippedWith = append(rp.ShippedWith, h.Name)
			rh.Plugins = append(rh.Plugins, p.File)
			shipped = append(shipped, p.Bin)
		}
		if report := Check(h.Bin, shipped); !report.OK() {
			failed = append(failed, report)
		}
		r.Hosts = append(r.Hosts, rh)
	}
	if len(failed) > 0 {
		return nil, &ReleaseError{failed}
	}
	// Where each plugin loads: with its own hosts as checked above; into
	// any other host of the release, alone.
	for i := range r.Plugins {
		rp := plugins[r.Plugins[i].File]
		for j, h := range r.Hosts {
			if contains(rp.ShippedWith, h.Name) || Check(hosts[j].Bin, []*Binary{bins[i]}).OK() {
				rp.LoadsInto = append(rp.LoadsInto, h.Name)
			}
		}
		if rp.LoadsInto == nil {
			rp.LoadsInto = []string{}
		}
		r.Plugins[i] = *rp
	}
	sort.Slice(r.Plugins, func(i, j int) bool { return r.Plugins[i].File < r.Plugins[j].File })
	return r, nil
}

// base is what every file of the release is built with: its settings and
// its Go version (as "go").
func (r *Release) base() map[string]string {
	m := map[string]string{"go": r.GoVersion}
	for k, v := range r.Settings {
		m[k] = v
	}
	return m
}

// buildSettings are a file's build info settings, with its Go version as "go".
func buildSettings(b *Binary) map[string]string {
	m := map[string]string{}
	if b.BuildInfo == nil {
		return m
	}
	for _, s := range b.BuildInfo.Settings {
		m[s.Key] = s.Value
	}
	if b.BuildInfo.GoVersion != "" {
		m["go"] = b.BuildInfo.GoVersion
	}
	return m
}

// differing returns the settings of s that base lacks or has otherwise, nil
// when there are none.
func differing(s, base map[string]string) map[string]string {
	var d map[string]string
	for k, v := range s {
		if bv, ok := base[k]; !ok || bv != v {
			if d == nil {
				d = map[string]string{}
			}
			d[k] = v
		}
	}
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WriteJSON writes the release manifest; equal releases give equal bytes.
func (r *Release) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadRelease reads a release manifest written by WriteJSON and checks that
// it is whole: every host's plugin is listed, names are unique.
func ReadRelease(file string) (*Release, error) {
	data, err := readRegular(file)
	if err != nil {
		return nil, err
	}
	return ParseRelease(data, file)
}

// ParseRelease parses a release manifest; name is used in errors.
func ParseRelease(data []byte, name string) (*Release, error) {
	var r Release
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a release manifest: %v", name, err)
	}
	if r.Format != ReleaseFormat {
		return nil, fmt.Errorf("%s: release manifest format %d, but this plugincheck reads format %d: use the plugincheck of the rules_go_plugin release that wrote it", name, r.Format, ReleaseFormat)
	}
	if len(r.Hosts) == 0 {
		return nil, fmt.Errorf("%s: not a release manifest: no hosts", name)
	}
	seen := map[string]bool{}
	for _, p := range r.Plugins {
		if seen[p.File] || !validReleasePath(p.File) {
			return nil, fmt.Errorf("%s: plugin file %q is listed twice or is not a path inside the release", name, p.File)
		}
		seen[p.File] = true
	}
	hosts := map[string]bool{}
	for _, h := range r.Hosts {
		if hosts[h.Name] || !validReleasePath(h.File) || seen[h.File] {
			return nil, fmt.Errorf("%s: host %q (file %q) is listed twice or its file is not a path inside the release", name, h.Name, h.File)
		}
		hosts[h.Name] = true
		for _, p := range h.Plugins {
			if !seen[p] {
				return nil, fmt.Errorf("%s: host %s ships plugin %s, which the manifest does not describe", name, h.Name, p)
			}
		}
	}
	return &r, nil
}

// validReleasePath reports whether p names a file inside the release: a
// clean relative path, so a manifest cannot point a check outside it.
func validReleasePath(p string) bool {
	return p != "" && p == path.Clean(p) && !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../")
}

// ShippedBy reports whether the host of that name ships the plugin.
func (p *ReleasePlugin) ShippedBy(host string) bool { return contains(p.ShippedWith, host) }

// HostNamed returns the host of that name.
func (r *Release) HostNamed(name string) (*ReleaseHost, error) {
	var names []string
	for i := range r.Hosts {
		if r.Hosts[i].Name == name {
			return &r.Hosts[i], nil
		}
		names = append(names, r.Hosts[i].Name)
	}
	return nil, fmt.Errorf("release %s %s has no host %q; its hosts: %s", r.Name, r.Version, name, strings.Join(names, ", "))
}

// HostWithSHA256 returns the host whose file has this sha256, if any.
func (r *Release) HostWithSHA256(sum string) (*ReleaseHost, bool) {
	for i := range r.Hosts {
		if r.Hosts[i].SHA256 == sum {
			return &r.Hosts[i], true
		}
	}
	return nil, false
}

// PluginFile returns the plugin of that file.
func (r *Release) PluginFile(file string) (*ReleasePlugin, bool) {
	for i := range r.Plugins {
		if r.Plugins[i].File == file {
			return &r.Plugins[i], true
		}
	}
	return nil, false
}

// PluginWithSHA256 returns the plugin whose file has this sha256, if any.
func (r *Release) PluginWithSHA256(sum string) (*ReleasePlugin, bool) {
	for i := range r.Plugins {
		if r.Plugins[i].SHA256 == sum {
			return &r.Plugins[i], true
		}
	}
	return nil, false
}

// HostBinary stands in for the host in Check.
func (r *Release) HostBinary(h *ReleaseHost) *Binary {
	return &Binary{
		Path:      fmt.Sprintf("host %s of release %s %s", h.Name, r.Name, r.Version),
		Kind:      Host,
		Hashes:    h.Packages,
		BuildInfo: r.buildInfo(h.Settings),
	}
}

// PluginBinary stands in for a plugin of the release in Check.
func (r *Release) PluginBinary(p *ReleasePlugin) *Binary {
	return &Binary{
		Path:       fmt.Sprintf("%s of release %s %s", p.File, r.Name, r.Version),
		Kind:       Plugin,
		PluginPath: p.PluginPath,
		Hashes:     p.Packages,
		LinkHashes: p.Packages,
		BuildInfo:  r.buildInfo(p.Settings),
	}
}

// buildInfo rebuilds what explain reads: the release's settings, then the
// file's own.
func (r *Release) buildInfo(own map[string]string) *debug.BuildInfo {
	all := r.base()
	for k, v := range own {
		all[k] = v
	}
	bi := &debug.BuildInfo{GoVersion: all["go"]}
	delete(all, "go")
	for _, k := range sortedKeys(all) {
		bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: all[k]})
	}
	return bi
}
