// Plugin beta answers with a greeting embedded from a file, and exports a
// variable besides its factory.
package main

import (
	_ "embed"
	"strings"

	"example.com/pluginapi"
)

//go:embed greeting.txt
var greeting string

// Version is looked up by the host as a *string.
var Version = "1.2.0"

type beta struct{}

func (beta) Name() string { return "beta" }

func (beta) Handle(req pluginapi.Request) (pluginapi.Response, error) {
	return pluginapi.Response{Message: strings.TrimSpace(greeting) + ", " + req.Name}, nil
}

// New is the factory the host looks up.
func New() pluginapi.Plugin { return beta{} }
