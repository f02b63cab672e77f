// Package lib is a rules_go go_library with an importmap, an embedded
// library, x_defs and a cgo dep, used by a plugin and a host of rules_go_plugin.
package lib

import (
	"strconv"

	"example.com/rgo/base"
	"example.com/rgo/cbase"
)

// Version is set by the library's x_defs.
var Version = "unset"

// Hello is what the plugin returns and the host prints.
func Hello() string {
	return base.Word + " " + extra() + " " + Version + " " + strconv.Itoa(cbase.Number())
}
