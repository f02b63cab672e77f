package gorepos

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/bazelbuild/buildtools/build"
)

// Labels maps the import path of every go_library of a layout (the
// repositories under root, as LayOut writes them) to its label, as Gazelle
// resolves an import to an external repository:
// "@com_github_go_chi_chi_v5//middleware".
func Labels(root string) (map[string]string, error) {
	repos, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, repo := range repos {
		if !repo.IsDir() {
			continue
		}
		dir := filepath.Join(root, repo.Name())
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || (e.Name() != "BUILD.bazel" && e.Name() != "BUILD") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f, err := build.ParseBuild(p, data)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(dir, filepath.Dir(p))
			if err != nil {
				return err
			}
			if rel == "." {
				rel = ""
			}
			for _, r := range f.Rules("go_library") {
				if ip := r.AttrString("importpath"); ip != "" {
					labels[ip] = "@" + repo.Name() + "//" + filepath.ToSlash(rel) + ":" + r.Name()
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return labels, nil
}
