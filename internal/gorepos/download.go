package gorepos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"

	"github.com/bazel-contrib/bazel-gazelle/v2/label"
)

// Module is one module of a go.mod's build list, as `go mod download
// -json` reports it.
type Module struct {
	Path, Version, Dir string
}

// RepoName is the repository name go_repository gives the module.
func RepoName(m Module) string { return label.ImportPathToBazelRepoName(m.Path) }

// Download fetches the build list of the go.mod in modDir into the module
// cache (the go.sum must pin it: -mod=readonly) and returns it sorted by path.
func Download(modDir string) ([]Module, error) {
	cmd := exec.Command("go", "mod", "download", "-json")
	cmd.Dir = modDir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod download in %s: %v", modDir, err)
	}
	var mods []Module
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var m Module
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	return mods, nil
}
