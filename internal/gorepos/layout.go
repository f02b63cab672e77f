package gorepos

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// LayOut copies each module under root (one directory per repository) and
// runs Gazelle in it, as go_repository does, several at a time. root is
// removed first.
func LayOut(root, gazelle string, mods []Module) error {
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return err
	}
	var config strings.Builder
	for _, m := range mods {
		fmt.Fprintf(&config, "go_repository(name = %q, importpath = %q, build_naming_convention = \"import_alias\")\n", RepoName(m), m.Path)
	}
	configPath := filepath.Join(root, "repo_config")
	if err := os.WriteFile(configPath, []byte(config.String()), 0o644); err != nil {
		return err
	}
	errs := make([]error, len(mods))
	var wg sync.WaitGroup
	for i, m := range mods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = layOutModule(gazelle, configPath, filepath.Join(root, RepoName(m)), m)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func layOutModule(gazelle, configPath, dir string, m Module) error {
	if err := copyTree(m.Dir, dir); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "WORKSPACE"), []byte(fmt.Sprintf("workspace(name = %q)\n", RepoName(m))), 0o644); err != nil {
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

// BuildGazelle builds repo's cmd/gazelle (Gazelle's Go language with this
// ruleset's) into dir and returns its path.
func BuildGazelle(repo, dir string) (string, error) {
	path := filepath.Join(dir, "gazelle")
	cmd := exec.Command("go", "build", "-o", path, "./cmd/gazelle")
	cmd.Dir = repo
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/gazelle: %v\n%s", err, out)
	}
	return path, nil
}
