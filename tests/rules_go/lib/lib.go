// Package lib is a rules_go go_library with an importmap, an embedded
// library and x_defs, used by a plugin and a host of rules_go_plugin.
package lib

import "example.com/rgo/base"

// Version is set by the library's x_defs.
var Version = "unset"

// Hello is what the plugin returns and the host prints.
func Hello() string { return base.Word + " " + extra() + " " + Version }
