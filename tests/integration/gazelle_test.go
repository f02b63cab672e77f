package integration

import (
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
)

// The directives the examples need when Gazelle writes their BUILD files:
// the plugins of the host, and this ruleset's go_library for libraries (the
// examples have no rules_go). The import prefix comes from examples/go.mod.
const examplesDirectives = `# gazelle:go_plugin_host_plugins //plugins/...
# gazelle:map_kind go_library go_library @rules_go_plugin//go_plugin:defs.bzl
`

// generatedKinds are the kinds Gazelle writes here (its Go language and
// rules_go_plugin's); hand-written targets of other kinds (the examples'
// output_test) have no generated counterpart.
var generatedKinds = map[string]bool{
	"go_library": true, "go_binary": true, "go_test": true,
	"go_plugin": true, "go_plugin_host": true, "go_plugin_test": true,
}

// Gazelle, run on a copy of examples/ without its BUILD files, writes BUILD
// files that build and pass bazel test, with the targets of the hand-written
// ones.
func TestGazelleExamples(t *testing.T) {
	examples := filepath.Join(repoRoot, "examples")
	files := map[string]string{}
	var handWritten []target
	err := filepath.WalkDir(examples, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(examples, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), "bazel-") {
			// Bazel's convenience symlinks (a built examples/ has them).
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		switch d.Name() {
		case "WORKSPACE", "MODULE.bazel", ".bazelrc":
			return nil // the harness writes its own, with this checkout
		case "BUILD", "BUILD.bazel":
			handWritten = append(handWritten, readTargets(t, p, path.Dir(rel))...)
			return nil
		}
		data, err := os.ReadFile(p)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files["BUILD.bazel"] = examplesDirectives
	w := newWorkspace(t, files)

	gazelle := exec.Command("go", "run", "./cmd/gazelle", "-repo_root", w.dir, w.dir)
	gazelle.Dir = repoRoot
	if out, err := gazelle.CombinedOutput(); err != nil {
		t.Fatalf("go run ./cmd/gazelle -repo_root %s %s: %v\n%s", w.dir, w.dir, err, out)
	} else if len(out) > 0 {
		t.Errorf("Gazelle reported problems on the examples:\n%s", out)
	}

	var generated []target
	err = filepath.WalkDir(w.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), "bazel-") {
			return filepath.SkipDir
		}
		if d.Name() == "BUILD.bazel" {
			rel, _ := filepath.Rel(w.dir, filepath.Dir(p))
			generated = append(generated, readTargets(t, p, filepath.ToSlash(rel))...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compareTargets(t, handWritten, generated)

	// One invocation: bazel test builds every target (the host's plugin
	// check included) and runs every test, this time (a result cached by an
	// earlier run of this test would not show that it passes).
	out := w.mustRun("test", "--nocache_test_results", "//...")
	for _, g := range generated {
		if g.kind == "go_plugin_test" {
			if !passed(out, g.label()) {
				t.Errorf("bazel test //... did not report %s as PASSED:\n%s", g.label(), out)
			}
		}
	}
}

// target is one rule of a BUILD file.
type target struct {
	pkg, kind, name string
	host            string // of a go_plugin_test: the label of its host
}

func (t target) label() string { return "//" + t.pkg + ":" + t.name }

// key is what must match between hand-written and generated targets: kind
// and name, and for a go_plugin_test its host, which Gazelle matches it by
// (so a user's test keeps its name).
func (t target) key() string {
	if t.kind == "go_plugin_test" {
		return t.kind + " of host " + t.host[strings.LastIndex(t.host, ":")+1:]
	}
	return t.kind + " " + t.name
}

func readTargets(t *testing.T, file, pkg string) []target {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := build.ParseBuild(file, data)
	if err != nil {
		t.Fatal(err)
	}
	if pkg == "." {
		pkg = ""
	}
	var out []target
	for _, r := range f.Rules("") {
		if !generatedKinds[r.Kind()] {
			continue
		}
		tg := target{pkg: pkg, kind: r.Kind(), name: r.Name()}
		if host := r.AttrString("host"); host != "" {
			tg.host = absoluteLabel(pkg, host)
		}
		out = append(out, tg)
	}
	return out
}

// absoluteLabel writes a label of package pkg as //pkg:name.
func absoluteLabel(pkg, label string) string {
	switch {
	case strings.HasPrefix(label, ":"):
		return "//" + pkg + label
	case strings.HasPrefix(label, "//") && !strings.Contains(label, ":"):
		return label + ":" + path.Base(label)
	}
	return label
}

// compareTargets fails with both lists when the generated targets are not
// the hand-written ones.
func compareTargets(t *testing.T, handWritten, generated []target) {
	t.Helper()
	if report, differ := targetDiff(handWritten, generated); differ {
		t.Errorf("Gazelle's targets differ from the hand-written ones of examples/ (! marks a difference):\n%s", report)
	}
}

// targetDiff lists every kind and name with the labels that have it on
// each side, marking with ! those whose counts differ.
func targetDiff(handWritten, generated []target) (string, bool) {
	index := func(ts []target) map[string][]string {
		m := map[string][]string{}
		for _, tg := range ts {
			m[tg.key()] = append(m[tg.key()], tg.label())
		}
		return m
	}
	hw, gen := index(handWritten), index(generated)
	var keys []string
	for k := range hw {
		keys = append(keys, k)
	}
	for k := range gen {
		if _, ok := hw[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var report []string
	differ := false
	for _, k := range keys {
		mark := " "
		if len(hw[k]) != len(gen[k]) {
			mark, differ = "!", true
		}
		report = append(report, mark+" "+k+": hand-written "+listOrNone(hw[k])+", generated "+listOrNone(gen[k]))
	}
	return strings.Join(report, "\n"), differ
}

// The comparison matches kinds and names across packages, go_plugin_test
// by host, and shows what differs.
func TestTargetDiff(t *testing.T) {
	hand := []target{
		{pkg: "plugins", kind: "go_plugin", name: "alpha"},
		{pkg: "host", kind: "go_plugin_host", name: "host"},
		{pkg: "host", kind: "go_plugin_test", name: "plugins_test", host: "//host:host"},
	}
	same := []target{
		{pkg: "plugins/alpha", kind: "go_plugin", name: "alpha"},
		{pkg: "host", kind: "go_plugin_host", name: "host"},
		{pkg: "host", kind: "go_plugin_test", name: "host_plugins_test", host: "//host:host"},
	}
	if report, differ := targetDiff(hand, same); differ {
		t.Errorf("reported a difference:\n%s", report)
	}
	other := append([]target{{pkg: "cmd", kind: "go_binary", name: "cmd"}}, same[1:]...)
	report, differ := targetDiff(hand, other)
	if !differ {
		t.Fatal("no difference reported for a go_binary instead of a go_plugin")
	}
	for _, want := range []string{
		"! go_binary cmd: hand-written none, generated //cmd:cmd",
		"! go_plugin alpha: hand-written //plugins:alpha, generated none",
		"  go_plugin_test of host host: hand-written //host:plugins_test, generated //host:host_plugins_test",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
}

func listOrNone(labels []string) string {
	if len(labels) == 0 {
		return "none"
	}
	return strings.Join(labels, " ")
}

// passed reports whether bazel test's summary has the line "<label> PASSED".
func passed(out, label string) bool {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == label && f[1] == "PASSED" {
			return true
		}
	}
	return false
}
