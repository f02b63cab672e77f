package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
)

var updateFixture = flag.Bool("update", false, "rewrite testdata/fixture.md from the fixture")

// The repository's docs/reference.md must be what the generator writes from
// the .bzl files as they are now.
func TestReferenceIsCurrent(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := reference(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, referenceFile))
	if err != nil {
		t.Fatalf("%v; generate it: run `%s` from the repository's root", err, generateCommand)
	}
	if string(got) != want {
		t.Errorf("%s is stale: the .bzl docstrings changed since it was generated. Run `%s` from the repository's root and commit %s. The difference:\n%s",
			referenceFile, generateCommand, referenceFile, diff(string(got), want, referenceFile, "generated"))
	}
}

// The fixture covers each kind of declaration: a rule with attributes from
// a dict loaded with a relative label and merged with dict(...), a provider
// with fields as a dict and as a list, a function with Args and Returns, a
// module extension with a tag class; private names, constants and another
// repository's symbols are left out.
func TestFixture(t *testing.T) {
	got, err := render(newLoader("testdata/fixture"), "Fixture", "", []publicFile{{"@fixture//lib:defs.bzl", "lib/defs.bzl"}})
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/fixture.md"
	if *updateFixture {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("the fixture's reference differs from %s (go test ./tools/docgen -run TestFixture -update rewrites it; read the diff):\n%s", golden, diff(string(want), got, golden, "generated"))
	}
	// What the golden file must say, whatever it was rewritten to.
	for _, s := range []string{
		"| `srcs` | list of labels, files `[\".txt\"]` | `[]` | Input files. |",
		"| `mode` | string, one of `[\"fast\", \"slow\"]` | `\"fast\"` | How \\| fast. |",
		"| `out` | string | mandatory | The first line.<br><br>An indented second paragraph. |",
		"widget(name, mode, out, srcs, zeta)",
		"| `count` | `2` | how many. |",
		"| `name` | mandatory | the base name; continued here. |",
		"| `**kwargs` |  | passed to each widget. |",
		"Returns: Nothing useful.",
		"#### widget_ext.pin",
		"| `version` | string | `\"\"` | A version. |",
		"| `a` | |",
		"| `count` | int: how many. |",
	} {
		if !strings.Contains(got, s) {
			t.Errorf("the fixture's reference lacks %q", s)
		}
	}
	for _, s := range []string{"_tool", "NOT_DOCUMENTED", "Thing", "_impl"} {
		if strings.Contains(got, s) {
			t.Errorf("the fixture's reference shows %q, which is not public", s)
		}
	}
}

// Errors name the file and what the generator could not read.
func TestUnreadableDeclarations(t *testing.T) {
	for name, bzl := range map[string]string{
		"attrs.bzl":    "r = rule(implementation = _i, attrs = make_attrs())\n",
		"attr.bzl":     "r = rule(implementation = _i, attrs = {\"x\": some_helper()})\n",
		"provider.bzl": "P = provider(doc = \"no fields\")\n",
		"missing.bzl":  "load(\":nothere.bzl\", \"x\")\n",
		"symbol.bzl":   "load(\":symbol.bzl\", \"x\")\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), []byte(bzl), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := render(newLoader(dir), "T", "", []publicFile{{"//:" + name, name}})
			if err == nil {
				t.Fatalf("no error for %s", bzl)
			}
			if !strings.Contains(err.Error(), name) {
				t.Errorf("the error does not name %s: %v", name, err)
			}
		})
	}
}

func diff(a, b, nameA, nameB string) string {
	text, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a), B: difflib.SplitLines(b),
		FromFile: nameA, ToFile: nameB, Context: 2,
	})
	return text
}
