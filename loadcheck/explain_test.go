package loadcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A symbol the plugin does not export is explained from its sources when
// they declare something of that name that plugin.Lookup cannot find.
func TestExplainMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.go")
	src := `package main

// New is generic.
func New[T any]() T { var zero T; return zero }

type Config struct{}

// Run is a method.
func (Config) Run() {}

const Version = "1"

var greet = func(string) string { return "" }
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	srcs := []source{{path: path, name: "plugins/gen/p.go"}}
	for _, tc := range []struct{ symbol, want string }{
		{"New", "plugins/gen/p.go:4 declares New as a generic function, which a plugin cannot export (only instantiations are compiled); export a function or variable of one instantiation, e.g. var NewInt = New[int]"},
		{"Config", "plugins/gen/p.go:6 declares Config as a type; plugin.Lookup finds only functions and variables"},
		{"Run", "plugins/gen/p.go:9 declares Run as a method; plugin.Lookup finds only package-level functions and variables"},
		{"Version", "plugins/gen/p.go:11 declares Version as a constant, which is not a symbol; declare it as a variable"},
		{"Greet", "plugins/gen/p.go:13 declares greet, not Greet; plugin.Lookup is case-sensitive and finds only exported names"},
		{"Other", ""},
	} {
		if got := explainMissing(srcs, tc.symbol); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.symbol, got, tc.want)
		}
	}
	if got := explainMissing(nil, "New"); got != "" {
		t.Errorf("without sources: %q", got)
	}
	if !strings.Contains(logOf(judge(testSpec, "gen.so", &childRun{messages: map[string]message{
		stageOpen: {Stage: stageOpen, Symbols: []symbolCheck{{Name: "Greet", Missing: true}}},
		stageDone: {Stage: stageDone},
	}, stdout: newCappedBuffer(1), stderr: newCappedBuffer(1)}, plugincheckResult(), srcs)),
		"FAIL  gen.so: symbol Greet: not found: the plugin exports no symbol Greet (want func(string) string): plugins/gen/p.go:13 declares greet, not Greet") {
		t.Error("judge does not explain a missing symbol")
	}
}
