// A host that finds and opens its plugins with the ruleset's loader.
package main

import "github.com/rules-go-plugin/rules_go_plugin/loader"

func main() {
	paths, err := loader.Paths()
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		if _, err := loader.Open(p); err != nil {
			panic(err)
		}
	}
}
