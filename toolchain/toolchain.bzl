"""go_sdk_toolchain: wraps a Go SDK for Bazel's toolchain resolution."""

GoSdkInfo = provider(
    doc = "A Go SDK, as the toolchain hands it to the rules.",
    fields = {
        "version": "Go version of the SDK, e.g. \"go1.26.8\".",
        "goos": "GOOS the SDK builds for.",
        "goarch": "GOARCH the SDK builds for.",
        "goroot": "Path of GOROOT relative to the exec root.",
        "go": "File: the go command.",
        "tools": "depset of Files: compile, link, asm and the assembler's headers (pkg/include).",
        "srcs": "depset of Files: the whole SDK, for building the standard library.",
        "cc": "C compiler found on the machine when the SDK was set up; used when Bazel has no C++ toolchain.",
    },
)

def _go_sdk_toolchain_impl(ctx):
    go = ctx.file.go
    goroot = go.dirname.rsplit("/", 1)[0]  # GOROOT/bin/go
    sdk = GoSdkInfo(
        version = ctx.attr.version,
        goos = ctx.attr.goos,
        goarch = ctx.attr.goarch,
        goroot = goroot,
        go = go,
        tools = depset(ctx.files.tools),
        srcs = depset(ctx.files.srcs),
        cc = ctx.attr.cc,
    )
    return [platform_common.ToolchainInfo(sdk = sdk)]

go_sdk_toolchain = rule(
    implementation = _go_sdk_toolchain_impl,
    doc = "A Go SDK. The SDK repositories of rules_go_plugin declare one; register it with a `toolchain` of type `@rules_go_plugin//toolchain:toolchain_type`.",
    attrs = {
        "go": attr.label(mandatory = True, allow_single_file = True, doc = "The go command, GOROOT/bin/go."),
        "tools": attr.label_list(allow_files = True, doc = "compile, link and asm from GOROOT/pkg/tool, and GOROOT/pkg/include."),
        "srcs": attr.label_list(allow_files = True, doc = "Every SDK file the standard library build reads."),
        "version": attr.string(mandatory = True, doc = "Go version, e.g. go1.26.8."),
        "goos": attr.string(mandatory = True, doc = "GOOS the SDK builds for."),
        "goarch": attr.string(mandatory = True, doc = "GOARCH the SDK builds for."),
        "cc": attr.string(doc = "C compiler found on the machine; used when Bazel has no C++ toolchain."),
    },
)
