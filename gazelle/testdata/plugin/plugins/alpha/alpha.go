// A plugin by its shape: package main, no func main, an exported symbol.
package main

import (
	"fmt"

	"example.com/repo/api"
)

type alpha struct{}

func (alpha) Greet() string { return fmt.Sprint("alpha") }

// New is looked up by the host.
func New() api.Greeter { return alpha{} }
