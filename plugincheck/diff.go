package plugincheck

import (
	"encoding/json"
	"fmt"
	"io"
)

// Diff answers, from two release manifests, what a release note must say:
// for each host of the new release, which plugins the old release shipped
// with it will not load into the new host (and so must be redeployed with
// it), because of which packages.
type Diff struct {
	Old   string     `json:"old"`
	New   string     `json:"new"`
	Hosts []HostDiff `json:"hosts"`
}

// HostDiff is one host of the new release.
type HostDiff struct {
	Host string `json:"host"`
	// Status is "unchanged" (same bytes), "changed" or "added" (no host of
	// that name in the old release).
	Status string `json:"status"`
	// Redeploy are the old release's plugins of this host that will not
	// load into the new host, with the packages that differ.
	Redeploy []Result `json:"redeploy,omitempty"`
	// Keep are the old release's plugins of this host that still load.
	Keep []string `json:"keep,omitempty"`
}

// OK reports whether every plugin of the old release still loads into the
// new release's hosts.
func (d *Diff) OK() bool {
	for _, h := range d.Hosts {
		if len(h.Redeploy) > 0 {
			return false
		}
	}
	return true
}

// DiffReleases checks the plugins old shipped with each host against the
// host of the same name in new, in the old load order, as plugin.Open would
// if only the host were upgraded.
func DiffReleases(old, new *Release) *Diff {
	d := &Diff{Old: old.Name + " " + old.Version, New: new.Name + " " + new.Version}
	for i := range new.Hosts {
		nh := &new.Hosts[i]
		hd := HostDiff{Host: nh.Name}
		oh, err := old.HostNamed(nh.Name)
		if err != nil {
			hd.Status = "added"
			d.Hosts = append(d.Hosts, hd)
			continue
		}
		hd.Status = "changed"
		if oh.SHA256 == nh.SHA256 {
			hd.Status = "unchanged"
		}
		var plugins []*Binary
		for _, file := range oh.Plugins {
			p, _ := old.PluginFile(file) // ParseRelease checked it is there
			b := old.PluginBinary(p)
			b.Path = p.File
			plugins = append(plugins, b)
		}
		for _, res := range Check(new.HostBinary(nh), plugins).Plugins {
			if res.Loads {
				hd.Keep = append(hd.Keep, res.Path)
			} else {
				hd.Redeploy = append(hd.Redeploy, res)
			}
		}
		d.Hosts = append(d.Hosts, hd)
	}
	return d
}

// WriteText writes the diff for a release note.
func (d *Diff) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "release %s -> %s\n", d.Old, d.New)
	for _, h := range d.Hosts {
		switch {
		case h.Status == "added":
			fmt.Fprintf(w, "host %s: new in %s; no plugins of %s to check\n", h.Host, d.New, d.Old)
			continue
		case len(h.Redeploy) == 0:
			fmt.Fprintf(w, "host %s: %s; every plugin of %s still loads into it\n", h.Host, h.Status, d.Old)
		default:
			fmt.Fprintf(w, "host %s: %s; %d plugin(s) of %s will not load into it: redeploy them with it\n", h.Host, h.Status, len(h.Redeploy), d.Old)
		}
		for i := range h.Redeploy {
			p := &h.Redeploy[i]
			fmt.Fprintf(w, "  redeploy  %s (pluginpath %s)\n", p.Path, p.PluginPath)
			p.writeWhy(w)
		}
		for _, p := range h.Keep {
			fmt.Fprintf(w, "  keep      %s\n", p)
		}
	}
	return nil
}

// WriteJSON writes the diff for tools.
func (d *Diff) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		OK bool `json:"ok"`
		*Diff
	}{d.OK(), d})
}
