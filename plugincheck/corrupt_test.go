package plugincheck

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
)

// FuzzCorruptPlugin damages a real plugin and holds plugincheck to what a
// real plugin.Open does with it, in a child process (the loaderhost
// fixture):
//
//   - when plugincheck says the plugin loads, plugin.Open must open it;
//   - when plugincheck refuses it, loader.Open must refuse it too, with an
//     error that wraps one of its sentinels, and without crashing.
//
// An input picks the plugin (good.so has a Go build ID whose content hash
// covers every byte; nobuildid.so has none, so only its structures can be
// checked), a region (one of its sections, or the whole file), a place in
// it and bytes to XOR there. Each input writes a line "corrupt: ..." to the
// test log with both verdicts; the corpus in testdata/fuzz keeps the
// interesting ones:
//
//	go test -run=NONE -fuzz=FuzzCorruptPlugin -fuzztime=10m ./plugincheck
//	go test -run=FuzzCorruptPlugin -v ./plugincheck | grep -c 'corrupt: '
func FuzzCorruptPlugin(f *testing.F) {
	for base := range corruptBases {
		for region := uint64(0); region < 48; region += 3 {
			f.Add(uint8(base), region<<32|0x40, []byte{0x01})
		}
	}
	f.Fuzz(func(t *testing.T, base uint8, where uint64, patch []byte) {
		b := corruptBase(t, int(base))
		data, at, region := b.corrupt(where, patch)
		if data == nil {
			t.Skip("the patch changes nothing")
		}
		path := filepath.Join(t.TempDir(), "c.so")
		if err := os.WriteFile(path, data, 0o755); err != nil {
			t.Fatal(err)
		}
		verdict, reason := staticVerdict(t, path)
		truth := openInChild(t, "plugin", path)
		t.Logf("corrupt: %s %s+%#x: plugincheck %s (%s); plugin.Open %s", b.name, region, at, verdict, reason, truth)
		if verdict == "ok" && !strings.HasPrefix(truth, "OK ") {
			if b.hashed || fullyChecked(b.sectionAt(region, at)) {
				t.Fatalf("plugincheck says %s+%#x of %s loads, but plugin.Open says %s", region, at, b.name, truth)
			}
			// Bytes no structure describes, in a file without a content
			// hash: documented as unchecked (docs/plugincheck.md).
			t.Logf("corrupt: unchecked: %s %s", b.name, b.sectionAt(region, at))
		}
		if verdict == "refused" {
			if got := openInChild(t, "loader", path); !strings.HasPrefix(got, "ERR ") || strings.HasPrefix(got, "ERR none") {
				t.Fatalf("plugincheck refuses %s+%#x of %s (%s), but loader.Open says %s", region, at, b.name, reason, got)
			}
		}
	})
}

// corruptBases are the plugins the fuzzer damages.
var corruptBases = []string{"good.so", "nobuildid.so"}

type baseFile struct {
	name    string
	data    []byte
	hashed  bool // has a content hash: every change must be caught
	regions []region
}

// sectionAt names the section that holds offset at of a region.
func (b *baseFile) sectionAt(regionName string, at uint64) string {
	for _, r := range b.regions {
		if r.name == regionName {
			at += r.off
			break
		}
	}
	for _, r := range b.regions[2:] {
		if at >= r.off && at-r.off < r.size {
			return r.name
		}
	}
	if at < b.regions[1].size {
		return "headers"
	}
	return "padding"
}

// fullyChecked are the parts of a plugin without a content hash in which
// plugincheck sees every change that makes plugin.Open fail: what the
// dynamic loader and the runtime read and the checks cover byte for byte,
// and what loading never reads. The rest (machine code, read-only data,
// the pc-value tables, data, the targets of symbol relocations) is
// described nowhere else in the file.
func fullyChecked(section string) bool {
	switch section {
	case "headers", "section headers", "padding", ".dynamic", ".dynsym", ".dynstr", ".gnu.hash", ".gnu.version", ".gnu.version_r",
		".rela.plt", ".init_array", ".fini_array", ".go.module", ".note.gnu.build-id", ".note.go.buildid", ".comment",
		".symtab", ".strtab", ".shstrtab", ".go.buildinfo":
		return true
	}
	return strings.HasPrefix(section, ".debug_")
}

type region struct {
	name      string
	off, size uint64
}

var (
	basesOnce sync.Once
	bases     []*baseFile
	basesErr  error
)

func corruptBase(t *testing.T, i int) *baseFile {
	t.Helper()
	basesOnce.Do(func() {
		for _, name := range corruptBases {
			p, err := pluginfixtures.Path(name)
			if err != nil {
				basesErr = err
				return
			}
			data, err := os.ReadFile(p)
			if err != nil {
				basesErr = err
				return
			}
			f, err := elf.NewFile(bytes.NewReader(data))
			if err != nil {
				basesErr = err
				return
			}
			_, hashed, _ := goBuildIDParts(f)
			b := &baseFile{name: name, data: data, hashed: hashed, regions: []region{{"file", 0, uint64(len(data))}, {"headers", 0, 64 + 56*uint64(len(f.Progs))}}}
			for _, s := range f.Sections {
				if s.Type != elf.SHT_NOBITS && s.Size > 0 {
					b.regions = append(b.regions, region{s.Name, s.Offset, s.Size})
				}
			}
			b.regions = append(b.regions, region{"section headers", binary.LittleEndian.Uint64(data[40:]), 64 * uint64(len(f.Sections))})
			bases = append(bases, b)
		}
	})
	if basesErr != nil {
		t.Fatal(basesErr)
	}
	return bases[i%len(bases)]
}

