// Command host opens the plugins named on its command line, in order, and
// prints one line per plugin: "OK <path>" or "ERR <path>: <error>".
package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/fixture/api"
)

func main() {
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Printf("ERR %s: %v\n", path, err)
			continue
		}
		sym, err := p.Lookup("Greet")
		if err != nil {
			fmt.Printf("ERR %s: %v\n", path, err)
			continue
		}
		if _, ok := sym.(*api.Greet); !ok { // a variable is looked up as a pointer
			fmt.Printf("ERR %s: Greet is %T\n", path, sym)
			continue
		}
		fmt.Printf("OK %s\n", path)
	}
}
