package loader

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// swapChildEnv runs TestOpenWhileSwapped's work in a process of its own: a
// plugin loads once per process, and a damaged one may crash it.
const swapChildEnv = "LOADER_SWAP_CHILD"

// With the file renamed over and over between the plugin and other files,
// Open either refuses what it read or loads the checked bytes: it never
// checks one file and dlopens another.
func TestOpenWhileSwapped(t *testing.T) {
	if os.Getenv(swapChildEnv) != "" {
		swapChild(t)
		return
	}
	notrim := fixture(t, "notrim.so")
	for run := range 5 { // one load per process; the old loader failed about 1 in 4
		cmd := exec.Command(os.Args[0], "-test.run=^TestOpenWhileSwapped$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), swapChildEnv+"="+notrim)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestOpenWhileSwapped") {
			t.Fatalf("run %d: the swapping child failed (%v):\n%s", run, err, out)
		}
		t.Logf("run %d: %s", run, lastLine(string(out), "swaps"))
	}
}

func lastLine(text, substr string) string {
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], substr) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}

func swapChild(t *testing.T) {
	good, err := os.ReadFile(os.Getenv(swapChildEnv))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := plugincheck.FileSHA256(os.Getenv(swapChildEnv))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	dir := t.TempDir()
	damaged := append([]byte(nil), good...)
	damaged[pclntabOffset(t, good)] ^= 0x01
	versions := [][]byte{good, []byte("not a plugin\n"), damaged}
	path := filepath.Join(dir, "plugin.so")
	if err := os.WriteFile(path, good, 0o755); err != nil {
		t.Fatal(err)
	}

	// The swapper renames a fresh copy of each version over path in turn.
	var stop atomic.Bool
	var swaps atomic.Int64
	swapped := make(chan struct{})
	go func() {
		defer close(swapped)
		for n := 0; !stop.Load(); n++ {
			tmp := filepath.Join(dir, "next.so")
			if os.WriteFile(tmp, versions[n%len(versions)], 0o755) != nil || os.Rename(tmp, path) != nil {
				return
			}
			swaps.Add(1)
		}
	}()
	for swaps.Load() < 20 && time.Since(start) < 10*time.Second {
		time.Sleep(time.Millisecond)
	}
	var refused, loaded int
	for i := 0; i < 300 && loaded == 0; i++ {
		p, err := Open(path, WithSHA256(sum))
		switch {
		case err == nil:
			greet, lerr := Lookup[*func(string) string](p, "Greet")
			if lerr != nil || (*greet)("x") != "hello x" {
				t.Errorf("loaded a plugin that is not the checked one: %v", lerr)
			}
			loaded++
		case errors.Is(err, ErrChecksum), errors.Is(err, ErrNotFound) && strings.Contains(err.Error(), "no such file"):
			refused++ // read another version, or caught between rename's steps
		default:
			t.Errorf("attempt %d: a swap got past the checks: %v", i, err)
		}
		time.Sleep(time.Millisecond)
	}
	stop.Store(true)
	<-swapped
	n := swaps.Load()
	t.Logf("%d swaps, %d refused, %d loaded", n, refused, loaded)
	if n < 10 || loaded+refused == 0 {
		t.Fatalf("the swapper did not race the loader: %d swaps", n)
	}
}
