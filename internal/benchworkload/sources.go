// Package benchworkload holds the Go sources of the bench's workload: the
// shared API package and a plugin. The bench (bench/) lays them out for the
// go command and Bazel; plugincheck's benchmark builds the same plugins with
// the go command (internal/pluginfixtures.BenchSet), so both measure one
// shape of plugin.
package benchworkload

import "fmt"

// API is the shared package's source (bench.example/api).
const API = `// Package api is shared by the host and every plugin.
package api

// Request is what the host sends.
type Request struct{ Name string; Count int }

// Plugin is what each plugin's New returns.
type Plugin interface {
	Name() string
	Handle(Request) (string, error)
}
`

// Plugin is the source of the plugin named name; marker is part of its
// answer, so changing it edits the function body and nothing else.
func Plugin(name, marker string) string {
	return fmt.Sprintf(`// Plugin %[1]s answers with JSON.
package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"bench.example/api"
)

type plugin struct{}

func (plugin) Name() string { return %[1]q }

func (plugin) Handle(req api.Request) (string, error) {
	words := strings.Fields(strings.Repeat(req.Name+" ", req.Count))
	sort.Strings(words)
	out, err := json.Marshal(map[string]any{"plugin": %[1]q, "words": words, "marker": %[2]q})
	return fmt.Sprint(string(out)), err
}

// New is looked up by the host.
func New() api.Plugin { return plugin{} }
`, name, marker)
}

// RealTreeDir holds the real tree (relative to the repository root): a Go
// module of its own, with a go.mod and go.sum that pin its third-party
// modules, a server on a real web stack and three plugins.
const RealTreeDir = "internal/benchworkload/testdata/realtree"

// RealTreeModule is the real tree's module path.
const RealTreeModule = "bench.example/realtree"
