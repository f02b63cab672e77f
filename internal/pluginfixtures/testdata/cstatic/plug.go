// Plugin cstatic is cplug with its C definitions static: they are the
// plugin's own, nothing can interpose them, and the checker must not report
// them.
package main

/*
static int shared_c_fn(void) { return 2; }
static int shared_c_var = 20;

static int read_var(void) { return shared_c_var; }
*/
import "C"

// Which returns what the plugin gets from shared_c_fn and shared_c_var: its
// own 2, 20, 20. (Go cannot name a static C variable, so the third value is
// read by C as well.)
func Which() (int, int, int) {
	return int(C.shared_c_fn()), int(C.read_var()), int(C.read_var())
}
