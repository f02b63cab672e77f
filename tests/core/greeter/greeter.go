// Plugin greeter embeds a directory and a file, includes a generated source
// (version.go) and calls an assembly function.
package main

import (
	"container/ring"
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"

	"example.com/core/api"
	"example.com/core/asm"
)

//go:embed static
var static embed.FS

// Std packages outside the build's predicted std: container/ring is the
// plugin's own (its std delta, dynlink), encoding/csv comes through api's.
var (
	_ = ring.New
	_ = csv.ErrQuote
)

type greeter struct{}

func (greeter) Greet(name string) string {
	return fmt.Sprintf("hello %s from %s, 2+3=%d, banner %q", name, generatedVersion, asm.Add(2, 3), api.Banner)
}

func (greeter) Embedded() []string {
	var files []string
	fs.WalkDir(static, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	return files
}

// New is looked up by the host.
func New() api.Greeter { return greeter{} }
