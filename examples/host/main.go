// Command host loads the plugins it was built with and asks each to greet.
package main

import (
	"fmt"
	"os"
	"plugin"

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
	p, err := plugin.Open(path)
	if err != nil {
		return err
	}
	sym, err := p.Lookup("New")
	if err != nil {
		return err
	}
	newPlugin, ok := sym.(pluginapi.Factory)
	if !ok {
		return fmt.Errorf("%s: New is a %T, want a pluginapi.Factory", path, sym)
	}
	pl := newPlugin()
	resp, err := pl.Handle(pluginapi.Request{Name: "bazel"})
	if err != nil {
		return fmt.Errorf("%s: %v", pl.Name(), err)
	}
	line := fmt.Sprintf("%s: %s", pl.Name(), resp.Message)
	if v, err := p.Lookup("Version"); err == nil {
		if version, ok := v.(*string); ok {
			line += fmt.Sprintf(" (version %s)", *version)
		}
	}
	fmt.Println(line)
	return nil
}
