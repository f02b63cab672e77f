package pluginlang_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bazelbuild/bazel-gazelle/testtools"
)

// Each directory of testdata/ is a workspace before and after Gazelle runs
// (Gazelle's golden-file layout): BUILD.in files are the BUILD files before,
// BUILD.out files the BUILD files expected after, arguments.txt the command
// line, expectedStderr.txt what Gazelle logs. Every other file is copied.
//
// go test ./gazelle -update rewrites the BUILD.out files from what
// cmd/gazelle writes now; read the diff before committing it.
var update = flag.Bool("update", false, "rewrite testdata/*/**/BUILD.out from cmd/gazelle's output")

// gazelleBinary is cmd/gazelle, built once for all cases.
var gazelleBinary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "pluginlang-gazelle")
	if err != nil {
		panic(err)
	}
	gazelleBinary = filepath.Join(dir, "gazelle")
	build := exec.Command("go", "build", "-o", gazelleBinary, "github.com/rules-go-plugin/rules_go_plugin/cmd/gazelle")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		panic("building cmd/gazelle: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestGolden(t *testing.T) {
	cases, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		abs, err := filepath.Abs(filepath.Join("testdata", c.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			updateGolden(t, abs)
		}
		testtools.TestGazelleGenerationOnPath(t, &testtools.TestGazelleGenerationArgs{
			Name:                 c.Name(),
			TestDataPathAbsolute: abs,
			TestDataPathRelative: filepath.Join("gazelle", "testdata", c.Name()),
			GazelleBinaryPath:    gazelleBinary,
			Timeout:              time.Minute,
		})
	}
}

// runOnCase copies a case into a scratch workspace, with the files named
// <name>.<from> (in or out) as <name>.bazel, runs Gazelle there with the
// case's arguments, and returns the workspace and the BUILD files it laid out.
func runOnCase(t *testing.T, caseDir, from string) (work string, laidOut map[string]string, err error) {
	t.Helper()
	work = t.TempDir()
	laidOut = map[string]string{}
	other := map[string]string{"in": ".out", "out": ".in"}[from]
	var args []string
	walkErr := filepath.WalkDir(caseDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(caseDir, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(rel, other), strings.HasPrefix(d.Name(), "expected"):
			return nil
		case d.Name() == "arguments.txt":
			args = strings.Fields(string(data))
			return nil
		case strings.HasSuffix(rel, "."+from):
			rel = strings.TrimSuffix(rel, "."+from) + ".bazel"
			laidOut[rel] = string(data)
		}
		dest := filepath.Join(work, rel)
		if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dest, data, 0o644)
	})
	if walkErr != nil {
		t.Fatal(walkErr)
	}
	cmd := exec.Command(gazelleBinary, args...)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "BUILD_WORKSPACE_DIRECTORY="+work)
	if out, err := cmd.CombinedOutput(); err != nil {
		return work, laidOut, fmt.Errorf("gazelle in %s: %v\n%s", caseDir, err, out)
	}
	return work, laidOut, nil
}

// updateGolden runs Gazelle on a copy of the case and writes each BUILD.bazel
// it ends with back as BUILD.out.
func updateGolden(t *testing.T, caseDir string) {
	work, _, err := runOnCase(t, caseDir, "in")
	if err != nil {
		t.Log(err)
	}
	err = filepath.WalkDir(work, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.Name() != "BUILD.bazel" {
			return err
		}
		rel, _ := filepath.Rel(work, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(caseDir, strings.TrimSuffix(rel, ".bazel")+".out"), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
