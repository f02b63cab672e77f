package benchworkload

import "fmt"

// The small workspace (module bench.example/small): an API package, an
// internal helper, a plugin with an embedded file and a host, all on std.

// SmallAPI is the API package's source.
const SmallAPI = `// Package api is shared by the host and the plugin.
package api

// Shape is what the plugin's New returns.
type Shape interface {
	Name() string
	Area(side float64) float64
	Describe() string
}
`

// SmallHelper is the internal helper's source (internal/geom).
const SmallHelper = `// Package geom is a helper of the plugins only.
package geom

import "strconv"

// Square is side squared.
func Square(side float64) float64 { return side * side }

// Format prints an area.
func Format(area float64) string { return strconv.FormatFloat(area, 'f', 2, 64) }
`

// SmallEmbedded is the file the plugin embeds.
const SmallEmbedded = "A square: four equal sides, four right angles.\n"

// SmallPlugin is the plugin's source; marker is part of its description,
// so changing it edits a function body and nothing else.
func SmallPlugin(marker string) string {
	return fmt.Sprintf(`// Plugin square describes squares.
package main

import (
	_ "embed"
	"strings"

	"bench.example/small/api"
	"bench.example/small/internal/geom"
)

//go:embed square.txt
var about string

type square struct{}

func (square) Name() string { return "square" }

func (square) Area(side float64) float64 { return geom.Square(side) }

func (s square) Describe() string {
	return strings.TrimSpace(about) + " Area of 3: " + geom.Format(s.Area(3)) + " (%s)"
}

// New is looked up by the host.
func New() api.Shape { return square{} }
`, marker)
}

// SmallHost is the host's source: it opens each plugin named on its command
// line and prints its description.
const SmallHost = `// Command host loads the plugins named on its command line.
package main

import (
	"fmt"
	"os"
	"plugin"

	"bench.example/small/api"
)

func main() {
	for _, path := range os.Args[1:] {
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
		newShape, ok := sym.(func() api.Shape)
		if !ok {
			fmt.Printf("%s: New is a %T\n", path, sym)
			os.Exit(1)
		}
		fmt.Println(newShape().Describe())
	}
}
`
