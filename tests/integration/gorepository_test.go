package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/gorepos"
)

// goRepositories lays out every module of the build list of the go.mod and
// go.sum in modDir as Gazelle's go_repository lays it out
// (internal/gorepos), under the tests' scratch directory, and returns the
// WORKSPACE lines that declare the repositories.
func goRepositories(t *testing.T, name, modDir string) string {
	t.Helper()
	ws, err := gorepos.Repositories(filepath.Join(baseDir, "gorepos", name), modDir, gazelleBinary)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

// readTestdata reads a file of tests/integration/<dir>.
func readTestdata(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "tests", "integration", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

var (
	gazelleOnce sync.Once
	gazellePath string
	gazelleErr  error
)

// gazelleBinary builds this repository's cmd/gazelle once per test run.
func gazelleBinary() (string, error) {
	gazelleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gazelle")
		if err != nil {
			gazelleErr = err
			return
		}
		gazellePath, gazelleErr = gorepos.BuildGazelle(repoRoot, dir)
	})
	return gazellePath, gazelleErr
}

// starlarkList is a Starlark list of strings.
func starlarkList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
