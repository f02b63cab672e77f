package integration

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// uuidModule is the third-party module the monorepo imports, fetched through
// the module proxy as the test runs, as go_deps or go_repository would.
const uuidModule = "github.com/google/uuid@v1.6.0"

// A monorepo whose Go code is rules_go go_library targets (loaded from
// @io_bazel_rules_go, here the stand-in with rules_go's attributes): an API
// package in the main repository, a shared helper in an external repository
// (with importmap, embed and x_defs), and a third-party module in another,
// with a BUILD file as Gazelle writes it. A host and two plugins of this
// ruleset use them, and one of this ruleset's go_library depends on them.
func TestRulesGoMonorepo(t *testing.T) {
	w := newMonorepo(t, fmt.Sprintf(`go_plugin_register_toolchains(go_version = "host")

local_repository(
    name = "io_bazel_rules_go",
    path = %q,
)
`, filepath.Join(repoRoot, "tests", "rules_go_standin")), true)
	checkMonorepo(t, w)

	t.Run("refused", func(t *testing.T) {
		w.t = t
		w.mustFail([]string{
			`//bad:gc_goopts: gc_goopts = ["-N"]: per-package compiler flags would give this package another hash in a host than in a plugin built with different ones`,
			"Remove gc_goopts and set --@rules_go_plugin//go_plugin:gcflags=... for the whole build.",
			`//bad:location: x_defs["Path"] = "$(execpath p.go)": rules_go_plugin does not expand $(location) or make variables in x_defs. Write the value itself`,
			"//bad:other: this go_library has no attribute data, importmap, embed, embedsrcs, x_defs, gc_goopts, cgo, cdeps, cppopts, copts, cxxopts, clinkopts, which rules_go's go_library has",
			"//bad:proto: this go_proto_library has no attribute embed, importmap, gc_goopts, compiler, compilers, which rules_go's go_proto_library has",
			// rules_go's own go_library takes only deps and embed with its
			// GoInfo provider, as the stand-in does: not this ruleset's
			// go_library. Bazel says so before any aspect runs.
			"in deps attribute of go_library rule //bad:rules_go_on_ours: '//bad:ours' does not have mandatory providers: 'GoInfo'",
			"in embed attribute of go_library rule //bad:embeds_ours: '//bad:ours' does not have mandatory providers: 'GoInfo'",
		}, "build", "--keep_going", "//bad:all")
	})
}

// The same monorepo with a real rules_go: 0.34.0, the last release for
// Bazel 4, fetched through the module proxy. It cannot compile anything with
// Go 1.20 or later (its go_sdk wants .a files in GOROOT/pkg), but nothing of
// it has to run: the aspect compiles its go_library targets. Its SDK is a
// mirror of GOROOT with a placeholder .a file, which only its analysis sees.
// bazel_skylib and platforms come from Debian's bazel-skylib and
// bazel-platforms packages (scripts/test.sh installs them); the workspace
// header already declares bazel_skylib (offline_bazel_repositories).
func TestRealRulesGo(t *testing.T) {
	repos, toolchains := realRulesGo(t)
	checkMonorepo(t, newMonorepo(t, repos+toolchains, false))
}

// realRulesGo is the WORKSPACE of a workspace with the real rules_go 0.34.0:
// the repositories (this ruleset's SDK under another name, Debian's
// platforms, rules_go), then rules_go's setup with a mirrored GOROOT as its
// SDK.
func realRulesGo(t *testing.T) (repos, toolchains string) {
	t.Helper()
	rulesGo := downloadModule(t, "github.com/bazelbuild/rules_go@v0.34.0")
	for _, dir := range []string{debianSkylib, debianPlatforms} {
		if _, err := os.Stat(filepath.Join(dir, "WORKSPACE")); err != nil {
			t.Fatalf("%s: %v; install Debian's bazel-skylib and bazel-platforms (scripts/test.sh does)", dir, err)
		}
	}
	goroot := filepath.Join(baseDir, "ws", t.Name()+"_goroot")
	mirrorGOROOT(t, goroot)
	repos = fmt.Sprintf(`# rules_go's own SDK repository is named go_sdk: give this ruleset's another name.
go_plugin_register_toolchains(go_version = "host", name = "rules_go_plugin_sdk")

local_repository(name = "platforms", path = %q)

local_repository(name = "io_bazel_rules_go", path = %q)
`, debianPlatforms, rulesGo)
	toolchains = fmt.Sprintf(`
load("@io_bazel_rules_go//go:deps.bzl", "go_local_sdk", "go_register_toolchains", "go_rules_dependencies")

go_rules_dependencies()

go_local_sdk(name = "go_sdk", path = %q)

go_register_toolchains()
`, goroot)
	return repos, toolchains
}

