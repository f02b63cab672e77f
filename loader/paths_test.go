package loader

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// GO_PLUGIN_PATHS that names no file is an error, not "no plugins": a host
// (or a go_plugin_test) must not run with zero plugins because of a typo.
func TestPathsEnvNamesNoFile(t *testing.T) {
	for _, env := range []string{"", ":", "::", string(os.PathListSeparator)} {
		t.Setenv(EnvPaths, env)
		paths, err := Paths()
		if !errors.Is(err, ErrNoPaths) || !strings.Contains(err.Error(), EnvPaths) || len(paths) != 0 {
			t.Errorf("%s=%q: got %v, %v; want ErrNoPaths", EnvPaths, env, paths, err)
		}
	}
}

// An entry of only white space is named as such, not stat'ed as a file
// ("stat /dir/ : no such file").
func TestPathsEnvBlankEntry(t *testing.T) {
	so := filepath.Join(t.TempDir(), "a.so")
	if err := os.WriteFile(so, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{" ", so + ": ", "\t"} {
		t.Setenv(EnvPaths, env)
		_, err := Paths()
		if err == nil || !strings.Contains(err.Error(), "only white space") || strings.Contains(err.Error(), "stat ") {
			t.Errorf("%s=%q: got %v; want an error about the blank entry", EnvPaths, env, err)
		}
	}
	t.Setenv(EnvPaths, ":"+so+"::")
	if paths, err := Paths(); err != nil || len(paths) != 1 || paths[0] != so {
		t.Errorf("empty entries around a file: got %v, %v", paths, err)
	}
}
