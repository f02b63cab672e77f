package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A private copy is what Open checks and what it dlopens. plugin.Open takes
// a path (it calls realpath, then dlopen on the result), so checking the
// user's file and then opening it by name would let a rename in between
// load other bytes than the checked ones. The copy sits in a directory of
// its own (mode 0700) that nobody else writes, is checked from the bytes
// written to it, and is removed once dlopen mapped it. (/proc/self/fd/N
// does not serve: realpath turns it back into the file's current name.)
type privateCopy struct {
	dir, path string
}

// copyPrivately copies the open file f (the plugin at path) into a new
// private directory, and returns the copy and the sha256 of what it copied.
func copyPrivately(f *os.File, path string) (*privateCopy, string, error) {
	dir, err := os.MkdirTemp("", "go-plugin-loader-")
	if err != nil {
		return nil, "", fmt.Errorf("making a private copy of the plugin: %w", err)
	}
	c := &privateCopy{dir: dir, path: filepath.Join(dir, filepath.Base(path))}
	out, err := os.OpenFile(c.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o500)
	if err != nil {
		c.remove()
		return nil, "", fmt.Errorf("making a private copy of the plugin: %w", err)
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, h), f)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.remove()
		return nil, "", fmt.Errorf("making a private copy of the plugin in %s: %w", dir, err)
	}
	return c, hex.EncodeToString(h.Sum(nil)), nil
}

// remove deletes the copy; a mapped copy stays mapped.
func (c *privateCopy) remove() { os.RemoveAll(c.dir) }

// named puts the user's path back into a message that names the copy.
func (c *privateCopy) named(msg, path string) string {
	return strings.ReplaceAll(msg, c.path, path)
}
