package starlarkcheck

import (
	"io/fs"
	"path"
	"strings"
)

// globMatches reports whether a BUILD file's glob matches at least one file
// of its package (pkg is the package directory; subpackages, i.e.
// directories with a BUILD file, are not part of it, as in Bazel).
func globMatches(pkg fs.FS, include, exclude []string) bool {
	found := false
	fs.WalkDir(pkg, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return fs.SkipDir
		}
		if d.IsDir() {
			if p != "." && (isPackage(pkg, p) || strings.HasPrefix(d.Name(), "bazel-")) {
				return fs.SkipDir
			}
			return nil
		}
		if anyMatch(include, p) && !anyMatch(exclude, p) {
			found = true
		}
		return nil
	})
	return found
}

func isPackage(pkg fs.FS, dir string) bool {
	for _, b := range []string{"BUILD", "BUILD.bazel"} {
		if st, err := fs.Stat(pkg, path.Join(dir, b)); err == nil && !st.IsDir() {
			return true
		}
	}
	return false
}

func anyMatch(patterns []string, p string) bool {
	for _, pat := range patterns {
		if globMatch(strings.Split(pat, "/"), strings.Split(p, "/")) {
			return true
		}
	}
	return false
}

// globMatch matches path segments against pattern segments, where "**"
// stands for any number of segments and other segments use path.Match.
func globMatch(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(segs); i++ {
			if globMatch(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	if len(segs) == 0 {
		return false
	}
	if ok, _ := path.Match(pat[0], segs[0]); !ok {
		return false
	}
	return globMatch(pat[1:], segs[1:])
}
