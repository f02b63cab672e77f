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

// Which returns 2 and 20, the plugin's own values.
func Which() (int, int) { return int(C.shared_c_fn()), int(C.read_var()) }
