// A host that imports a third-party module and the ruleset's loader.
package main

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	paths, _ := loader.Paths()
	fmt.Println(uuid.NewString(), paths)
}
