package integration

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

// suiteCase is one test function of the Go distribution's plugin_test.go
// (cmd/cgo/internal/testplugin), run on files built by the rules from
// tests/testplugin/BUILD.bazel.
type suiteCase struct {
	name string // plugin_test.go's test function
	// files maps each file the case opens or runs, by the name plugin_test.go
	// gives it, to the target of tests/testplugin/BUILD.bazel that builds it.
	files map[string]string
	// pluginpaths are pluginpaths the case depends on, by file: what the go
	// command writes, and what the BUILD file must make the rules write.
	pluginpaths map[string]string
	// run does what plugin_test.go does with the files, in a directory laid
	// out like its module root. nil: the case only builds (plugin_test.go
	// asserts nothing more).
	run func(c *caseDir) error
	// skip is why the case does not run here, as plugin_test.go skips it.
	skip func() string
}

// suiteCases mirrors plugin_test.go, in its order.
var suiteCases = []suiteCase{
	{
		name:  "TestDWARFSections",
		files: map[string]string{"plugin2.so": "plugin2", "host.exe": "host.exe"},
		run: func(c *caseDir) error {
			// DWARF must be there for a plugin's unexported names and a host's main.main.
			if _, err := c.goRun("checkdwarf/main.go", "plugin2.so", "plugin2.UnexportedNameReuse"); err != nil {
				return err
			}
			_, err := c.goRun("checkdwarf/main.go", "./host.exe", "main.main")
			return err
		},
	},
	{
		name:  "TestBuildID",
		files: map[string]string{"plugin1.so": "plugin1"},
		run: func(c *caseDir) error {
			out, err := c.goCmd("tool", "buildid", "plugin1.so")
			if err != nil {
				return err
			}
			if strings.TrimSpace(out) == "" {
				return fmt.Errorf("go tool buildid plugin1.so: build id not found")
			}
			return nil
		},
	},
	{
		name: "TestRunHost",
		files: map[string]string{
			"plugin1.so":         "plugin1",
			"plugin2.so":         "plugin2",
			"plugin2-dup.so":     "plugin2", // cp plugin2.so plugin2-dup.so
			"sub/plugin1.so":     "sub_plugin1",
			"unnamed1.so":        "unnamed1",
			"unnamed2.so":        "unnamed2",
			"plugin-mismatch.so": "plugin-mismatch",
			"host.exe":           "host.exe",
		},
		// The host tells plugin1 from sub/plugin1 (same name, other
		// package), and plugin2-dup from plugin2 ("already loaded"), by these.
		pluginpaths: map[string]string{
			"plugin1.so":     "testplugin/plugin1",
			"sub/plugin1.so": "testplugin/sub/plugin1",
			"plugin2-dup.so": "testplugin/plugin2",
		},
		run: func(c *caseDir) error { return c.runExe("host.exe") },
	},
	{
		name:  "TestUniqueTypesAndItabs",
		files: map[string]string{"iface_a.so": "iface_a", "iface_b.so": "iface_b", "iface.exe": "iface.exe"},
		run:   func(c *caseDir) error { return c.runExe("iface.exe") },
	},
	{
		name:  "TestIssue18676",
		files: map[string]string{"plugin.so": "issue18676_plugin", "issue18676.exe": "issue18676.exe"},
		// The bug hangs forever: plugin_test.go gives it 10 seconds.
		run: func(c *caseDir) error { return c.runExeWithin(10*time.Second, "issue18676.exe") },
	},
	{
		name:        "TestIssue19534",
		files:       map[string]string{"plugin.so": "issue19534_plugin", "issue19534.exe": "issue19534.exe"},
		pluginpaths: map[string]string{"plugin.so": "issue.19534"}, // -ldflags=-pluginpath=issue.19534
		run:         func(c *caseDir) error { return c.runExe("issue19534.exe") },
	},
	{
		name:  "TestIssue18584",
		files: map[string]string{"plugin.so": "issue18584_plugin", "issue18584.exe": "issue18584.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue18584.exe") },
	},
	{
		name:  "TestIssue19418",
		files: map[string]string{"plugin.so": "issue19418_plugin", "issue19418.exe": "issue19418.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue19418.exe") },
	},
	{
		name:  "TestIssue19529",
		files: map[string]string{"plugin.so": "issue19529_plugin"},
	},
	{
		name: "TestIssue22175",
		files: map[string]string{
			"issue22175_plugin1.so": "issue22175_plugin1",
			"issue22175_plugin2.so": "issue22175_plugin2",
			"issue22175.exe":        "issue22175.exe",
		},
		run: func(c *caseDir) error { return c.runExe("issue22175.exe") },
	},
	{
		name:        "TestIssue22295",
		files:       map[string]string{"issue.22295.so": "issue.22295", "issue22295.exe": "issue22295.exe"},
		pluginpaths: map[string]string{"issue.22295.so": "testplugin/issue22295.pkg"}, // a dot in the pluginpath
		run:         func(c *caseDir) error { return c.runExe("issue22295.exe") },
	},
	{
		name:  "TestIssue24351",
		files: map[string]string{"issue24351.so": "issue24351", "issue24351.exe": "issue24351.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue24351.exe") },
	},
	{
		name:  "TestIssue25756",
		files: map[string]string{"life.so": "life", "issue25756.exe": "issue25756.exe"},
		// Fails intermittently, but 20 runs in parallel should cause the failure.
		run: func(c *caseDir) error {
			var wg sync.WaitGroup
			errs := make([]error, 20)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = c.runExe("issue25756.exe")
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					return fmt.Errorf("run %d of 20: %w", i+1, err)
				}
			}
			return nil
		},
	},
	{
		name:  "TestIssue25756pie",
		files: map[string]string{"life.so": "life", "issue25756pie.exe": "issue25756pie.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue25756pie.exe") },
	},
	{
		name:  "TestMethod",
		files: map[string]string{"plugin.so": "method_plugin", "method.exe": "method.exe"},
		run:   func(c *caseDir) error { return c.runExe("method.exe") },
	},
	{
		name:  "TestMethod2",
		files: map[string]string{"method2.so": "method2", "method2.exe": "method2.exe"},
		run:   func(c *caseDir) error { return c.runExe("method2.exe") },
	},
	{
		name:  "TestMethod3",
		files: map[string]string{"method3.so": "method3", "method3.exe": "method3.exe"},
		run:   func(c *caseDir) error { return c.runExe("method3.exe") },
	},
	{
		name:  "TestIssue44956",
		files: map[string]string{"issue44956p1.so": "issue44956p1", "issue44956p2.so": "issue44956p2", "issue44956.exe": "issue44956.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue44956.exe") },
	},
	{
		name:  "TestIssue52937",
		files: map[string]string{"issue52937.so": "issue52937"},
	},
	{
		name:  "TestIssue53989",
		files: map[string]string{"issue53989.so": "issue53989", "issue53989.exe": "issue53989.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue53989.exe") },
	},
	{
		name:  "TestForkExec",
		files: map[string]string{"forkexec.exe": "forkexec.exe"},
		// Issue 38824: a program importing plugin hung in forkExec (on darwin).
		run: func(c *caseDir) error {
			for i := 0; i < 100; i++ {
				if err := c.runExe("forkexec.exe", "1"); err != nil {
					return fmt.Errorf("run %d of 100: %w", i+1, err)
				}
			}
			return nil
		},
	},
	{
		name:  "TestSymbolNameMangle",
		files: map[string]string{"mangle.so": "mangle"},
	},
	{
		name:  "TestIssue62430",
		files: map[string]string{"issue62430.so": "issue62430", "issue62430.exe": "issue62430.exe"},
		run:   func(c *caseDir) error { return c.runExe("issue62430.exe") },
	},
	{
		name: "TestTextSectionSplit",
		skip: func() string {
			if runtime.GOOS == "darwin" && runtime.GOARCH == "arm64" {
				return "needs the linker flag -debugtextsize=262144 for the host, and the rules have no attribute for linker flags"
			}
			return fmt.Sprintf("text section splitting is not done in %s/%s (plugin_test.go skips it too)", runtime.GOOS, runtime.GOARCH)
		},
	},
	{
		name:  "TestIssue67976",
		files: map[string]string{"issue67976.so": "issue67976"},
	},
	{
		name: "TestIssue75102",
		// issue75102.so comes from the second invocation (see otherGcflags).
		files: map[string]string{"issue75102.exe": "issue75102.exe", "openplugin.exe": "openplugin.exe"},
		run:   runIssue75102,
	},
	{
		// Since Go 1.27: the host's type switches still match after
		// three plugins with copies of its itabs have loaded.
		name: "TestIssue81303",
		files: map[string]string{
			"issue81303p1.so": "//issue81303:issue81303p1",
			"issue81303p2.so": "//issue81303:issue81303p2",
			"issue81303p3.so": "//issue81303:issue81303p3",
			"issue81303.exe":  "//issue81303:issue81303.exe",
		},
		run: func(c *caseDir) error { return c.runExe("issue81303.exe") },
	},
}

