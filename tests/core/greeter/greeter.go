// Plugin greeter embeds a directory and a file, includes a generated source
// (version.go) and calls an assembly function.
package main

import (
	"embed"
	"fmt"
	"io/fs"

	"example.com/core/api"
	"example.com/core/asm"
)

//go:embed static
var static embed.FS

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