// corrupt XORs patch into a copy of the file, at a place that where picks:
// its high 32 bits choose the region, the low 32 bits the offset in it.
func (b *baseFile) corrupt(where uint64, patch []byte) (data []byte, at uint64, name string) {
	r := b.regions[(where>>32)%uint64(len(b.regions))]
	at = r.off + (where&0xffffffff)%r.size
	if len(patch) > 8 {
		patch = patch[:8]
	}
	data = append([]byte(nil), b.data...)
	changed := false
	for i, x := range patch {
		if int(at)+i < len(data) && x != 0 {
			data[int(at)+i] ^= x
			changed = true
		}
	}
	if !changed {
		return nil, 0, ""
	}
	return data, at - r.off, r.name
}

// staticVerdict is what plugincheck says of the plugin at path, loaded
// into the loaderhost fixture: "ok" or "refused", and why.
func staticVerdict(t *testing.T, path string) (string, string) {
	host := mustRead(t, fixture(t, "loaderhost"))
	p, err := Read(path)
	if err != nil {
		kind := "other"
		for _, k := range []error{ErrCorrupt, ErrMalformed, ErrNotELF, ErrArch, ErrNoHashes, ErrStripped, ErrKindUnknown} {
			if errors.Is(err, k) {
				kind = k.Error()
				break
			}
		}
		return "refused", kind + ": " + strings.TrimPrefix(err.Error(), path+": ")
	}
	if p.Kind != Plugin {
		return "refused", "not a plugin"
	}
	rep := Check(host, []*Binary{p})
	if !rep.OK() {
		return "refused", fmt.Sprintf("will not load: %d package(s) differ, same pluginpath %q", len(rep.Plugins[0].Mismatches), rep.Plugins[0].SamePluginPath)
	}
	return "ok", "loads"
}

// openInChild opens the plugin in the loaderhost fixture, with plugin.Open
// or loader.Open (mode), and returns its line, or how the child died.
func openInChild(t *testing.T, mode, path string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, fixture(t, "loaderhost"), "-mode="+mode, path)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	text := strings.TrimSpace(out.String())
	switch {
	case ctx.Err() != nil:
		return "HANG"
	case err != nil:
		return fmt.Sprintf("CRASH (%v): %s", err, firstLineOf(text))
	}
	return strings.Replace(firstLineOf(text), path, "c.so", 1)
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 200 {
		line = line[:200]
	}
	return line
}

// TestCorruptSurvey damages the plugins at random places, PLUGINCHECK_SURVEY
// times each, and counts the verdicts: a survey of what plugincheck catches,
// run by hand. It fails, as the fuzzer does, on a plugin it calls loadable
// that does not load.
func TestCorruptSurvey(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("PLUGINCHECK_SURVEY"))
	if n == 0 {
		t.Skip("set PLUGINCHECK_SURVEY=N to run")
	}
	rng := rand.New(rand.NewPCG(uint64(n), 1))
	for i := range corruptBases {
		b := corruptBase(t, i)
		if only := os.Getenv("PLUGINCHECK_SURVEY_BASE"); only != "" && only != b.name {
			continue
		}
		counts := map[string]int{}
		for j := 0; j < n; j++ {
			where := rng.Uint64N(uint64(len(b.data))) // the whole file, uniformly
			data, at, name := b.corrupt(where, []byte{byte(1 + rng.IntN(255))})
			path := filepath.Join(t.TempDir(), "c.so")
			if err := os.WriteFile(path, data, 0o755); err != nil {
				t.Fatal(err)
			}
			verdict, reason := staticVerdict(t, path)
			truth := openInChild(t, "plugin", path)
			loads := strings.HasPrefix(truth, "OK ")
			counts[fmt.Sprintf("plugincheck %s, plugin.Open %v", verdict, map[bool]string{true: "ok", false: "fails"}[loads])]++
			if verdict == "ok" && !loads {
				t.Errorf("%s %s+%#x: plugincheck ok, plugin.Open %s", b.name, name, at, truth)
			}
			if verdict == "refused" && !loads && os.Getenv("PLUGINCHECK_SURVEY_V") != "" {
				t.Logf("%s %s+%#x: refused (%s); plugin.Open %s", b.name, name, at, reason, truth)
			}
		}
		t.Logf("%s: %v", b.name, counts)
	}
}

// goBuildIDParts tells whether a file has a content hash to be checked by.
func goBuildIDParts(f *elf.File) (string, bool, error) {
	id, err := goBuildID(f)
	if err != nil {
		return "", false, err
	}
	_, ok := contentID(id)
	return id, ok, nil
}
