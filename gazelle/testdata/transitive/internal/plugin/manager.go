// Package plugin loads the server's plugins: the one package here that
// imports the standard library's plugin package.
package plugin

import goplugin "plugin"

// Load opens a plugin.
func Load(path string) (*goplugin.Plugin, error) { return goplugin.Open(path) }
