package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

const releaseUsage = `       plugincheck [--json] [--out FILE] --release RELEASE.json [--host NAME] PLUGIN...
       plugincheck verify [--json] RELEASE.json [DIR]
       plugincheck diff [--json] OLD.json NEW.json`

// releaseHost reads a release manifest and the host PLUGINs are checked
// against: the one named, or the release's only host.
func releaseHost(manifest, name string) (*plugincheck.Release, *plugincheck.ReleaseHost, error) {
	r, err := plugincheck.ReadRelease(manifest)
	if err != nil {
		return nil, nil, err
	}
	if name == "" {
		if len(r.Hosts) > 1 {
			var names []string
			for _, h := range r.Hosts {
				names = append(names, h.Name)
			}
			return nil, nil, fmt.Errorf("%s: release %s %s has %d hosts (%s): say which with --host", manifest, r.Name, r.Version, len(r.Hosts), strings.Join(names, ", "))
		}
		return r, &r.Hosts[0], nil
	}
	h, err := r.HostNamed(name)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", manifest, err)
	}
	return r, h, nil
}

// asDeployed is the order a deployed host of the release opens plugins in
// once the given ones are deployed beside the released ones: each given
// plugin in place of the released plugin with its pluginpath, the others as
// released, then the given plugins that replace none.
func asDeployed(r *plugincheck.Release, h *plugincheck.ReleaseHost, plugins []*plugincheck.Binary) []*plugincheck.Binary {
	given := map[string]*plugincheck.Binary{} // the first of each pluginpath
	for _, p := range plugins {
		if given[p.PluginPath] == nil {
			given[p.PluginPath] = p
		}
	}
	placed := map[*plugincheck.Binary]bool{}
	var order []*plugincheck.Binary
	for _, file := range h.Plugins {
		rp, _ := r.PluginFile(file) // ReadRelease checked it is there
		if p := given[rp.PluginPath]; p != nil && !placed[p] {
			order = append(order, p)
			placed[p] = true
			continue
		}
		order = append(order, r.PluginBinary(rp))
	}
	for _, p := range plugins {
		if !placed[p] {
			order = append(order, p)
		}
	}
	return order
}

// notReleased notes plugins that are not files the release ships with the
// host: they may still load (the hashes decide), but they were not released.
func notReleased(r *plugincheck.Release, h *plugincheck.ReleaseHost, plugins []*plugincheck.Binary, w io.Writer) {
	for _, p := range plugins {
		sum, err := plugincheck.FileSHA256(p.Path)
		if err != nil {
			continue
		}
		if rp, ok := r.PluginWithSHA256(sum); !ok || !rp.ShippedBy(h.Name) {
			fmt.Fprintf(w, "note  %s is not a plugin release %s %s ships with host %s\n", p.Path, r.Name, r.Version, h.Name)
		}
	}
}

// runVerify checks a deployed directory against its release manifest.
func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plugincheck verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() < 1 || fs.NArg() > 2 {
		return failWith(stdout, stderr, wantsJSON(args), usageError(err, "verify wants RELEASE.json and, optionally, the directory it was deployed to"))
	}
	manifest := fs.Arg(0)
	dir := filepath.Dir(manifest)
	if fs.NArg() == 2 {
		dir = fs.Arg(1)
	}
	r, err := plugincheck.ReadRelease(manifest)
	if err != nil {
		return failWith(stdout, stderr, *asJSON, err)
	}
	rep, err := plugincheck.VerifyDeployed(r, dir)
	if err != nil {
		return failWith(stdout, stderr, *asJSON, err)
	}
	if *asJSON {
		writeJSON(stdout, struct {
			OK bool `json:"ok"`
			*plugincheck.DeployReport
		}{rep.OK(), rep})
	} else {
		rep.WriteText(stdout)
	}
	if !rep.OK() {
		return 1
	}
	return 0
}

// runDiff says which plugins of the old release will not load into the new
// release's hosts.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plugincheck diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
		return failWith(stdout, stderr, wantsJSON(args), usageError(err, "diff wants OLD.json and NEW.json"))
	}
	var rs [2]*plugincheck.Release
	for i := range rs {
		r, err := plugincheck.ReadRelease(fs.Arg(i))
		if err != nil {
			return failWith(stdout, stderr, *asJSON, err)
		}
		rs[i] = r
	}
	d := plugincheck.DiffReleases(rs[0], rs[1])
	var buf bytes.Buffer
	if *asJSON {
		d.WriteJSON(&buf)
	} else {
		d.WriteText(&buf)
	}
	stdout.Write(buf.Bytes())
	if !d.OK() {
		return 1
	}
	return 0
}

func usageError(err error, what string) error {
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return fmt.Errorf("%v\n%s", err, releaseUsage)
	}
	return fmt.Errorf("%s\n%s", what, releaseUsage)
}

// failWith reports what cannot be checked (exit 2), as run's fail does.
func failWith(stdout, stderr io.Writer, asJSON bool, err error) int {
	fmt.Fprintln(stderr, "plugincheck:", err)
	if asJSON {
		writeJSON(stdout, map[string]any{"ok": false, "error": err.Error()})
	}
	return 2
}
