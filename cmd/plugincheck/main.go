// Command plugincheck tells, without loading anything, whether Go plugins
// will load into a host, and if not, which packages differ and why.
//
//	plugincheck [--json] [--out FILE] [--pluginpath FILE=PATH]... HOST PLUGIN...
//	plugincheck [--json] [--out FILE] --manifest MANIFEST PLUGIN...
//	plugincheck --write-manifest FILE HOST PLUGIN...
//	plugincheck [--json] [--out FILE] --release RELEASE.json [--host NAME] PLUGIN...
//	plugincheck verify [--json] RELEASE.json [DIR]
//	plugincheck diff [--json] OLD.json NEW.json
//
// The plugins are checked in the order given, as the host would open them.
// --out writes the report to a file only when every plugin loads (with
// --write-manifest, the manifest too); otherwise the report goes to stderr
// and no file is left. With --json, errors are JSON too: {"ok": false,
// "error": "..."} on stdout.
// It works on files from `go build` as well as from rules_go_plugin. A
// manifest (written by --write-manifest, or by go_plugin_host's `manifest`
// output group) stands in for the host: it lists the host's package hashes,
// toolchain and settings, and the plugins shipped with it.
//
// A release manifest (go_plugin_release's release.json) stands in for any of
// its hosts: --release checks plugins built today against a host already
// deployed. verify checks a directory a release was deployed to: every file
// as released, no Go host or plugin it does not ship. diff says which
// plugins of the old release will not load into the new release's hosts
// (exit status 1 if any), and because of which packages.
//
// Exit status: 0 when every plugin would load, 1 when any would not (or would
// use the host's C functions or variables in place of its own), 2 when a
// file cannot be read or is not a Go host (importing "plugin") or plugin.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: plugincheck [--json] [--out FILE] [--pluginpath FILE=PATH]... HOST PLUGIN...
       plugincheck [--json] [--out FILE] --manifest MANIFEST PLUGIN...
       plugincheck --write-manifest FILE HOST PLUGIN...
