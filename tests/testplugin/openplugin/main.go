// Command openplugin opens each plugin named on its command line with
// plugin.Open and prints the outcome, error text included: the suite's own
// hosts only check whether an error happened.
package main

import (
	"fmt"
	"os"
	"plugin"
)

func main() {
	status := 0
	for _, path := range os.Args[1:] {
		if _, err := plugin.Open(path); err != nil {
			fmt.Printf("plugin.Open(%q): %v\n", path, err)
			status = 1
			continue
		}
		fmt.Printf("plugin.Open(%q): ok\n", path)
	}
	os.Exit(status)
}
