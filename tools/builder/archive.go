package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// appendObjects adds object files to the Go archive the compiler wrote, as
// members of its Unix ar format. The SDK has no pack tool since Go 1.26 (the
// go command does this itself), so the builder does it the same way: a
// 60-byte header per member (name, zero mtime/uid/gid for reproducible
// output, mode, size), then the data padded to an even length.
func appendObjects(archive string, objs []string) error {
	f, err := os.OpenFile(archive, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	for _, obj := range objs {
		data, err := os.ReadFile(obj)
		if err != nil {
			f.Close()
			return err
		}
		name := filepath.Base(obj)
		if len(name) > 16 {
			name = name[:16]
		}
		member := []byte(fmt.Sprintf("%-16s%-12d%-6d%-6d%-8o%-10d`\n", name, 0, 0, 0, 0o644, len(data)))
		member = append(member, data...)
		if len(data)%2 == 1 {
			member = append(member, '\n')
		}
		if _, err := f.Write(member); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}
