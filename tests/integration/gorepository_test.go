package integration

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/bazel-contrib/bazel-gazelle/v2/label"
)

// goModule is one module of a go.mod's build list, as `go mod download
// -json` reports it.
type goModule struct {
	Path, Version, Dir string
}

// goRepositories lays out every module of the build list of the go.mod and
// go.sum in modDir as Gazelle's go_repository lays it out: one repository per
// module, named by Gazelle's convention (com_github_x_y), its files from the
// module cache and BUILD files written by Gazelle with go_repository's flags
// (-go_repository_mode, -go_repository_module_mode, import_alias naming, a
// repo config naming every other module). Modules come through the Go
// module proxy with the go command, pinned by the go.sum. The layout is
// reused while the go.sum is unchanged. It returns the WORKSPACE lines that
// declare the repositories.
func goRepositories(t *testing.T, name, modDir string) string {
	t.Helper()
	sum, err := os.ReadFile(filepath.Join(modDir, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(sum)
	key := hex.EncodeToString(h[:])
	root := filepath.Join(baseDir, "gorepos", name)
	mods := downloadModules(t, modDir)
	if stamp, _ := os.ReadFile(filepath.Join(root, ".layout")); string(stamp) != key {
		layOutModules(t, root, mods)
		if err := os.WriteFile(filepath.Join(root, ".layout"), []byte(key), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ws strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&ws, "local_repository(\n    name = %q,\n    path = %q,\n)\n\n", repoName(m), filepath.Join(root, repoName(m)))
	}
	return ws.String()
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

func repoName(m goModule) string { return label.ImportPathToBazelRepoName(m.Path) }

// downloadModules fetches the build list into the module cache.
func downloadModules(t *testing.T, modDir string) []goModule {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json")
	cmd.Dir = modDir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download in %s: %v", modDir, err)
	}
	var mods []goModule
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var m goModule
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	return mods
}

// layOutModules copies each module and runs Gazelle in it, as go_repository
// does, several at a time.
func layOutModules(t *testing.T, root string, mods []goModule) {
	t.Helper()
	if err := os.RemoveAll(root); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	var config strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&config, "go_repository(name = %q, importpath = %q, build_naming_convention = \"import_alias\")\n", repoName(m), m.Path)
	}
	configPath := filepath.Join(root, "repo_config")
	if err := os.WriteFile(configPath, []byte(config.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	gazelle := gazelleBinary(t)
	errs := make([]error, len(mods))
	var wg sync.WaitGroup
	for i, m := range mods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = layOutModule(gazelle, configPath, filepath.Join(root, repoName(m)), m)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func layOutModule(gazelle, configPath, dir string, m goModule) error {
	if err := copyTree(m.Dir, dir); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "WORKSPACE"), []byte(fmt.Sprintf("workspace(name = %q)\n", repoName(m))), 0o644); err != nil {
		return err
	}
	cmd := exec.Command(gazelle, "-go_repository_mode", "-go_prefix", m.Path, "-mode", "fix", "-repo_root", dir,
		"-repo_config", configPath, "-go_repository_module_mode", "-build_file_name", "BUILD.bazel,BUILD",
		"-go_naming_convention", "import_alias", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("gazelle in %s (%s@%s): %v\n%s", dir, m.Path, m.Version, err, out)
	}
	return nil
}

// copyTree copies a module from the read-only module cache.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if e.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !e.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}

var (
	gazelleOnce sync.Once
	gazellePath string
	gazelleErr  error
)

// gazelleBinary builds this repository's cmd/gazelle (Gazelle's Go language
// with this ruleset's) once per test run.
func gazelleBinary(t *testing.T) string {
	t.Helper()
	gazelleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gazelle")
		if err != nil {
			gazelleErr = err
			return
		}
		gazellePath = filepath.Join(dir, "gazelle")
		cmd := exec.Command("go", "build", "-o", gazellePath, "./cmd/gazelle")
		cmd.Dir = repoRoot
		if out, err := cmd.CombinedOutput(); err != nil {
			gazelleErr = fmt.Errorf("go build ./cmd/gazelle: %v\n%s", err, out)
		}
	})
	if gazelleErr != nil {
		t.Fatal(gazelleErr)
	}
	return gazellePath
}

// starlarkList is a Starlark list of strings.
func starlarkList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
