"""WORKSPACE setup for rules_go_plugin (bzlmod users use extensions.bzl).

```starlark
load("@rules_go_plugin//go_plugin:repositories.bzl", "go_plugin_register_toolchains", "rules_go_plugin_dependencies")

rules_go_plugin_dependencies()

go_plugin_register_toolchains(go_version = "host")
```
"""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//go_plugin/private/sdk:repository.bzl", "go_sdk_args", "go_sdk_repository")
load("//go_plugin/private/sdk:toolchains_repository.bzl", "go_sdk_toolchains", "toolchains_repo_name")

# The oldest Bazel this ruleset is tested on.
_MIN_BAZEL = (4, 2, 3)

def _bazel_version():
    v = native.bazel_version or ""
    parts = []
    for p in v.split("-")[0].split(".")[:3]:
        if not p.isdigit():
            return None  # a development build: no version to compare
        parts.append(int(p))
    return tuple(parts) if len(parts) == 3 else None

def rules_go_plugin_dependencies():
    """Declares what rules_go_plugin needs before its toolchains.

    The Go helper tools are built from the SDK's standard library. Two
    external repositories are declared, each unless the workspace already has
    it: rules_cc, whose CcInfo `cdeps` read and whose cc_common gives the C++
    toolchain's environment, and bazel_skylib, for the bzl_library targets of
    the public .bzl files. rules_cc is 0.1.1 here, whose CcInfo is Bazel's
    native one: WORKSPACE exists only up to Bazel 8, which still has it, and
    the releases that work on Bazel 9 (0.2.12+, MODULE.bazel's) need
    bazel_features and rules_cc's compatibility_proxy_repo() in a WORKSPACE.
    This also checks the Bazel version, so an old Bazel fails here with a
    clear message instead of later, in a rule.
    """
    v = _bazel_version()
    if v and v < _MIN_BAZEL:
        fail("rules_go_plugin needs Bazel %s or newer; this is Bazel %s." % (
            ".".join([str(x) for x in _MIN_BAZEL]),
            native.bazel_version,
        ))
    maybe(
        http_archive,
        name = "rules_cc",
        sha256 = "712d77868b3152dd618c4d64faaddefcc5965f90f5de6e6dd1d5ddcd0be82d42",
        strip_prefix = "rules_cc-0.1.1",
        urls = ["https://github.com/bazelbuild/rules_cc/releases/download/0.1.1/rules_cc-0.1.1.tar.gz"],
    )
    maybe(
        http_archive,
        name = "bazel_skylib",
        sha256 = "bc283cdfcd526a52c3201279cda4bc298652efa898b10b4db0837dc51652756f",
        urls = [
            "https://mirror.bazel.build/github.com/bazelbuild/bazel-skylib/releases/download/1.7.1/bazel-skylib-1.7.1.tar.gz",
            "https://github.com/bazelbuild/bazel-skylib/releases/download/1.7.1/bazel-skylib-1.7.1.tar.gz",
        ],
    )

def go_plugin_register_toolchains(go_version = "host", urls = [], sha256 = "", strip_prefix = "go", goos = "", goarch = "", go_mod = None, name = "go_sdk"):
    """Declares the Go SDK repository and registers its toolchain.

    The toolchain() target is in the repository `<name>_toolchains`, so
    builds that need no Go SDK (C++, shell, ...) do not set it up.

    Args:
      go_version: "host" for the SDK on this machine (GOROOT, else `go` on
        PATH), or a version such as "1.26.8". Without urls, the host SDK must
        be that version; with urls, that version is downloaded.
      urls: where to download the SDK archive (go<version>.<os>-<arch>.tar.gz).
      sha256: the archive's sha256; required with urls.
      strip_prefix: the directory in the archive that holds GOROOT.
      goos: target GOOS, if not the machine's.
      goarch: target GOARCH, if not the machine's.
      go_mod: the main module's go.mod (e.g. "@//:go.mod"): hosts and
        plugins get the GODEBUG defaults of its go line and godebug lines,
        as the go command gives them; without it, the SDK's own defaults.
        Its module graph (with the go.sum beside it, resolved offline from
        the module cache: run `go mod download && go list -m all`) gives every package the
        go command's file positions and -lang, and links its mod and dep
        build info lines, so go-built plugins and hosts match these.
      name: name of the SDK repository.
    """
    args = go_sdk_args(go_version, urls, sha256, strip_prefix, goos, goarch, go_mod)
    go_sdk_repository(name = name, **args)
    toolchains = toolchains_repo_name(name)
    go_sdk_toolchains(name = toolchains, sdk_repo = name, goos = args["goos"], goarch = args["goarch"])
    native.register_toolchains("@%s//:toolchain" % toolchains)
