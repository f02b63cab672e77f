package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const extBzl = `
load(":repo.bzl", "sdk_repository")

_host = tag_class(attrs = {"version": attr.string()})
_download = tag_class(attrs = {
    "version": attr.string(mandatory = True),
    "urls": attr.string_list(),
})

def _impl(ctx):
    sdk_repository(name = "sdk")

sdk = module_extension(implementation = _impl, tag_classes = {"host": _host, "download": _download})
`

const repoBzl = `
_BUILD = """
toolchain(
    name = "tc",
    toolchain = ":x",
)
"""

def _impl(rctx):
    rctx.file("BUILD", _BUILD)

sdk_repository = repository_rule(implementation = _impl)
`

// writeModule lays out a module with the extension above and the given
// MODULE.bazel, and returns the problems modulecheck finds.
func writeModule(t *testing.T, module string) []string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"MODULE.bazel":     module,
		"ext/ext.bzl":      extBzl,
		"ext/repo.bzl":     repoBzl,
		"ext/BUILD":        "",
		"dep/MODULE.bazel": `module(name = "dep", version = "1.0")`,
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	problems, err := CheckModule(filepath.Join(dir, "MODULE.bazel"))
	if err != nil {
		t.Fatal(err)
	}
	return problems
}

func TestGoodModule(t *testing.T) {
	problems := writeModule(t, `
module(name = "m", version = "0.1")
bazel_dep(name = "dep", version = "1.0")
local_path_override(module_name = "dep", path = "dep")
sdk = use_extension("//ext:ext.bzl", "sdk")
sdk.host()
sdk.download(version = "1.26.8", urls = ["file:///x"])
use_repo(sdk, "sdk")
register_toolchains("@sdk//:tc", "@sdk//:all")
`)
	if len(problems) != 0 {
		t.Fatalf("want no problems, got %q", problems)
	}
}

func TestBadModules(t *testing.T) {
	head := "module(name = \"m\")\nsdk = use_extension(\"//ext:ext.bzl\", \"sdk\")\n"
	for _, tc := range []struct{ name, module, want string }{
		{"missing bzl", `module(name = "m")` + "\nx = use_extension(\"//nope:ext.bzl\", \"sdk\")\n", "nope/ext.bzl: no such file"},
		{"missing extension", `module(name = "m")` + "\nx = use_extension(\"//ext:ext.bzl\", \"other\")\n", "defines no module_extension named other"},
		{"unknown tag", head + "sdk.pinned()\n", `has no tag class "pinned" (it has download, host)`},
		{"unknown attribute", head + "sdk.host(sha = \"x\")\n", `tag class "host" has no attribute "sha"`},
		{"missing mandatory", head + "sdk.download(urls = [])\n", `mandatory attribute "version" is missing`},
		{"unknown repo", head + "use_repo(sdk, \"go_sdk\")\n", `declares no repository "go_sdk" (it declares sdk)`},
		{"unknown toolchain", head + "use_repo(sdk, \"sdk\")\nregister_toolchains(\"@sdk//:toolchain\")\n", `defines no toolchain "toolchain" (it defines tc)`},
		{"repo not in scope", head + "register_toolchains(\"@sdk//:tc\")\n", "repository @sdk is not in scope"},
		{"bad override", head + "bazel_dep(name = \"x\", version = \"1\")\nlocal_path_override(module_name = \"x\", path = \"dep\")\n", `holds module "dep", not "x"`},
		{"unknown function", head + "frobnicate()\n", "unknown MODULE.bazel function frobnicate"},
		{"no module", "bazel_dep(name = \"dep\", version = \"1.0\")\n", "no module(name = ...)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			problems := writeModule(t, tc.module)
			if len(problems) != 1 || !strings.Contains(problems[0], tc.want) {
				t.Fatalf("want one problem containing %q, got %q", tc.want, problems)
			}
		})
	}
}

// The repository's own MODULE.bazel files must pass.
func TestRepositoryModules(t *testing.T) {
	for _, path := range []string{"../../MODULE.bazel", "../../examples/MODULE.bazel"} {
		problems, err := CheckModule(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) != 0 {
			t.Errorf("%s: %q", path, problems)
		}
	}
}
