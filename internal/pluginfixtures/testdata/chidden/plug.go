// Plugin chidden is cplug with its C code compiled with
// -fvisibility=hidden: its definitions stay global in the C sense but are
// not exported, so the plugin binds its uses to them and nothing can
// interpose them; the checker must not report them.
package main

/*
#cgo CFLAGS: -fvisibility=hidden
int shared_c_fn(void) { return 2; }
int shared_c_var = 20;

static int read_var(void) { return shared_c_var; }
*/
import "C"

// Which returns what the plugin gets from shared_c_fn called from C,
// shared_c_var read by C and shared_c_var read by Go: its own 2, 20, 20.
func Which() (int, int, int) {
	return int(C.shared_c_fn()), int(C.read_var()), int(C.shared_c_var)
}