const (
	debianSkylib    = "/usr/share/bazel/tools/skylib"
	debianPlatforms = "/usr/share/bazel/tools/platforms"
)

// mirrorGOROOT makes dir a GOROOT of symlinks to the SDK's, with a
// placeholder pkg/<goos>_<goarch>/placeholder.a for rules_go 0.34's go_sdk
// rule, which refuses an SDK without .a files.
func mirrorGOROOT(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT", "GOOS", "GOARCH").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := strings.Fields(string(out))
	goroot, platform := env[0], env[1]+"_"+env[2]
	os.RemoveAll(dir)
	if err := os.MkdirAll(filepath.Join(dir, "pkg", platform), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"", "pkg"} {
		entries, err := os.ReadDir(filepath.Join(goroot, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if sub == "" && e.Name() == "pkg" {
				continue
			}
			if err := os.Symlink(filepath.Join(goroot, sub, e.Name()), filepath.Join(dir, sub, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pkg", platform, "placeholder.a"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// newMonorepo writes the monorepo, its external repositories and a
// WORKSPACE that declares them after toolchains (which sets up the Go
// toolchains and @io_bazel_rules_go). withBad adds the bad/ package.
func newMonorepo(t *testing.T, toolchains string, withBad bool) *workspace {
	t.Helper()
	uuidDir := downloadModule(t, uuidModule)
	shared := filepath.Join(baseDir, "ws", t.Name()+"_shared")
	writeTree(t, shared, sharedRepoFiles())
	files := monorepoFiles()
	if !withBad {
		for name := range files {
			if strings.HasPrefix(name, "bad/") {
				delete(files, name)
			}
		}
	}
	files["WORKSPACE"] = workspaceHeader(toolchains) + fmt.Sprintf(`
local_repository(
    name = "com_example_shared",
    path = %q,
)

new_local_repository(
    name = "com_github_google_uuid",
    path = %q,
    build_file_content = """
load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = "uuid",
    srcs = glob(["*.go"], exclude = ["*_test.go"]),
    importpath = "github.com/google/uuid",
    visibility = ["//visibility:public"],
)
""",
)
`, shared, uuidDir)
	return newWorkspace(t, files)
}

// checkMonorepo builds the host and both plugins, runs the host, compares
// package hashes and runs go_plugin_test.
func checkMonorepo(t *testing.T, w *workspace) {
	t.Helper()
	w.mustRun("build", "//host", "//plugins:alpha", "//plugins:beta")
	out := w.mustRun("run", "//host")
	want := fmt.Sprintf(`host: %s
alpha: alpha greets host (shared v9.9.9), id %s
beta: beta via mixed: beta greets host (shared v9.9.9), id %s
`, uuidV5URL("host"), uuidV5URL("alpha"), uuidV5URL("beta"))
	if !strings.HasSuffix(out, want) {
		t.Fatalf("bazel run //host: want the output to end with\n%s\ngot:\n%s", want, out)
	}

	// Every shared package, the importmapped helper and the third-party
	// module included, has one hash in the host and in both plugins.
	host := readBinary(t, w.path("bazel-bin/host/host"))
	for _, p := range []string{"alpha", "beta"} {
		so := readBinary(t, w.path("bazel-bin/plugins/"+p+"/"+p+".so"))
		for _, pkg := range []string{"example.com/monorepo/api", "example.com/shared/vendor/greet", "github.com/google/uuid"} {
			if h := host.Hashes[pkg]; h == "" || so.LinkHashes[pkg] != h {
				t.Errorf("package %s: hash %q in plugin %s, %q in the host; want one hash, in both", pkg, so.LinkHashes[pkg], p, h)
			}
		}
		if _, ok := so.LinkHashes["example.com/shared/greet"]; ok {
			t.Errorf("plugin %s links the helper by its importpath; want its importmap example.com/shared/vendor/greet", p)
		}
	}

	w.mustRun("test", "//host:plugins_test")
}

// monorepoFiles is the main repository: rules_go libraries, and the host,
// plugins and test of this ruleset.
func monorepoFiles() map[string]string {
	return map[string]string{
		"BUILD.bazel": "",
		"api/BUILD.bazel": `load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go"],
    importpath = "example.com/monorepo/api",
    visibility = ["//visibility:public"],
)
`,
		"api/api.go": `// Package api is what the host and its plugins share.
package api

// Plugin is what each plugin's New returns.
type Plugin interface {
	Greet(who string) string
}

// Factory is the type of each plugin's New symbol.
type Factory = func() Plugin
`,
		"mixed/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

# This ruleset's go_library on top of rules_go libraries.
go_library(
    name = "mixed",
    srcs = ["mixed.go"],
    importpath = "example.com/monorepo/mixed",
    visibility = ["//visibility:public"],
    deps = [
        "//api",
        "@com_example_shared//greet",
    ],
)
`,
		"mixed/mixed.go": `// Package mixed is a go_library of rules_go_plugin using rules_go ones.
package mixed

import (
	"example.com/monorepo/api"
	"example.com/shared/greet"
)

type via struct{ name string }

func (v via) Greet(who string) string { return v.name + " via mixed: " + greet.Line(v.name, who) }

// New returns a Plugin that greets through the shared helper.
func New(name string) api.Plugin { return via{name} }
`,
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "alpha",
    srcs = ["alpha/alpha.go"],
    visibility = ["//visibility:public"],
    deps = [
        "//api",
        "@com_example_shared//greet",
    ],
)

go_plugin(
    name = "beta",
    srcs = ["beta/beta.go"],
    visibility = ["//visibility:public"],
    deps = [
        "//api",
        "//mixed",
        "@com_github_google_uuid//:uuid",
    ],
)
`,
		"plugins/alpha/alpha.go": `package main

import (
	"example.com/monorepo/api"
	"example.com/shared/greet"
)

type alpha struct{}

func (alpha) Greet(who string) string { return greet.Line("alpha", who) + ", id " + greet.ID("alpha") }

// New is looked up by the host.
func New() api.Plugin { return alpha{} }
`,
		"plugins/beta/beta.go": `package main

import (
	"example.com/monorepo/api"
	"example.com/monorepo/mixed"
	"github.com/google/uuid"
)

type beta struct{ api.Plugin }

func (b beta) Greet(who string) string {
	return b.Plugin.Greet(who) + ", id " + uuid.NewSHA1(uuid.NameSpaceURL, []byte("beta")).String()
}

// New is looked up by the host.
func New() api.Plugin { return beta{mixed.New("beta")} }
`,
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_test")

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    plugins = [
        "//plugins:alpha",
        "//plugins:beta",
    ],
    deps = [
        "//api",
        "@com_example_shared//greet",
        "@rules_go_plugin//loader",
    ],
)

go_plugin_test(
    name = "plugins_test",
    host = ":host",
    symbols = {"New": "api.Factory"},
    deps = ["//api"],
)
`,
		"host/main.go": `// Command host loads the plugins and asks each to greet.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"plugin"
	"strings"

	"example.com/monorepo/api"
	"example.com/shared/greet"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	if err := run(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}

func run() error {
	fmt.Println("host: " + greet.ID("host"))
	paths, err := loader.Paths()
	if err != nil {
		return err
	}
	for _, path := range paths {
		p, err := plugin.Open(path)
		if err != nil {
			return err
		}
		sym, err := p.Lookup("New")
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(path), ".so")
		fmt.Printf("%s: %s\n", name, sym.(api.Factory)().Greet("host"))
	}
	return nil
}
`,
		"bad/BUILD.bazel": `# rules_go libraries the deps aspect refuses, each used by a plugin.
load("@io_bazel_rules_go//go:def.bzl", "go_library")
load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin", rgp_go_library = "go_library")
load(":other_rules.bzl", "go_proto_library", other_go_library = "go_library")

[go_plugin(
    name = "uses_" + lib,
    srcs = ["main.go"],
    deps = [":" + lib],
) for lib in [
    "gc_goopts",
    "location",
    "embeds_ours",
    "other",
    "proto",
]]

go_library(name = "gc_goopts", srcs = ["p.go"], gc_goopts = ["-N"], importpath = "example.com/bad/p")

go_library(name = "location", srcs = ["p.go"], importpath = "example.com/bad/p", x_defs = {"Path": "$(execpath p.go)"})

rgp_go_library(name = "ours", srcs = ["p.go"], importpath = "example.com/bad/p")

go_library(name = "embeds_ours", embed = [":ours"], importpath = "example.com/bad/p")

other_go_library(name = "other", srcs = ["p.go"], importpath = "example.com/bad/p")

go_proto_library(name = "proto", importpath = "example.com/bad/p")

go_library(name = "rules_go_on_ours", srcs = ["p.go"], importpath = "example.com/bad/q", deps = [":ours"])
`,
		"bad/other_rules.bzl": `"""Rules the deps aspect meets but does not compile. A rule's kind is the
name it is exported as, so these are named as the rules they stand for."""

def _impl(_ctx):
    return []

# Another ruleset's go_library, without rules_go's attributes.
go_library = rule(implementation = _impl, attrs = {
    "srcs": attr.label_list(allow_files = True),
    "deps": attr.label_list(),
    "importpath": attr.string(),
})

# Stands for rules_go's go_proto_library.
go_proto_library = rule(implementation = _impl, attrs = {
    "deps": attr.label_list(),
    "importpath": attr.string(),
})
`,
		"bad/p.go":    "package p\n",
		"bad/main.go": "package main\n",
	}
}

// sharedRepoFiles is an in-house module in an external repository, as
// go_repository or go_deps would declare it: a helper whose importmap
// differs from its importpath, that embeds a second library and sets a
// variable with x_defs.
func sharedRepoFiles() map[string]string {
	return map[string]string{
		"WORKSPACE":   `workspace(name = "com_example_shared")` + "\n",
		"BUILD.bazel": "",
		"greet/BUILD.bazel": `load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = "greet",
    srcs = ["greet.go"],
    embed = [":words"],
    importmap = "example.com/shared/vendor/greet",
    importpath = "example.com/shared/greet",
    visibility = ["//visibility:public"],
    x_defs = {"Version": "v9.9.9"},
    deps = ["@com_github_google_uuid//:uuid"],
)

go_library(
    name = "words",
    srcs = ["words.go"],
    importpath = "example.com/shared/greet",
)
`,
		"greet/greet.go": `// Package greet is a helper the host and the plugins share.
package greet

import "github.com/google/uuid"

// Version is set by x_defs.
var Version = "unset"

// Line is a greeting.
func Line(name, who string) string { return name + " " + verb + " " + who + " (shared " + Version + ")" }

// ID is a name's UUID (SHA-1, URL namespace).
func ID(name string) string { return uuid.NewSHA1(uuid.NameSpaceURL, []byte(name)).String() }
`,
		"greet/words.go": "package greet\n\n// verb comes from a library that greet embeds.\nconst verb = \"greets\"\n",
	}
}

// downloadModule fetches a module through the module proxy (or finds it in
// the module cache) and returns its directory.
func downloadModule(t *testing.T, mod string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Dir = t.TempDir() // outside any module
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v\n%s", mod, err, out)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		t.Fatalf("go mod download %s: %v %s\n%s", mod, err, info.Error, out)
	}
	return info.Dir
}

// writeTree writes files under dir, replacing what was there.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	os.RemoveAll(dir)
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// uuidV5URL is the name-based (SHA-1) UUID of name in the URL namespace
// (RFC 9562), which uuid.NewSHA1(uuid.NameSpaceURL, name) returns.
func uuidV5URL(name string) string {
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	sum := sha1.Sum(append(ns, name...))
	u := sum[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func readBinary(t *testing.T, path string) *plugincheck.Binary {
	t.Helper()
	b, err := plugincheck.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
