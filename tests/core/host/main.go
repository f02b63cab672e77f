// Command host loads the greeter plugin through the loader package.
package main

import (
	"fmt"
	"hash/crc64"
	"os"
	"plugin"
	"strings"

	"example.com/core/api"
	"example.com/core/asm"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

// A std package outside the build's predicted std: the host's std delta.
var _ = crc64.MakeTable

func main() {
	paths, err := loader.Paths()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, path := range paths {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		sym, err := p.Lookup("New")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		g := sym.(func() api.Greeter)()
		fmt.Println(g.Greet("host"))
		fmt.Println("embedded:", strings.Join(g.Embedded(), " "))
	}
	fmt.Println("host: 40+2 =", asm.Add(40, 2))
}
