package loader

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// runfiles resolves runfiles paths ("workspace/pkg/file") to files, from a
// runfiles directory or a manifest, following Bazel's conventions:
// RUNFILES_MANIFEST_FILE, RUNFILES_DIR, TEST_SRCDIR, then the directory or
// manifest next to the executable.
type runfiles struct {
	dir      string
	manifest map[string]string
}

// Runfile returns the path of a file in the executable's runfiles, given its
// runfiles path ("workspace/package/file", as Bazel's rlocationpath gives it).
func Runfile(rlocation string) (string, error) {
	rf, err := findRunfiles()
	if err != nil {
		return "", err
	}
	return rf.resolve(rlocation)
}

func findRunfiles() (*runfiles, error) {
	if m := os.Getenv("RUNFILES_MANIFEST_FILE"); m != "" {
		return readManifest(m)
	}
	for _, env := range []string{"RUNFILES_DIR", "TEST_SRCDIR"} {
		if d := os.Getenv(env); d != "" {
			return &runfiles{dir: d}, nil
		}
	}
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, exe)
	}
	if len(os.Args) > 0 {
		if abs, err := filepath.Abs(os.Args[0]); err == nil {
			candidates = append(candidates, abs)
		}
	}
	for _, exe := range candidates {
		if st, err := os.Stat(exe + ".runfiles"); err == nil && st.IsDir() {
			return &runfiles{dir: exe + ".runfiles"}, nil
		}
		if _, err := os.Stat(exe + ".runfiles_manifest"); err == nil {
			return readManifest(exe + ".runfiles_manifest")
		}
	}
	return nil, fmt.Errorf("loader: cannot find the runfiles of %v (no RUNFILES_DIR, RUNFILES_MANIFEST_FILE or <executable>.runfiles); run the host with bazel run, from bazel-bin, or set %s", candidates, EnvPaths)
}

func readManifest(path string) (*runfiles, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loader: runfiles manifest: %w", err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " "); ok {
			m[k] = v
		}
	}
	return &runfiles{manifest: m}, sc.Err()
}

func (r *runfiles) resolve(rloc string) (string, error) {
	var p string
	if r.manifest != nil {
		p = r.manifest[rloc]
	} else {
		p = filepath.Join(r.dir, filepath.FromSlash(rloc))
	}
	if p == "" {
		return "", fmt.Errorf("loader: %s is not in the runfiles manifest", rloc)
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("loader: runfile %s: %w", rloc, err)
	}
	return filepath.Abs(p)
}
