// Command host loads the plugins it was built with and asks each to greet.
package main

import (
	"fmt"
	"os"

	"example.com/pluginapi"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	paths, err := loader.Paths()
	if err != nil {
		fmt.Fprintln(os.Stderr, "host:", err)
		os.Exit(1)
	}
	for _, path := range paths {
		if err := greet(path); err != nil {
			fmt.Fprintln(os.Stderr, "host:", err)
			os.Exit(1)
		}
	}
}

func greet(path string) error {
	// Open checks the plugin against this executable before loading it: a
	// mismatch is a *loader.MismatchError naming every differing package.
	p, err := loader.Open(path)
	if err != nil {
		return err
	}
	newPlugin, err := loader.Lookup[pluginapi.Factory](p, "New")
	if err != nil {
		return err
	}
	pl := newPlugin()
	resp, err := pl.Handle(pluginapi.Request{Name: "bazel"})
	if err != nil {
		return fmt.Errorf("%s: %v", pl.Name(), err)
	}
	line := fmt.Sprintf("%s: %s", pl.Name(), resp.Message)
	// A variable is looked up as a pointer; Version is optional.
	if version, err := loader.Lookup[*string](p, "Version"); err == nil {
		line += fmt.Sprintf(" (version %s)", *version)
	}
	fmt.Println(line)
	return nil
}
