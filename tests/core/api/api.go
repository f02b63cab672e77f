// Package api is shared by the test host and its plugin.
package api

// Greeter is what the plugin's New returns.
type Greeter interface {
	Greet(name string) string
	// Embedded lists the files the plugin embedded.
	Embedded() []string
}
