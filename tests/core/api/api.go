// Package api is shared by the test host and its plugin. It embeds a file,
// so the test covers //go:embed in a library compiled in both variants. It
// imports a std package outside the build's predicted std (encoding/csv), so
// its std delta carries that package to the host, the plugin and their links.
package api

import (
	_ "embed"
	"encoding/csv"
	"strings"
)

// Fields splits a line of comma-separated values.
func Fields(line string) ([]string, error) { return csv.NewReader(strings.NewReader(line)).Read() }

// Banner is embedded from banner.txt.
//
//go:embed banner.txt
var Banner string

// Greeter is what the plugin's New returns.
type Greeter interface {
	Greet(name string) string
	// Embedded lists the files the plugin embedded.
	Embedded() []string
}
