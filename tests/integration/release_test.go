package integration

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// releaseFiles is a monorepo with two hosts and three plugins: server ships
// alpha and shared, admin ships beta and shared. Every plugin uses
// example.com/api; server, alpha and shared also example.com/greet, which
// admin does not link. The hosts and the release are stamped with
// STABLE_VERSION from the workspace status script.
func releaseFiles() map[string]string {
	files := map[string]string{
		"BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_release")

go_plugin_release(
    name = "release",
    hosts = [
        "//server",
        "//admin",
    ],
    plugin_file_name = "{name}_{goos}_{goarch}.so",
    release_name = "shop",
    version = "{STABLE_VERSION}",
    visibility = ["//visibility:public"],
)
`,
		"status.sh": "#!/bin/sh\ncat \"$(dirname \"$0\")/status-values.txt\"\n",
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go"],
    importpath = "example.com/api",
    visibility = ["//visibility:public"],
)
`,
		"api/api.go": "package api\n\n// Name is what each plugin exports.\ntype Name = func() string\n",
		"greet/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "greet",
    srcs = ["greet.go"],
    importpath = "example.com/greet",
    visibility = ["//visibility:public"],
)
`,
		"greet/greet.go": "package greet\n\nfunc Hello(who string) string { return \"hello \" + who }\n",
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

[go_plugin(
    name = name,
    srcs = [name + ".go"],
    visibility = ["//visibility:public"],
    deps = ["//api"] + deps,
) for name, deps in [
    ("alpha", ["//greet"]),
    ("beta", []),
    ("shared", ["//greet"]),
    ("rogue", []),
]]
`,
		"plugins/alpha.go":  pluginSource("alpha", true),
		"plugins/beta.go":   pluginSource("beta", false),
		"plugins/shared.go": pluginSource("shared", true),
		"plugins/rogue.go":  pluginSource("rogue", false),
		"releases/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_release_test")

# Plugins built today, shipped alone to the hosts of release 1.0.0.
go_plugin_release_test(
    name = "alpha_for_server",
    host = "server",
    plugins = ["//plugins:alpha"],
    release_manifest = "1.0.0.json",
)

go_plugin_release_test(
    name = "beta_for_admin",
    host = "admin",
    plugins = ["//plugins:beta"],
    release_manifest = "1.0.0.json",
)
`,
	}
	for _, h := range []struct{ name, plugins, greet string }{
		{"server", `"//plugins:alpha", "//plugins:shared"`, `, "//greet"`},
		{"admin", `"//plugins:beta", "//plugins:shared"`, ""},
	} {
		files[h.name+"/BUILD.bazel"] = `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

go_plugin_host(
    name = "` + h.name + `",
    srcs = ["main.go"],
    plugins = [` + h.plugins + `],
    visibility = ["//visibility:public"],
    x_defs = {"Version": "{STABLE_VERSION}"},
    deps = ["//api", "@rules_go_plugin//loader"` + h.greet + `],
)
`
		use := ""
		imp := ""
		if h.greet != "" {
			imp, use = "\n\t\"example.com/greet\"", "\n\t_ = greet.Hello"
		}
		files[h.name+"/main.go"] = `package main