// otherGcflags is how TestIssue75102's plugin is built: alone, in a second
// Bazel invocation, with the compiler flags of
// `go build -gcflags=all=-N -l -buildmode=plugin`.
var otherGcflags = struct{ flag, target, file string }{
	flag:   "--@rules_go_plugin//go_plugin:gcflags=-N,-l",
	target: "issue75102",
	file:   "issue75102.so",
}

// runIssue75102 runs the suite's host as plugin_test.go does: it must print
// "done", i.e. plugin.Open refused the plugin without running its init. Then
// it asks for the error text, which that host does not print, from a host of
// the same build, and has plugincheck refuse the plugin from the files,
// naming the package plugin.Open named.
func runIssue75102(c *caseDir) error {
	out, err := c.exe(0, "issue75102.exe")
	if err != nil {
		return err
	}
	if !strings.Contains(out, "done") {
		return fmt.Errorf("./issue75102.exe exited 0 without printing \"done\":\n%s", out)
	}

	out, err = c.exe(0, "openplugin.exe", otherGcflags.file)
	const refusal = "plugin was built with a different version of package "
	i := strings.Index(out, refusal)
	if err == nil || i < 0 {
		return fmt.Errorf("./openplugin.exe %s: want plugin.Open to fail with %q, got (%v):\n%s", otherGcflags.file, refusal, err, out)
	}
	pkg := strings.Fields(out[i+len(refusal):])[0]

	out, status := c.plugincheck("issue75102.exe", otherGcflags.file)
	for _, want := range []string{"will not load", pkg + ": ", "-gcflags"} {
		if status != 1 || !strings.Contains(out, want) {
			return fmt.Errorf("plugincheck issue75102.exe %s: want exit status 1 and %q in the report (plugin.Open named package %s), got status %d:\n%s",
				otherGcflags.file, want, pkg, status, out)
		}
	}
	c.logf("plugin.Open: %s%s; plugincheck names it too and says -gcflags", refusal, pkg)
	return nil
}
