// Package gorepos lays out the build list of a go.mod as Gazelle's
// go_repository lays it out: one repository per module, named by Gazelle's
// convention (com_github_x_y), its files from the module cache and its BUILD
// files written by Gazelle with go_repository's flags. The integration tests
// (tests/integration) and the bench's real tree (bench/) share it.
package gorepos

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Repositories lays out every module of the build list of the go.mod and
// go.sum in modDir under root and returns the WORKSPACE lines that declare
// the repositories (local_repository, one per module). Modules come through
// the Go module proxy with the go command, pinned by the go.sum. The layout
// is reused while the go.sum is unchanged. gazelle returns the path of a
// Gazelle binary (this repository's cmd/gazelle); it is called only when the
// layout is (re)written.
func Repositories(root, modDir string, gazelle func() (string, error)) (string, error) {
	sum, err := os.ReadFile(filepath.Join(modDir, "go.sum"))
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(sum)
	key := hex.EncodeToString(h[:])
	mods, err := Download(modDir)
	if err != nil {
		return "", err
	}
	if stamp, _ := os.ReadFile(filepath.Join(root, ".layout")); string(stamp) != key {
		bin, err := gazelle()
		if err != nil {
			return "", err
		}
		if err := LayOut(root, bin, mods); err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(root, ".layout"), []byte(key), 0o644); err != nil {
			return "", err
		}
	}
	var ws strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&ws, "local_repository(\n    name = %q,\n    path = %q,\n)\n\n", RepoName(m), filepath.Join(root, RepoName(m)))
	}
	return ws.String(), nil
}
