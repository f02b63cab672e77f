// Package api is shared by the test host and its plugin. It embeds a file,
// so the test covers //go:embed in a library compiled in both variants.
package api

import _ "embed"

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
