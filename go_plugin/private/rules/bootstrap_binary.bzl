"""go_bootstrap_binary: bootstraps the builder with `go build`.

The builder compiles every other Go target, so it cannot be built by the
rules themselves; `go build` from the SDK builds it from its source files.
Such a tool may import only the standard library. Every other Go tool of the
ruleset is built by go_tool_binary, through the builder.
"""

load("//go_plugin/private:context.bzl", "TOOLCHAIN_TYPE")

_SCRIPT = """\
set -eu
root="$PWD"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
srcs=""
for f in "$@"; do srcs="$srcs $root/$f"; done
cd "$tmp"
env -i PATH="$PATH" GOROOT="$root/{goroot}" GOCACHE="$tmp/cache" GOPATH="$tmp/gopath" HOME="$tmp" \\
  GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off GOTELEMETRY=off CGO_ENABLED=0 \\
  "$root/{go}" build -trimpath -buildvcs=false -ldflags=-buildid= -o "$root/{out}" $srcs
"""

def _go_bootstrap_binary_impl(ctx):
    sdk = ctx.toolchains[TOOLCHAIN_TYPE].sdk
    out = ctx.actions.declare_file(ctx.label.name)
    srcs = [f for f in ctx.files.srcs if not f.basename.endswith("_test.go")]
    ctx.actions.run_shell(
        command = _SCRIPT.format(goroot = sdk.goroot, go = sdk.go.path, out = out.path),
        arguments = [f.path for f in srcs],
        inputs = depset(srcs, transitive = [sdk.srcs]),
        outputs = [out],
        mnemonic = "GoToolBuild",
        progress_message = "Building Go tool %s" % ctx.label,
        use_default_shell_env = True,
    )
    return [DefaultInfo(files = depset([out]), executable = out)]

go_bootstrap_binary = rule(
    implementation = _go_bootstrap_binary_impl,
    attrs = {
        "srcs": attr.label_list(allow_files = [".go"], mandatory = True, doc = "Sources of one package main; test files are ignored."),
    },
    executable = True,
    toolchains = [TOOLCHAIN_TYPE],
    doc = "A standard-library-only Go command built with the SDK's go build.",
)
