package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// godebugFiles: a module whose go.mod says go 1.20 (before panic(nil)
// panicked with a *runtime.PanicNilError), a host that reports what
// recover() returns after panic(nil), the same host with a //go:debug line,
// and a plugin.
func godebugFiles() map[string]string {
	host := `package main

import (
	"fmt"
	_ "plugin"
)

func main() {
	defer func() { fmt.Printf("recover() after panic(nil) is nil: %v\n", recover() == nil) }()
	panic(nil)
}
`
	return map[string]string{
		"BUILD.bazel": "",
		"go.mod":      "module example.com\n\ngo 1.20\n",
		"hosts/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin", "go_plugin_host", "go_plugin_test")

go_plugin_host(
    name = "old",
    srcs = ["old/main.go"],
    importpath = "example.com/hosts/old",
)

go_plugin_host(
    name = "directive",
    srcs = ["directive/main.go"],
    importpath = "example.com/hosts/directive",
)

go_plugin(
    name = "plug",
    srcs = ["plug/plug.go"],
    pluginpath = "example.com/hosts/plug",
)

go_plugin(
    name = "nilcheck",
    srcs = ["nilcheck/nilcheck.go"],
)

# The checker's child must run with the host's GODEBUG defaults.
go_plugin_test(
    name = "nilcheck_test",
    host = ":old",
    plugins = [":nilcheck"],
)
`,
		"hosts/old/main.go":       host,
		"hosts/directive/main.go": "//go:debug panicnil=0\n\n" + host,
		"hosts/plug/plug.go":      "//go:debug panicnil=0\n\npackage main\n\nfunc F() {}\n",
		// Its init passes only where panicnil=1, as in the host "old".
		"hosts/nilcheck/nilcheck.go": `package main

func init() {
	defer func() {
		if r := recover(); r != nil {
			panic("recover() after panic(nil) returned a value: this process lacks the host's GODEBUG panicnil=1")
		}
	}()
	panic(nil)
}

func F() {}
`,
	}
}

// Hosts and plugins get the GODEBUG defaults the go command gives the same
// module: from the go line of the go.mod named by go_mod and from //go:debug
// lines, linked as runtime.godebugDefault and listed by `go version -m`;
// without go_mod, the SDK's defaults changed only by //go:debug lines.
func TestGodebugDefaults(t *testing.T) {
	files := godebugFiles()
	files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "host", go_mod = "//:go.mod")`)
	w := newWorkspace(t, files)

	// The go command's answer for the same module.
	list := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.DefaultGODEBUG}}", "./hosts/old", "./hosts/directive", "./hosts/plug")
	list.Dir = w.dir
	list.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOFIPS140=off")
	out, err := list.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	want := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, def, _ := strings.Cut(line, " ")
		want[pkg] = def
	}
	if !strings.Contains(want["example.com/hosts/old"], "panicnil=1") || !strings.Contains(want["example.com/hosts/directive"], "panicnil=0") {
		t.Fatalf("the go command's defaults are not what the test expects: %q", want)
	}

	for _, c := range []struct{ target, pkg, file, run string }{
		{"//hosts:old", "example.com/hosts/old", "hosts/old", "recover() after panic(nil) is nil: true"},
		{"//hosts:directive", "example.com/hosts/directive", "hosts/directive", "recover() after panic(nil) is nil: false"},
		{"//hosts:plug", "example.com/hosts/plug", "hosts/plug/plug.so", ""},
	} {
		if c.run != "" {
			if got := w.mustRun("run", c.target); !strings.Contains(got, c.run) {
				t.Errorf("bazel run %s: want %q in:\n%s", c.target, c.run, got)
			}
		} else {
			w.mustRun("build", c.target)
		}
		info, err := exec.Command("go", "version", "-m", w.path("bazel-bin/"+c.file)).CombinedOutput()
		if err != nil {
			t.Fatalf("go version -m %s: %v\n%s", c.file, err, info)
		}
		if line := "\tbuild\tDefaultGODEBUG=" + want[c.pkg] + "\n"; !strings.Contains(string(info), line) {
			t.Errorf("%s: go version -m lacks %q (the go command's):\n%s", c.target, line, info)
		}
	}

	// go_plugin_test opens the plugin with the host's defaults: its init
	// recovers panic(nil) as nil only with panicnil=1.
	w.mustRun("test", "//hosts:nilcheck_test")

	// Without go_mod: the SDK's own defaults, and the //go:debug lines.
	files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "host")`)
	w = newNamedWorkspace(t, t.Name()+"NoGoMod", files)
	if got := w.mustRun("run", "//hosts:old"); !strings.Contains(got, "is nil: false") {
		t.Errorf("without go_mod the SDK's defaults apply (panicnil=0):\n%s", got)
	}
	info, err := exec.Command("go", "version", "-m", w.path("bazel-bin/hosts/old")).CombinedOutput()
	if err != nil || strings.Contains(string(info), "DefaultGODEBUG") {
		t.Errorf("without go_mod and //go:debug lines there is no DefaultGODEBUG: %v\n%s", err, info)
	}
	w.mustRun("build", "//hosts:directive")
	info, err = exec.Command("go", "version", "-m", w.path("bazel-bin/hosts/directive")).CombinedOutput()
	if err != nil || !strings.Contains(string(info), "\tbuild\tDefaultGODEBUG=panicnil=0\n") {
		t.Errorf("a //go:debug line alone gives DefaultGODEBUG=panicnil=0: %v\n%s", err, info)
	}

	// A setting the SDK does not know fails the compile, naming the file.
	files["hosts/directive/main.go"] = "//go:debug nosuchsetting=1\n\n" + files["hosts/old/main.go"]
	w = newNamedWorkspace(t, t.Name()+"NoGoMod", files)
	w.mustFail([]string{"hosts/directive/main.go: //go:debug nosuchsetting=1: the go command of this SDK does not know that setting or value"}, "build", "//hosts:directive")
}
