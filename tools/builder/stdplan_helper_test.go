package main

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var testPlan struct {
	once sync.Once
	file string
	err  error
}

// TestMain removes the std plan the tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if testPlan.file != "" {
		os.RemoveAll(filepath.Dir(testPlan.file))
	}
	os.Exit(code)
}

// stdPlanFile writes the std plan of the SDK running the tests once, as the
// SDK repository does at setup, and returns its path.
func stdPlanFile(t *testing.T) string {
	t.Helper()
	testPlan.once.Do(func() {
		dir, err := os.MkdirTemp("", "builder_stdplan")
		if err != nil {
			testPlan.err = err
			return
		}
		testPlan.file = filepath.Join(dir, "std_plan.json")
		testPlan.err = runStdPlan([]string{"-goroot", runtime.GOROOT(), "-goos", runtime.GOOS, "-goarch", runtime.GOARCH, "-o", testPlan.file})
	})
	if testPlan.err != nil {
		t.Fatal(testPlan.err)
	}
	return testPlan.file
}
