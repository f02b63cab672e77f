package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A file linked with the placeholder build ID and stamped carries the go
// command's content hash: `go tool buildid` prints it, and rewriting it with
// `go tool buildid -w` (which computes the hash the go command's way)
// changes nothing.
func TestStampContentID(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "hello")
	cmd := exec.Command("go", "build", "-o", out, "-ldflags=-buildid="+testBuildID, src)
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local", "GO111MODULE=off")
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	// The go command stamps its own hash over ours: put the placeholder back.
	if err := rewriteBuildID(out, testBuildID); err != nil {
		t.Fatal(err)
	}
	if err := stampContentID(out, testBuildID); err != nil {
		t.Fatal(err)
	}
	stamped := buildID(t, out)
	prefix := testBuildID[:strings.LastIndexByte(testBuildID, '/')+1]
	if !strings.HasPrefix(stamped, prefix) || stamped == testBuildID {
		t.Fatalf("build ID after stamping: %q", stamped)
	}
	before, _ := os.ReadFile(out)
	if log, err := exec.Command("go", "tool", "buildid", "-w", out).CombinedOutput(); err != nil {
		t.Fatalf("go tool buildid -w: %v\n%s", err, log)
	}
	after, _ := os.ReadFile(out)
	if string(before) != string(after) {
		t.Fatalf("go tool buildid -w computes another content hash than %s: %s", stamped, buildID(t, out))
	}
}

func buildID(t *testing.T, path string) string {
	out, err := exec.Command("go", "tool", "buildid", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

// rewriteBuildID writes id over the file's Go build ID (of the same length).
func rewriteBuildID(path, id string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	s := f.Section(".note.go.buildid")
	f.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	old := string(data[s.Offset+16 : s.Offset+16+uint64(len(id))])
	return os.WriteFile(path, []byte(strings.ReplaceAll(string(data), old, id)), 0o755)
}

// testBuildID is a build ID of linkBuildID's shape, before stamping.
const testBuildID = "rules_go_plugin_link/rules_go_plugin_link/rules_go_plugin_link/" + contentIDPlaceholder
