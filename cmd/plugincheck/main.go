// Command plugincheck tells, without loading anything, whether Go plugins
// will load into a host, and if not, which packages differ and why.
//
//	plugincheck [--json] [--out FILE] HOST PLUGIN...
//	plugincheck [--json] [--out FILE] --manifest MANIFEST PLUGIN...
//	plugincheck --write-manifest FILE HOST PLUGIN...
//
// The plugins are checked in the order given, as the host would open them.
// It works on files from `go build` as well as from rules_go_plugin. A
// manifest (written by --write-manifest, or by go_plugin_host's `manifest`
// output group) stands in for the host: it lists the host's package hashes,
// toolchain and settings, and the plugins shipped with it.
//
// Exit status: 0 when every plugin would load, 1 when any would not, 2 when a
// file cannot be read or is not a Go host (importing "plugin") or plugin.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: plugincheck [--json] [--out FILE] HOST PLUGIN...
       plugincheck [--json] [--out FILE] --manifest MANIFEST PLUGIN...
       plugincheck --write-manifest FILE HOST PLUGIN...`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plugincheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	out := fs.String("out", "", "write the report to this file; on failure, also to stderr")
	manifestPath := fs.String("manifest", "", "check the plugins against this manifest instead of a host binary")
	writeManifest := fs.String("write-manifest", "", "write the manifest of HOST and PLUGINs to this file, after checking them")
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "plugincheck:", err)
		return 2
	}

	files := fs.Args()
	var host *plugincheck.Binary
	var manifest *plugincheck.Manifest
	if *manifestPath != "" {
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
			fs.Usage()
			return 2
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
		fs.Usage()
		return 2
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
		plugins = append(plugins, p)
	}

	report := plugincheck.Check(host, plugins)
	var buf bytes.Buffer
	if manifest != nil {
		notShipped(manifest, plugins, &buf)
	}
	var err error
	if *asJSON {
		err = report.WriteJSON(&buf)
	} else {
		err = report.WriteText(&buf)
	}
	if err != nil {
		return fail(err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return fail(err)
		}
		if !report.OK() {
			stderr.Write(buf.Bytes())
		}
	} else {
		stdout.Write(buf.Bytes())
	}
	if !report.OK() {
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
	return 0
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
