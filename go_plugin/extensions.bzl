"""Module extension for MODULE.bazel: the Go SDK of rules_go_plugin.

```starlark
go_sdk = use_extension("@rules_go_plugin//go_plugin:extensions.bzl", "go_sdk")
go_sdk.download(version = "1.26.8", urls = [...], sha256 = "...")   # or go_sdk.host()
use_repo(go_sdk, "go_sdk", "go_sdk_toolchains")
```

rules_go_plugin's own MODULE.bazel asks for go_sdk.host() and registers
@go_sdk_toolchains//:toolchain: the toolchain() of @go_sdk, in a repository
of its own so that builds needing no Go do not set the SDK up. A tag in the
root module takes precedence, because one build has one SDK (host and
plugins must agree on it).
"""

load("//go_plugin/private/sdk:repository.bzl", "go_sdk_args", "go_sdk_repository")
load("//go_plugin/private/sdk:toolchains_repository.bzl", "go_sdk_toolchains")

_host = tag_class(
    doc = "Use the Go SDK on the machine (GOROOT, else `go` on PATH).",
    attrs = {
        "version": attr.string(default = "host", doc = "\"host\", or the version the host SDK must have."),
        "go_mod": attr.label(doc = "The main module's go.mod: its go line and godebug lines give hosts and plugins the go command's GODEBUG defaults; its module graph (with the go.sum beside it, from the module cache) gives packages the go command's positions and -lang and links its mod and dep lines."),
    },
)

_download = tag_class(
    doc = "Download a pinned Go SDK.",
    attrs = {
        "version": attr.string(mandatory = True, doc = "Go version, e.g. \"1.26.8\"."),
        "urls": attr.string_list(mandatory = True, doc = "Where to download go<version>.<os>-<arch>.tar.gz."),
        "sha256": attr.string(mandatory = True, doc = "sha256 of the archive."),
        "strip_prefix": attr.string(default = "go", doc = "The directory in the archive that holds GOROOT."),
        "goos": attr.string(doc = "GOOS the SDK builds for, if not the machine's."),
        "goarch": attr.string(doc = "GOARCH the SDK builds for, if not the machine's."),
        "go_mod": attr.label(doc = "The main module's go.mod: its go line and godebug lines give hosts and plugins the go command's GODEBUG defaults; its module graph (with the go.sum beside it, from the module cache) gives packages the go command's positions and -lang and links its mod and dep lines."),
    },
)

def _chosen_tag(module_ctx):
    """The root module's tag if it has one, else the first one found."""
    for mod in module_ctx.modules:
        for tag in mod.tags.download:
            return "download", tag
        for tag in mod.tags.host:
            return "host", tag
    return None, None

def _go_sdk_impl(module_ctx):
    kind, tag = _chosen_tag(module_ctx)
    if kind == "download":
        args = go_sdk_args(tag.version, tag.urls, tag.sha256, tag.strip_prefix, tag.goos, tag.goarch, tag.go_mod)
    elif kind == "host":
        args = go_sdk_args(tag.version, go_mod = tag.go_mod)
    else:
        args = go_sdk_args()
    go_sdk_repository(name = "go_sdk", **args)
    go_sdk_toolchains(name = "go_sdk_toolchains", sdk_repo = "go_sdk", goos = args["goos"], goarch = args["goarch"])

go_sdk = module_extension(
    implementation = _go_sdk_impl,
    tag_classes = {"host": _host, "download": _download},
    doc = """Declares the repository go_sdk with the Go SDK, and go_sdk_toolchains with its toolchain.

The root module's tag wins, then the first tag of another module; without any
tag, the SDK on the machine. Register `@go_sdk_toolchains//:toolchain` (rules_go_plugin's
own MODULE.bazel does).""",
)
