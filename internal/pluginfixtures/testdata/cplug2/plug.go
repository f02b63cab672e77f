// Plugin cplug2 is cplug under another pluginpath: opened after cplug into
// a host without C code of its own, cplug's definitions of shared_c_fn and
// shared_c_var take the place of its own.
package main

/*
int shared_c_fn(void) { return 3; }
int shared_c_var = 30;

static int read_var(void) { return shared_c_var; }
*/
import "C"

// Which returns what the plugin gets from shared_c_fn called from C,
// shared_c_var read by C and shared_c_var read by Go: its own 3, 30, 30.
func Which() (int, int, int) {
	return int(C.shared_c_fn()), int(C.read_var()), int(C.shared_c_var)
}
