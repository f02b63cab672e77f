package integration

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bazel-contrib/bazel-gazelle/v2/rule"
	"github.com/bazelbuild/buildtools/build"
)

// The stand-in rules_go declares a config setting for every GOOS and GOARCH
// Gazelle's select()s may name, so Gazelle's real output loads.
func TestStandinPlatforms(t *testing.T) {
	path := filepath.Join(repoRoot, "tests", "rules_go_standin", "go", "platform", "platforms.bzl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := build.ParseBzl(path, data)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string][]string{}
	for _, st := range f.Stmt {
		if a, ok := st.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok {
				if l, ok := a.RHS.(*build.ListExpr); ok {
					for _, e := range l.List {
						lists[id.Name] = append(lists[id.Name], e.(*build.StringExpr).Value)
					}
				}
			}
		}
	}
	if !reflect.DeepEqual(lists["OSS"], rule.KnownOSs) {
		t.Errorf("%s: OSS = %v, Gazelle's KnownOSs = %v", path, lists["OSS"], rule.KnownOSs)
	}
	if !reflect.DeepEqual(lists["ARCHS"], rule.KnownArchs) {
		t.Errorf("%s: ARCHS = %v, Gazelle's KnownArchs = %v", path, lists["ARCHS"], rule.KnownArchs)
	}
}
