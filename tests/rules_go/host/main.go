// Command host loads a plugin that shares a rules_go library with it.
package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/rgo/lib"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	if err := run(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}

func run() error {
	fmt.Println("host: " + lib.Hello())
	paths, err := loader.Paths()
	if err != nil {
		return err
	}
	for _, path := range paths {
		p, err := plugin.Open(path)
		if err != nil {
			return err
		}
		sym, err := p.Lookup("Hello")
		if err != nil {
			return err
		}
		fmt.Println(sym.(func() string)())
	}
	return nil
}
