package pluginlang_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A second run on what Gazelle wrote changes nothing: each case's BUILD.out
// files, taken as the BUILD files, come back byte for byte.
func TestGoldenRerunChangesNothing(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			caseDir := filepath.Join("testdata", c.Name())
			work := t.TempDir()
			want := map[string]string{}
			var args []string
			err := filepath.WalkDir(caseDir, func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(caseDir, path)
				data, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				switch {
				case strings.HasSuffix(rel, ".in"), strings.HasPrefix(d.Name(), "expected"):
					return nil
				case d.Name() == "arguments.txt":
					args = strings.Fields(string(data))
					return nil
				case strings.HasSuffix(rel, ".out"):
					rel = strings.TrimSuffix(rel, ".out") + ".bazel"
					want[rel] = string(data)
				}
				dest := filepath.Join(work, rel)
				if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
					return err
				}
				return os.WriteFile(dest, data, 0o644)
			})
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(gazelleBinary, args...)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "BUILD_WORKSPACE_DIRECTORY="+work)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("gazelle: %v\n%s", err, out)
			}
			for rel, w := range want {
				got, err := os.ReadFile(filepath.Join(work, rel))
				if err != nil {
					t.Errorf("%s: %v", rel, err)
				} else if string(got) != w {
					t.Errorf("the second run changed %s:\n%s\nwant:\n%s", rel, got, w)
				}
			}
		})
	}
}
