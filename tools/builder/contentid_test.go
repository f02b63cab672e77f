package main

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"fmt"
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

// contentHash reads the file in pieces; a copy of the ID that straddles two
// pieces, or sits at either end of the file, is found and zeroed all the
// same, as in the whole file read at once. The copies are placed at every
// offset near the first three multiples of the piece size, which the
// pieces' ends are near whatever the carry between them is.
func TestContentHashAcrossPieces(t *testing.T) {
	id := testBuildID
	size := 3*contentHashChunk + 3*len(id)
	data := make([]byte, size)
	for i := range data {
		data[i] = byte('a' + i%23)
	}
	// A span to zero, which copies at the start of the file overlap.
	zeros := []span{{10, 30}}
	check := func(at ...int) {
		t.Helper()
		d := append([]byte(nil), data...)
		for _, a := range at {
			copy(d[a:], id)
		}
		positions, sum, err := contentHash(bytes.NewReader(d), id, zeros)
		if err != nil {
			t.Fatal(err)
		}
		wantPositions, wantSum := contentHashWhole(d, id, zeros[0])
		if len(wantPositions) != len(at) {
			t.Fatalf("placed the ID at %v, but it is at %v", at, wantPositions)
		}
		if fmt.Sprint(positions) != fmt.Sprint(wantPositions) || sum != wantSum {
			t.Fatalf("ID placed at %v: got copies at %v, hash %x; want %v, %x", at, positions, sum, wantPositions, wantSum)
		}
	}
	check()
	check(0, size-len(id))
	for k := 1; k <= 3; k++ {
		for at := k*contentHashChunk - 2*len(id); at < k*contentHashChunk+2*len(id); at++ {
			check(at)
			check(at-len(id), at) // adjacent copies
		}
	}
	// A file shorter than one piece.
	short := data[:len(id)+10]
	copy(short[3:], id)
	positions, sum, err := contentHash(bytes.NewReader(short), id, zeros)
	wantPositions, wantSum := contentHashWhole(short, id, zeros[0])
	if err != nil || fmt.Sprint(positions) != fmt.Sprint(wantPositions) || sum != wantSum {
		t.Fatalf("short file: got %v, %x, %v; want %v, %x", positions, sum, err, wantPositions, wantSum)
	}
}

// A self-overlapping ID is found left to right without overlaps, as
// bytes.Index finds it (and the go command's hash).
func TestContentHashOverlappingID(t *testing.T) {
	data := bytes.Repeat([]byte("x"), contentHashChunk-3)
	data = append(data, "aaaaaaa"...)
	data = append(data, bytes.Repeat([]byte("x"), 50)...)
	positions, sum, err := contentHash(bytes.NewReader(data), "aaa", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantPositions, wantSum := contentHashWhole(data, "aaa", span{})
	if fmt.Sprint(positions) != fmt.Sprint(wantPositions) || sum != wantSum {
		t.Errorf("got copies at %v, hash %x; want %v, %x", positions, sum, wantPositions, wantSum)
	}
}

// contentHashWhole is the content hash computed on the whole file at once.
func contentHashWhole(data []byte, id string, zero span) ([]int64, [32]byte) {
	hashed := append([]byte(nil), data...)
	clear(hashed[zero.from:zero.to])
	var positions []int64
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte(id))
		if i < 0 {
			break
		}
		positions = append(positions, int64(at+i))
		clear(hashed[at+i : at+i+len(id)])
		at += i + len(id)
	}
	return positions, sha256.Sum256(hashed)
}
