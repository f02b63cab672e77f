package rulesetstd

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
)

// The packages the rules link into hosts and tests from this repository.
var rulesetPackages = []string{"../../loader", "../../plugincheck", "../../loadcheck", "../../cmd/plugincheck"}

func TestRulesetStdIsComplete(t *testing.T) {
	const bzl = "../../go_plugin/private/rules/stdlib.bzl"
	data, err := os.ReadFile(bzl)
	if err != nil {
		t.Fatal(err)
	}
	f, err := build.ParseBzl(bzl, data)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, st := range f.Stmt {
		if a, ok := st.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok && (id.Name == "RULESET_STD" || id.Name == "COMMON_STD") {
				for _, e := range a.RHS.(*build.ListExpr).List {
					listed[e.(*build.StringExpr).Value] = true
				}
			}
		}
	}
	if len(listed) == 0 {
		t.Fatalf("%s has neither a RULESET_STD nor a COMMON_STD list", bzl)
	}
	out, err := exec.Command("go", append([]string{"list", "-f", "{{join .Imports \"\\n\"}}"}, rulesetPackages...)...).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range strings.Fields(string(out)) {
		first, _, _ := strings.Cut(imp, "/")
		if !strings.Contains(first, ".") && !listed[imp] {
			t.Errorf("the ruleset imports %s, which neither COMMON_STD nor RULESET_STD in %s lists", imp, bzl)
		}
	}
}
