package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The std packages whose commands are compared: plain, without -complete
// (os, sync), with Go assembly (sync/atomic, runtime, internal/bytealg;
// internal/runtime/maps has assembly since Go 1.27), with cgo (os/user,
// plugin), with cgo and Go assembly (runtime/cgo), and their imports.
var driftRoots = []string{"errors", "os", "sync/atomic", "internal/bytealg", "internal/runtime/maps", "os/user", "plugin", "runtime/cgo"}

// TestStdCommandsMatchGoCommand compiles std packages with the builder,
// normally and for plugins, and compares every compile and assembler
// command it runs with the one the SDK's go command would run (`go build
// -n -a -trimpath`): the same flags, the same source files. Only what names
// the action's own files may differ (-o, -importcfg, -symabis, -asmhdr,
// -buildid, the scratch directories) and the compiler's concurrency (-c).
// A flag that a Go release adds, drops or moves for std makes it fail, on
// whichever SDK runs the test.
func TestStdCommandsMatchGoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles about 40 std packages twice")
	}
	cc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	goroot := runtime.GOROOT()
	plan := stdPlanFile(t)
	for _, dynlink := range []bool{false, true} {
		name := map[bool]string{false: "normal", true: "dynlink"}[dynlink]
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			want := goCommandCommands(t, goroot, tmp, dynlink)

			var mu sync.Mutex
			got := map[string][]string{}
			traceRun = func(name string, args []string) {
				tool := filepath.Base(name)
				if tool != "compile" && tool != "asm" {
					return
				}
				pkg, line := normalizeToolCommand(tool, args, goroot, func(p string) bool { return strings.Contains(p, "/_tmp_") })
				mu.Lock()
				got[pkg] = append(got[pkg], line)
				mu.Unlock()
			}
			defer func() { traceRun = nil }()
			args := []string{"-label", "//test:std", "-goroot", goroot, "-goos", runtime.GOOS, "-goarch", runtime.GOARCH,
				"-cc", cc, "-stdplan", plan, "-o", filepath.Join(tmp, "std"), "-importcfg", filepath.Join(tmp, "std.importcfg")}
			if dynlink {
				args = append(args, "-dynlink")
			}
			if err := runStd(append(args, driftRoots...)); err != nil {
				t.Fatal(err)
			}
			traceRun = nil

			for _, p := range []string{"runtime", "runtime/cgo", "sync/atomic", "os", "os/user"} {
				if len(got[p]) == 0 || len(want[p]) == 0 {
					t.Fatalf("%s: no command seen (builder %d, go command %d); the test no longer covers it", p, len(got[p]), len(want[p]))
				}
			}
			for p := range want {
				if _, ok := got[p]; !ok {
					t.Errorf("%s: the go command compiles it, the builder does not", p)
				}
			}
			for p, lines := range got {
				w, ok := want[p]
				if !ok {
					t.Errorf("%s: the builder compiles it, the go command does not", p)
					continue
				}
				sort.Strings(lines)
				sort.Strings(w)
				if strings.Join(lines, "\n") != strings.Join(w, "\n") {
					t.Errorf("%s: the builder's commands differ from the go command's\nbuilder:\n  %s\ngo command:\n  %s",
						p, strings.Join(lines, "\n  "), strings.Join(w, "\n  "))
				}
			}
		})
	}
}

// goCommandCommands returns the go command's compile and asm commands for
// driftRoots and their imports, normalized, by package.
func goCommandCommands(t *testing.T, goroot, dir string, dynlink bool) map[string][]string {
	t.Helper()
	args := []string{"build", "-n", "-a", "-trimpath"}
	if dynlink {
		// A plugin importing the roots: -buildmode=plugin wants a main package.
		var src strings.Builder
		src.WriteString("package main\n\nimport (\n")
		for _, r := range driftRoots {
			if !strings.HasPrefix(r, "internal/") {
				fmt.Fprintf(&src, "\t_ %q\n", r)
			}
		}
		src.WriteString(")\n")
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module drift.test\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-buildmode=plugin", "-o", filepath.Join(dir, "p.so"), ".")
	} else {
		args = append(args, driftRoots...)
	}
	cmd := exec.Command(filepath.Join(goroot, "bin", "go"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local", "CGO_ENABLED=1", "GOENV=off", "GOAMD64=", "GOCACHE="+filepath.Join(dir, "cache"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	cmds := map[string][]string{}
	for _, line := range strings.Split(string(out), "\n") {
		words := shellWords(t, line)
		if len(words) == 0 {
			continue
		}
		tool := filepath.Base(words[0])
		if (tool != "compile" && tool != "asm") || !strings.Contains(words[0], "/pkg/tool/") {
			continue
		}
		pkg, norm := normalizeToolCommand(tool, words[1:], goroot, func(p string) bool { return strings.HasPrefix(p, "$WORK") })
		if pkg == "drift.test" {
			continue // the scratch plugin's own package
		}
		cmds[pkg] = append(cmds[pkg], norm)
	}
	return cmds
}

// normalizeToolCommand spells a compile or asm command so that the
// builder's and the go command's compare equal when they pass the same
// flags and files: it drops what names the action's own files and the
// compiler's concurrency, the rewrites and include directories of scratch
// directories, the package's own directory as an include directory (the
// go command runs the assembler there), and the files the go command or
// the builder generated; GOROOT is spelled $GOROOT; the words are sorted.
func normalizeToolCommand(tool string, args []string, goroot string, scratch func(string) bool) (pkg, line string) {
	var words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-o" || a == "-importcfg" || a == "-symabis" || a == "-asmhdr" || a == "-embedcfg" || a == "-buildid":
			i++
		case strings.HasPrefix(a, "-c="):
		case a == "-p":
			pkg = args[i+1]
			words = append(words, "-p="+pkg)
			i++
		case a == "-trimpath":
			var keep []string
			for _, r := range strings.Split(args[i+1], ";") {
				if from, _, _ := strings.Cut(r, "=>"); !scratch(from) {
					keep = append(keep, strings.ReplaceAll(r, goroot, "$GOROOT"))
				}
			}
			words = append(words, "-trimpath="+strings.Join(keep, ";"))
			i++
		case a == "-I":
			dir := strings.TrimSuffix(args[i+1], "/")
			i++
			if scratch(dir) || (pkg != "" && dir == filepath.Join(goroot, "src", pkg)) {
				continue
			}
			words = append(words, "-I="+strings.ReplaceAll(dir, goroot, "$GOROOT"))
		case strings.HasSuffix(a, ".go") || strings.HasSuffix(a, ".s"):
			if scratch(a) {
				continue
			}
			if !filepath.IsAbs(a) && pkg != "" {
				a = filepath.Join(goroot, "src", pkg, a) // the go command's ./asm.s
			}
			words = append(words, "file="+strings.ReplaceAll(a, goroot, "$GOROOT"))
		default:
			words = append(words, strings.ReplaceAll(a, goroot, "$GOROOT"))
		}
	}
	sort.Strings(words)
	return pkg, tool + " " + strings.Join(words, " ")
}

func shellWords(t *testing.T, line string) []string {
	t.Helper()
	words, err := splitPlanLine(line)
	if err != nil {
		t.Fatal(err)
	}
	return words
}