import (
	"errors"
	"fmt"
	"os"

	"example.com/api"` + imp + `
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

var Version = "dev"

func main() {` + use + `
	fmt.Println("` + h.name + `", Version)
	paths, err := loader.Paths()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, path := range paths {
		p, err := loader.Open(path)
		if errors.Is(err, loader.ErrNotReleased) {
			fmt.Println("refused:", err)
			continue
		} else if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		name, err := loader.Lookup[*api.Name](p, "Name") // a variable: a pointer
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("loaded", (*name)())
	}
}
`
	}
	return files
}

func pluginSource(name string, greet bool) string {
	if !greet {
		return "package main\n\nimport \"example.com/api\"\n\nvar Name api.Name = func() string { return \"" + name + "\" }\n"
	}
	return "package main\n\nimport (\n\t\"example.com/api\"\n\t\"example.com/greet\"\n)\n\nvar Name api.Name = func() string { return greet.Hello(\"" + name + "\") }\n"
}

// TestRelease is a monorepo's release from end to end: built stamped,
// byte-identical from a second workspace at another path, deployed and run,
// a foreign plugin refused, then the next release compared with it, and
// plugins built later checked against the deployed release's manifest.
func TestRelease(t *testing.T) {
	files := releaseFiles()
	w := newWorkspace(t, files)
	if err := os.Chmod(w.path("status.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	stamp := []string{"--stamp", "--workspace_status_command=" + w.path("status.sh")}
	setVersion := func(w *workspace, v string) {
		writeFile(t, w.path("status-values.txt"), "STABLE_VERSION "+v+"\n")
	}
	setVersion(w, "1.0.0")
	w.mustRun("build", append(stamp, "//:release", "//plugins:rogue")...)
	archive := w.readFile(t, "bazel-bin/release.tar.gz")
	entries := untar(t, archive)
	var names []string
	for n := range entries {
		names = append(names, n)
	}
	for _, want := range []string{"release.json", "bin/server", "bin/admin", "plugins/alpha_linux_amd64.so", "plugins/beta_linux_amd64.so", "plugins/shared_linux_amd64.so"} {
		if _, ok := entries[want]; !ok {
			t.Fatalf("the archive lacks %s; it has %v", want, names)
		}
	}
	if len(entries) != 6 {
		t.Errorf("the archive has %d files, want 6 (shared.so once): %v", len(entries), names)
	}
	manifest := string(entries["release.json"])
	for _, want := range []string{`"name": "shop"`, `"version": "1.0.0"`, `"goos": "linux"`, `"example.com/greet"`, `"shipped_with": [
        "server",
        "admin"
      ]`} {
		if !strings.Contains(manifest, want) {
			t.Errorf("release.json lacks %s:\n%s", want, manifest)
		}
	}

	t.Run("release_files for rules_pkg", func(t *testing.T) {
		os.MkdirAll(w.path("pkg"), 0o755)
		writeFile(t, w.path("pkg/BUILD.bazel"), `filegroup(
    name = "files",
    srcs = ["//:release"],
    output_group = "release_files",
)
`)
		w.in(t).mustRun("build", append(stamp, "//pkg:files")...)
		for name, data := range entries {
			got, err := os.ReadFile(w.path("bazel-bin/release/" + name))
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("release_files: bazel-bin/release/%s is not the archive's (%v)", name, err)
			}
		}
	})

	t.Run("same bytes from another path", func(t *testing.T) {
		other := newNamedWorkspace(t, "TestReleaseAgain", releaseFiles())
		os.Chmod(other.path("status.sh"), 0o755)
		setVersion(other, "1.0.0")
		// The links and the packing run again there (not from the disk
		// cache); compiles may come from it.
		other.in(t).mustRun("build", "--stamp", "--workspace_status_command="+other.path("status.sh"),
			"--modify_execution_info=GoLink=+no-cache,GoPluginRelease=+no-cache", "//:release")
		if again := other.readFile(t, "bazel-bin/release.tar.gz"); again != archive {
			t.Errorf("release.tar.gz differs between %s and %s", w.dir, other.dir)
		}
	})

	deployed := t.TempDir()
	for name, data := range entries {
		p := filepath.Join(deployed, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	plugincheck := buildPlugincheck(t)
	runDeployed := func(t *testing.T, host string, env ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(deployed, "bin", host))
		cmd.Env = append(os.Environ(), append([]string{"GO_PLUGIN_RELEASE=" + filepath.Join(deployed, "release.json")}, env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("deployed %s: %v\n%s", host, err, out)
		}
		return string(out)
	}

	t.Run("deployed", func(t *testing.T) {
		if out := runDeployed(t, "server"); out != "server 1.0.0\nloaded hello alpha\nloaded hello shared\n" {
			t.Errorf("deployed server:\n%s", out)
		}
		if out := runDeployed(t, "admin"); out != "admin 1.0.0\nloaded beta\nloaded hello shared\n" {
			t.Errorf("deployed admin:\n%s", out)
		}
		// A plugin of the same build that the release does not ship, and
		// one it ships with the other host: refused before dlopen.
		rogue := filepath.Join(deployed, "plugins", "rogue.so")
		if err := copyFile(w.path("bazel-bin/plugins/rogue/rogue.so"), rogue); err != nil {
			t.Fatal(err)
		}
		out := runDeployed(t, "server", "GO_PLUGIN_PATHS="+rogue+":"+filepath.Join(deployed, "plugins", "beta_linux_amd64.so"))
		for _, want := range []string{"refused: loader: " + rogue + ": plugin not part of the release: sha256 ", "beta_linux_amd64.so of release shop 1.0.0, which ships it with admin, not with this host (server)"} {
			if !strings.Contains(out, want) {
				t.Errorf("server given foreign plugins: no %q in:\n%s", want, out)
			}
		}
		verify := exec.Command(plugincheck, "verify", filepath.Join(deployed, "release.json"))
		got, err := verify.CombinedOutput()
		if err == nil || !strings.Contains(string(got), "foreign  plugins/rogue.so") {
			t.Errorf("plugincheck verify with a foreign plugin: %v\n%s", err, got)
		}
		os.Remove(rogue)
		if got, err := exec.Command(plugincheck, "verify", filepath.Join(deployed, "release.json")).CombinedOutput(); err != nil {
			t.Errorf("plugincheck verify as released: %v\n%s", err, got)
		}
	})

	// Release 1.0.0's manifest is checked in; plugins built later are
	// checked against it.
	writeFile(t, w.path("releases/1.0.0.json"), manifest)
	t.Run("plugin alone, shared packages kept", func(t *testing.T) {
		writeFile(t, w.path("plugins/alpha.go"), strings.Replace(pluginSource("alpha", true), `"alpha"`, `"alpha 2"`, 1))
		writeFile(t, w.path("plugins/beta.go"), strings.Replace(pluginSource("beta", false), `"beta"`, `"beta 2"`, 1))
		w.in(t).mustRun("test", "//releases:all")
	})

	t.Run("next release", func(t *testing.T) {
		// example.com/greet changes: server links it, admin does not.
		writeFile(t, w.path("greet/greet.go"), "package greet\n\nfunc Hello(who string) string { return \"hi \" + who }\n\nfunc Bye() {}\n")
		setVersion(w, "1.1.0")
		w.in(t).mustRun("build", append(stamp, "//:release")...)
		next := filepath.Join(t.TempDir(), "1.1.0.json")
		writeFile(t, next, string(untar(t, w.readFile(t, "bazel-bin/release.tar.gz"))["release.json"]))
		out, err := exec.Command(plugincheck, "diff", w.path("releases/1.0.0.json"), next).CombinedOutput()
		report := string(out)
		if err == nil {
			t.Errorf("plugincheck diff found nothing to redeploy:\n%s", report)
		}
		for _, want := range []string{
			"release shop 1.0.0 -> shop 1.1.0",
			"host server: changed; 2 plugin(s) of shop 1.0.0 will not load into it: redeploy them with it",
			"redeploy  plugins/alpha_linux_amd64.so",
			"redeploy  plugins/shared_linux_amd64.so",
			"example.com/greet: ",
			"host admin: changed; every plugin of shop 1.0.0 still loads into it",
			"keep      plugins/beta_linux_amd64.so",
		} {
			if !strings.Contains(report, want) {
				t.Errorf("plugincheck diff: no %q in:\n%s", want, report)
			}
		}

		// alpha now has another example.com/greet than the deployed
		// server: its release test fails naming it; beta's still passes.
		w.in(t).mustFail([]string{"//releases:alpha_for_server", "FAILED"}, "test", "//releases:all")
		log := w.readFile(t, "bazel-testlogs/releases/alpha_for_server/test.log")
		if !strings.Contains(log, "example.com/greet: ") || !strings.Contains(log, "will not load into host server of release shop 1.0.0") {
			t.Errorf("alpha_for_server's log does not name example.com/greet:\n%s", log)
		}
		if !strings.Contains(w.readFile(t, "bazel-testlogs/releases/beta_for_admin/test.log"), "ok    ") {
			t.Error("beta_for_admin did not pass")
		}
	})

	t.Run("bad inputs", func(t *testing.T) {
		os.MkdirAll(w.path("bad"), 0o755)
		writeFile(t, w.path("bad/BUILD.bazel"), `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_release")

go_plugin_release(
    name = "stamped_name",
    hosts = ["//server"],
    plugin_file_name = "{name}-{version}.so",
    version = "{STABLE_VERSION}",
)

go_plugin_release(
    name = "clash",
    hosts = ["//server"],
    plugin_file_name = "plugin.so",
)
`)
		w.in(t).mustFail([]string{"//bad:stamped_name: plugin_file_name = \"{name}-{version}.so\" uses {version}, but version \"{STABLE_VERSION}\" is stamped"}, "build", "//bad:stamped_name")
		w.in(t).mustFail([]string{"//bad:clash: //plugins:alpha and //plugins:shared would both be plugins/plugin.so in the release"}, "build", "//bad:clash")
	})
}

// untar returns the files of a .tar.gz by name.
func untar(t *testing.T, archive string) map[string][]byte {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		} else if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		var b bytes.Buffer
		if _, err := io.Copy(&b, tr); err != nil {
			t.Fatal(err)
		}
		files[h.Name] = b.Bytes()
	}
}

// buildPlugincheck builds cmd/plugincheck with the go command, as a user
// installs it.
func buildPlugincheck(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "plugincheck")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/plugincheck")
	cmd.Dir = repoRoot
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/plugincheck: %v\n%s", err, log)
	}
	return out
}
