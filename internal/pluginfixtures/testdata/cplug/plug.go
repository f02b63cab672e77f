// Plugin cplug defines, in its own C code, the C function shared_c_fn and
// the C variable shared_c_var that the host chost defines too, with other
// values. Both have default visibility, so once the plugin is opened into
// chost, its own calls go to the host's definitions (ELF interposition).
package main

/*
int shared_c_fn(void) { return 2; }
int shared_c_var = 20;

static int read_var(void) { return shared_c_var; }
*/
import "C"

import "example.com/fixture/capi"

// The shared cgo package capi: its C code is defined in the host too.
var _ = capi.Twice(1) + capi.Count()

// Which returns what the plugin gets from shared_c_fn called from C,
// shared_c_var read by C and shared_c_var read by Go: its own 2, 20, 20.
func Which() (int, int, int) {
	return int(C.shared_c_fn()), int(C.read_var()), int(C.shared_c_var)
}
