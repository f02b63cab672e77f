// Command chost is a host with C code of its own (cgo): it defines the C
// function shared_c_fn and the C variable shared_c_var, which the plugins
// cplug and cstatic define as well. It opens the plugins named on its
// command line, in order, calls each one's Which and prints one line per
// plugin: "OK <path> <Which()>" or "ERR <path>: <error>". Which returns what
// the plugin got from shared_c_fn (called from C), shared_c_var (read by C)
// and shared_c_var (read by Go): the plugin's values (2 20 20) unless the
// host's (1 10 10) interpose them.
package main

/*
int shared_c_fn(void) { return 1; }
int shared_c_var = 10;
*/
import "C"

import (
	"fmt"
	"os"
	"plugin"

	"example.com/fixture/capi"
)

func main() {
	fmt.Printf("HOST %d %d\n", C.shared_c_fn(), C.shared_c_var+C.int(capi.Twice(0)))
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Printf("ERR %s: %v\n", path, err)
			continue
		}
		sym, err := p.Lookup("Which")
		if err != nil {
			fmt.Printf("ERR %s: %v\n", path, err)
			continue
		}
		which, ok := sym.(func() (int, int, int))
		if !ok {
			fmt.Printf("ERR %s: Which is %T\n", path, sym)
			continue
		}
		fn, cv, gv := which()
		fmt.Printf("OK %s %d %d %d\n", path, fn, cv, gv)
	}
}
