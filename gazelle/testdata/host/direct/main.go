// A host that opens its plugins with the plugin package itself.
package main

import (
	"os"
	"plugin"

	"example.com/repo/api"
)

func main() {
	p, err := plugin.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	sym, err := p.Lookup("New")
	if err != nil {
		panic(err)
	}
	println(sym.(api.Factory)())
}
