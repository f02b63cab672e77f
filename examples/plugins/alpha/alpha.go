// Plugin alpha greets in plain words.
package main

import (
	"fmt"

	"example.com/pluginapi"
)

type alpha struct{}

func (alpha) Name() string { return "alpha" }

func (alpha) Handle(req pluginapi.Request) (pluginapi.Response, error) {
	return pluginapi.Response{Message: fmt.Sprintf("hello, %s", req.Name)}, nil
}

// New is the factory the host looks up.
func New() pluginapi.Plugin { return alpha{} }
