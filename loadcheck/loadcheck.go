// Package loadcheck is the parent of go_plugin_test: for each plugin it
// starts a child, a copy of the host linked from the host's own archives,
// main package, link flags, GODEBUG default and x_defs plus one file
// (hostchild/child.go), which opens the plugin, looks up the symbols the
// host relies on and asserts their types with real type assertions,
// optionally calls a smoke function, and reports on a pipe. What the child
// opens, the host opens. Everything that needs more packages than the host
// links (the static check, explanations from sources, the test XML) runs
// here, in the parent, never in the child.
//
// A plugin whose init panics, exits or crashes takes only its own child
// down; one that hangs is killed after a timeout. The static check
// (package plugincheck) against the real host says which packages differ,
// and must agree with the child.
package loadcheck

import "time"

// Symbol is one symbol the host looks up.
type Symbol struct {
	// Name is the exported name.
	Name string
	// Want is the Go type as written in the BUILD file, for messages.
	Want string
	// Optional symbols are checked only when present.
	Optional bool
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

// Set by go_plugin_test at link time (-X): the runfiles paths of the host
// and of the child, the host's copy that opens the plugins.
var hostRlocation, childRlocation string
