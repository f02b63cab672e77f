// Package loadcheck is the engine of go_plugin_test: a test binary built by
// the rules with the host's exact packages opens each plugin in a child
// process of its own, looks up the symbols the host relies on and asserts
// their types with real type assertions compiled into it, optionally calls a
// smoke function, and reports each result by plugin and symbol, in the test
// log and in Bazel's test XML.
//
// A plugin whose init panics, exits or crashes takes only its own child
// down; one that hangs is killed after a timeout. When a plugin fails to
// open, the static check (package plugincheck) against the real host says
// which packages differ.
package loadcheck

import (
	"plugin"
	"time"
)

// Symbol is one symbol the host looks up.
type Symbol struct {
	// Name is the exported name.
	Name string
	// Want is the Go type as written in the BUILD file, for messages.
	Want string
	// Optional symbols are checked only when present.
	Optional bool
	// Check is the type assertion the host makes, compiled into the checker.
	Check func(plugin.Symbol) bool
}

// Spec is what a go_plugin_test checks.
type Spec struct {
	Symbols []Symbol
	// Smoke names a func() error that each plugin exports; it is called
	// after the symbols check out, and a non-nil error fails the test.
	Smoke string
	// Timeout bounds the opening and checking of one plugin.
	Timeout time.Duration
	// Settle is how long the child waits after the last check before it
	// exits, so that a plugin that ends the process soon after its init
	// returned (a goroutine calling os.Exit) is caught. Zero: no wait.
	Settle time.Duration
	// Sources are the runfiles paths of each plugin's Go files, in the
	// order of the plugins, to explain a missing symbol; nil for a plugin
	// built elsewhere.
	Sources [][]string
}

// Set by go_plugin_test at link time (-X): the runfiles path of the host.
var hostRlocation string
