// Command loaderhost opens the plugins named on its command line, in order,
// with plugin.Open (-mode=plugin) or with loader.Open (-mode=loader), and
// prints one line per plugin: "OK <path>", or "ERR <path>: <sentinel>:
// <error>" where sentinel names the loader error the error wraps ("none"
// for plugin.Open, or for a loader error that wraps none: a defect).
//
// With no plugins named, it opens those loader.Paths returns.
//
// It is a fixture of the tests (see package pluginfixtures): the process
// that really opens a plugin, to compare with what the checks predict.
package main

import (
	"errors"
	"flag"
	"fmt"
	"plugin"

	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

var sentinels = []struct {
	name string
	err  error
}{
	{"ErrNotFound", loader.ErrNotFound},
	{"ErrNotPlugin", loader.ErrNotPlugin},
	{"ErrCorrupt", loader.ErrCorrupt},
	{"ErrMismatch", loader.ErrMismatch},
	{"ErrAlreadyLoaded", loader.ErrAlreadyLoaded},
	{"ErrChecksum", loader.ErrChecksum},
	{"ErrManifest", loader.ErrManifest},
	{"ErrNotReleased", loader.ErrNotReleased},
	{"ErrOpen", loader.ErrOpen},
}

func main() {
	mode := flag.String("mode", "plugin", "plugin or loader")
	flag.Parse()
	paths := flag.Args()
	if len(paths) == 0 {
		// As a deployed host finds its plugins: loader.Paths.
		var err error
		if paths, err = loader.Paths(); err != nil {
			fmt.Printf("ERR paths: %v\n", err)
			return
		}
	}
	for _, path := range paths {
		var err error
		if *mode == "loader" {
			_, err = loader.Open(path)
		} else {
			_, err = plugin.Open(path)
		}
		if err == nil {
			fmt.Printf("OK %s\n", path)
			continue
		}
		name := "none"
		for _, s := range sentinels {
			if errors.Is(err, s.err) {
				name = s.name
				break
			}
		}
		fmt.Printf("ERR %s: %s: %v\n", path, name, err)
	}
}
