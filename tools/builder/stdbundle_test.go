package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestStdDeltaFromBundle runs the std delta the way a sandbox does, with
// GOROOT/src absent but for the bundle, and the way an unsandboxed action
// does, with GOROOT the SDK itself, each in an exec root of its own. The
// archives must be the same bytes both ways (no path of where the files
// came from, of the exec root or of the output tree gets in), with the go command's
// fingerprints; a cgo package (os/user) and a plain one (image/png) are
// missing from the predicted std.
func TestStdDeltaFromBundle(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles two std packages twice")
	}
	cc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("no gcc")
	}
	goroot := runtime.GOROOT()
	tmp := t.TempDir()
	missing := []string{"image/png", "os/user"}

	// The go command's archives: the predicted std is all of them but the missing two.
	gocache, err := exec.Command(filepath.Join(goroot, "bin", "go"), "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	goCmd := goCommandArchives(t, tmp, cc, strings.TrimSpace(string(gocache)), missing...)
	// One of them ("image", which image/png imports) comes as -stdpkg, as
	// the package's listed std imports do.
	predicted := map[string]string{}
	var given []string
	for p, file := range goCmd {
		switch p {
		case missing[0], missing[1]:
		case "image":
			given = append(given, "-stdpkg", p+"="+file)
		default:
			predicted[p] = file
		}
	}
	if len(given) == 0 {
		t.Fatal("image is not among the go command's archives")
	}
	stdCfg := filepath.Join(tmp, "std.importcfg")
	if err := writeImportcfg(stdCfg, predicted); err != nil {
		t.Fatal(err)
	}

	// A bundle of the two packages' sources, as the SDK repository writes one for all of std.
	var names []string
	for _, p := range missing {
		entries, err := os.ReadDir(filepath.Join(goroot, "src", p))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() && !strings.HasSuffix(e.Name(), "_test.go") {
				names = append(names, "src/"+p+"/"+e.Name())
			}
		}
	}
	list := filepath.Join(tmp, "bundle.list")
	if err := os.WriteFile(list, []byte(strings.Join(names, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(tmp, "std_src.zip")
	plan := stdPlanFile(t)
	if err := runStdBundle([]string{"-goroot", goroot, "-list", list, "-o", bundle}); err != nil {
		t.Fatal(err)
	}

	// An exec root with the SDK either as a sandbox stages it (tools and
	// version files only) or as the repository itself.
	execRoot := func(name string, sandboxed bool) string {
		root := filepath.Join(tmp, name)
		sdk := filepath.Join(root, "external", "go_sdk")
		if sandboxed {
			for _, f := range []string{"pkg", "VERSION", "src/go.mod"} {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(sdk, f)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(filepath.Join(goroot, f), filepath.Join(sdk, f)); err != nil {
					t.Fatal(err)
				}
			}
		} else {
			if err := os.MkdirAll(filepath.Dir(sdk), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(goroot, sdk); err != nil {
				t.Fatal(err)
			}
		}
		src := "package p\n\nimport (\n\t_ \"image/png\"\n\t_ \"os/user\"\n)\n"
		if err := os.MkdirAll(filepath.Join(root, "p"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "p", "p.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return root
	}
	run := func(root, outDir string) map[string]string {
		t.Chdir(root)
		args := append([]string{"-label", "//p", "-goroot", "external/go_sdk", "-goos", runtime.GOOS, "-goarch", runtime.GOARCH,
			"-cc", cc, "-dynlink", "-importpath", "example.com/p", "-stdimportcfg", stdCfg, "-stdsrc", bundle, "-stdplan", plan,
			"-src", "p/p.go", "-o", outDir + ".a", "-stddelta", outDir}, given...)
		if err := runCompile(args); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(outDir + ".a"); err != nil {
			t.Errorf("the package itself was not compiled with the delta's archives: %v", err)
		}
		cfg, err := readImportcfg(filepath.Join(root, outDir, "importcfg"))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	// Different trees too: the archive of a std package must not depend on
	// which target's delta holds it (cgo's objects name their sources).
	sandboxed := run(execRoot("sandboxed", true), "bazel-out/a/p.std")
	unsandboxed := run(execRoot("unsandboxed", false), "bazel-out/b/p.std")
	if _, err := os.Stat(filepath.Join(tmp, "sandboxed", "external", "go_sdk", "src", "os", "user", "lookup.go")); err != nil {
		t.Errorf("the sandboxed delta did not take os/user from the bundle: %v", err)
	}
	for _, p := range missing {
		if sandboxed[p] == "" || unsandboxed[p] == "" {
			t.Fatalf("%s: not compiled by the delta (sandboxed: %v, unsandboxed: %v)", p, sandboxed, unsandboxed)
		}
		a, err := os.ReadFile(filepath.Join(tmp, "sandboxed", sandboxed[p]))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(tmp, "unsandboxed", unsandboxed[p]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the archive from the bundle differs from the one from GOROOT", p)
		}
		if g, w := fingerprint(t, filepath.Join(tmp, "sandboxed", sandboxed[p])), fingerprint(t, goCmd[p]); g != w {
			t.Errorf("%s: fingerprint %x, the go command's %x", p, g, w)
		}
	}
	if len(sandboxed) != len(missing) {
		t.Errorf("the delta compiled %v, want only %v", sandboxed, missing)
	}
}
