package pluginlang_test

import (
	"os"
	"path/filepath"
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
			work, want, err := runOnCase(t, filepath.Join("testdata", c.Name()), "out")
			if err != nil {
				t.Fatal(err)
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
