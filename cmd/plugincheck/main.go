// Command plugincheck tells, without loading anything, whether Go plugins
// will load into a host, and if not, which packages differ and why.
//
//	plugincheck [--json] HOST PLUGIN...
//
// The plugins are checked in the order given, as the host would open them.
// It works on files from `go build` as well as from rules_go_plugin.
//
// Exit status: 0 when every plugin would load, 1 when any would not, 2 when a
// file cannot be read or is not a Go host (importing "plugin") or plugin.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plugincheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: plugincheck [--json] HOST PLUGIN...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return 2
	}
	host, err := plugincheck.Read(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "plugincheck:", err)
		return 2
	}
	if host.Kind != plugincheck.Host {
		fmt.Fprintf(stderr, "plugincheck: %s is a plugin, not a host; give the host first\n", host.Path)
		return 2
	}
	var plugins []*plugincheck.Binary
	for _, path := range fs.Args()[1:] {
		p, err := plugincheck.Read(path)
		if err != nil {
			fmt.Fprintln(stderr, "plugincheck:", err)
			return 2
		}
		if p.Kind != plugincheck.Plugin {
			fmt.Fprintf(stderr, "plugincheck: %s is an executable, not a plugin\n", p.Path)
			return 2
		}
		plugins = append(plugins, p)
	}
	report := plugincheck.Check(host, plugins)
	if *asJSON {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "plugincheck:", err)
		return 2
	}
	if !report.OK() {
		return 1
	}
	return 0
}