` + releaseUsage

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "verify":
			return runVerify(args[1:], stdout, stderr)
		case "diff":
			return runDiff(args[1:], stdout, stderr)
		}
	}
	asJSON := wantsJSON(args)
	// fail reports a file or an argument that cannot be checked (exit 2):
	// as text on stderr, and with --json also as JSON on stdout.
	fail := func(err error) int { return failWith(stdout, stderr, asJSON, err) }
	fs := flag.NewFlagSet("plugincheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Bool("json", false, "write the report, or the error, as JSON")
	out := fs.String("out", "", "write the report to this file when every plugin loads; otherwise to stderr, leaving no file")
	manifestPath := fs.String("manifest", "", "check the plugins against this manifest instead of a host binary")
	releasePath := fs.String("release", "", "check the plugins against a host of this release manifest (go_plugin_release's release.json)")
	hostName := fs.String("host", "", "with --release: the host's name, when the release has several")
	writeManifest := fs.String("write-manifest", "", "write the manifest of HOST and PLUGINs to this file, after checking them")
	declared := map[string]string{}
	fs.Func("pluginpath", "FILE=PATH: the pluginpath FILE is declared with; refuse it if the file's differs (repeatable)", func(v string) error {
		file, path, ok := strings.Cut(v, "=")
		if !ok || file == "" || path == "" {
			return fmt.Errorf("want FILE=PATH, not %q", v)
		}
		declared[file] = path
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, usage)
			return 2
		}
		return fail(fmt.Errorf("%v\n%s", err, usage))
	}

	files := fs.Args()
	var host *plugincheck.Binary
	var manifest *plugincheck.Manifest
	var release *plugincheck.Release
	var releaseHostOf *plugincheck.ReleaseHost
	if *hostName != "" && *releasePath == "" {
		return fail(errors.New("--host goes with --release"))
	}
	if *releasePath != "" {
		if *manifestPath != "" || *writeManifest != "" {
			return fail(fmt.Errorf("--release goes with neither --manifest nor --write-manifest"))
		}
		r, h, err := releaseHost(*releasePath, *hostName)
		if err != nil {
			return fail(err)
		}
		release, releaseHostOf, host = r, h, r.HostBinary(h)
	} else if *manifestPath != "" {
		if *writeManifest != "" {
			return fail(fmt.Errorf("--manifest and --write-manifest do not go together"))
		}
		m, err := plugincheck.ReadManifest(*manifestPath)
		if err != nil {
			return fail(err)
		}
		manifest, host = m, m.HostBinary(*manifestPath)
	} else {
		if len(files) == 0 {
			return fail(errors.New("no host and no plugins given\n" + usage))
		}
		h, err := plugincheck.Read(files[0])
		if err != nil {
			return fail(err)
		}
		if h.Kind != plugincheck.Host {
			return fail(fmt.Errorf("%s is a plugin, not a host; give the host first", h.Path))
		}
		host, files = h, files[1:]
	}
	if len(files) == 0 {
		return fail(errors.New("no plugins given\n" + usage))
	}
	var plugins []*plugincheck.Binary
	for _, path := range files {
		p, err := plugincheck.Read(path)
		if err != nil {
			return fail(err)
		}
		if p.Kind != plugincheck.Plugin {
			return fail(fmt.Errorf("%s is an executable, not a plugin", p.Path))
		}
		if want, ok := declared[path]; ok && want != p.PluginPath {
			return fail(fmt.Errorf("%s: its pluginpath is %s, but it is declared as %s; fix the declaration (the pluginpath attribute of its go_plugin_import), or leave it unset", path, p.PluginPath, want))
		}
		delete(declared, path)
		plugins = append(plugins, p)
	}
	for file := range declared {
		return fail(fmt.Errorf("--pluginpath names %s, which is not among the plugins", file))
	}

	order := plugins
	if release != nil {
		order = asDeployed(release, releaseHostOf, plugins)
	}
	report := plugincheck.Check(host, order)
	var buf bytes.Buffer
	if manifest != nil {
		notShipped(manifest, plugins, &buf)
	}
	if release != nil {
		notReleased(release, releaseHostOf, plugins, &buf)
	}
	if asJSON {
		report.WriteJSON(&buf)
	} else {
		report.WriteText(&buf)
	}
	if !report.OK() {
		// No report file: it exists only for plugins that load, so a build
		// that keeps it has checked them.
		if *out != "" {
			os.Remove(*out)
			stderr.Write(buf.Bytes())
		} else {
			stdout.Write(buf.Bytes())
		}
		return 1
	}
	if *writeManifest != "" {
		m, err := plugincheck.NewManifest(host, plugins)
		if err != nil {
			return fail(err)
		}
		var mb bytes.Buffer
		if err := m.WriteJSON(&mb); err != nil {
			return fail(err)
		}
		if err := os.WriteFile(*writeManifest, mb.Bytes(), 0o644); err != nil {
			return fail(err)
		}
	}
	if *out != "" {
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return fail(err)
		}
	} else {
		stdout.Write(buf.Bytes())
	}
	return 0
}

// wantsJSON finds --json among the arguments before they are parsed, so
// that an error in the others is reported as JSON too.
func wantsJSON(args []string) bool {
	for _, a := range args {
		switch a {
		case "--", "-":
			return false
		case "-json", "--json", "-json=true", "--json=true":
			return true
		}
	}
	return false
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// notShipped notes plugins that are not the files the manifest lists: they
// may still load (the hashes decide), but they are not what was released.
func notShipped(m *plugincheck.Manifest, plugins []*plugincheck.Binary, w io.Writer) {
	for _, p := range plugins {
		shipped, ok := m.Shipped(filepath.Base(p.Path))
		if !ok {
			fmt.Fprintf(w, "note  %s is not among the plugins the manifest lists\n", p.Path)
			continue
		}
		if sum, err := plugincheck.FileSHA256(p.Path); err == nil && sum != shipped.SHA256 {
			fmt.Fprintf(w, "note  %s differs from the file shipped with the host (sha256 %s, manifest %s)\n", p.Path, sum, shipped.SHA256)
		}
	}
}
