package loader

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParseManifestLine(t *testing.T) {
	for _, c := range []struct{ line, key, target string }{
		{"_main/plugins/a.so /out/a.so", "_main/plugins/a.so", "/out/a.so"},
		// Bazel before 7.4 wrote no escapes: the target may hold spaces.
		{"_main/a.so /out dir/a.so", "_main/a.so", "/out dir/a.so"},
		// Bazel 7.4+: a leading space marks an escaped line.
		{` _main/my\splugin.so /out/my plugin.so`, "_main/my plugin.so", "/out/my plugin.so"},
		{` _main/a\nb.so /out/a\nb.so`, "_main/a\nb.so", "/out/a\nb.so"},
		{` _main/a\bb.so C:\bout\ba.so`, `_main/a\b.so`, `C:\out\a.so`},
		// \s in the target is left alone: only the path escapes spaces.
		{` _main/x\s.so /t\s`, "_main/x .so", `/t\s`},
	} {
		k, v, ok := parseManifestLine(c.line)
		if !ok || k != c.key || v != c.target {
			t.Errorf("parseManifestLine(%q) = %q, %q, %v; want %q, %q", c.line, k, v, ok, c.key, c.target)
		}
	}
}

// A manifest as Bazel 7.4+ writes it for a plugin whose path has a space,
// with _repo_mapping, resolves apparent and canonical paths.
func TestManifestEscapesAndRepoMapping(t *testing.T) {
	dir := t.TempDir()
	so := writeFile(t, filepath.Join(dir, "out", "my plugin.so"), "x")
	ext := writeFile(t, filepath.Join(dir, "out", "ext.so"), "x")
	mapping := writeFile(t, filepath.Join(dir, "out", "_repo_mapping"),
		",plugins,rules_foo+\n,my_ws,_main\nrules_foo+,dep,dep+\n")
	manifest := writeFile(t, filepath.Join(dir, "host.runfiles_manifest"),
		"_repo_mapping "+mapping+"\n"+
			` _main/plugins/my\splugin.so `+so+"\n"+
			"rules_foo+/p/ext.so "+ext+"\n")
	t.Setenv("RUNFILES_MANIFEST_FILE", manifest)
	for rloc, want := range map[string]string{
		"_main/plugins/my plugin.so": so,  // canonical
		"my_ws/plugins/my plugin.so": so,  // apparent, main repo
		"plugins/p/ext.so":           ext, // apparent name of a module
		"rules_foo+/p/ext.so":        ext, // canonical, as go_plugin_host links it
	} {
		got, err := Runfile(rloc)
		if err != nil || got != want {
			t.Errorf("Runfile(%q) = %q, %v; want %q", rloc, got, err, want)
		}
	}
	// dep is an apparent name only inside rules_foo+, not the main repo.
	if _, err := Runfile("dep/x.so"); err == nil || !strings.Contains(err.Error(), "dep/x.so is not in the runfiles manifest") {
		t.Errorf("Runfile(dep/x.so): %v; want not in the manifest", err)
	}
}

func TestRunfilesDirRepoMapping(t *testing.T) {
	dir := t.TempDir()
	so := writeFile(t, filepath.Join(dir, "rules_foo+", "p", "a.so"), "x")
	// Bazel 8's compact form: a source ending in * stands for a prefix.
	writeFile(t, filepath.Join(dir, "_repo_mapping"), "*,foo,rules_foo+\n")
	t.Setenv("RUNFILES_MANIFEST_FILE", "")
	t.Setenv("RUNFILES_DIR", dir)
	for _, rloc := range []string{"foo/p/a.so", "rules_foo+/p/a.so"} {
		got, err := Runfile(rloc)
		if err != nil || got != so {
			t.Errorf("Runfile(%q) = %q, %v; want %q", rloc, got, err, so)
		}
	}
}

func TestRunfilesWithoutRepoMapping(t *testing.T) {
	dir := t.TempDir()
	so := writeFile(t, filepath.Join(dir, "ws", "p", "a.so"), "x")
	t.Setenv("RUNFILES_MANIFEST_FILE", "")
	t.Setenv("RUNFILES_DIR", dir)
	if got, err := Runfile("ws/p/a.so"); err != nil || got != so {
		t.Errorf("Runfile = %q, %v; want %q", got, err, so)
	}
	for _, bad := range []string{"", "/abs/a.so", "../up/a.so", "ws/../x"} {
		if _, err := Runfile(bad); err == nil || !strings.Contains(err.Error(), "is not a runfiles path") {
			t.Errorf("Runfile(%q): %v; want a refusal", bad, err)
		}
	}
}

func TestBadRepoMapping(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "_repo_mapping"), "only,two\n")
	if _, err := dirRunfiles(dir); err == nil || !strings.Contains(err.Error(), "_repo_mapping:1") {
		t.Errorf("dirRunfiles: %v; want an error naming the file and line", err)
	}
}
