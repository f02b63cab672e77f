// Package api is shared by the fixture host and plugins.
package api

// Greet is the type of the plugins' Greet symbol.
type Greet = func(string) string
