"""go_sdk_toolchain: wraps a Go SDK for Bazel's toolchain resolution."""

GoSdkInfo = provider(
    doc = "A Go SDK, as the toolchain hands it to the rules.",
    fields = {
        "version": "Go version of the SDK, e.g. \"go1.26.8\".",
        "goos": "GOOS the SDK builds for.",
        "goarch": "GOARCH the SDK builds for.",
        "goroot": "Path of GOROOT relative to the exec root.",
        "go": "File: the go command.",
        "builder": "File: the builder, the tool behind every compile and link action, built for the exec machine when the SDK repository was set up.",
        "std_bundle": "File: one zip of std's sources (srcs' files under GOROOT/src), for actions that may compile any std package.",
        "tools": "depset of Files: compile, link, asm and the assembler's headers (pkg/include).",
        "srcs": "depset of Files: the whole SDK, for building the standard library.",
        "cc": "C compiler found on the machine when the SDK was set up, by name when it is on the actions' PATH (/bin, /usr/bin, /usr/local/bin); used when Bazel has no C++ toolchain.",
        "std": "dict: importpath -> struct(srcs, imports, embeds, cgo_only) of every standard library package: its source files (constraints not applied), its imports (\"path\" or \"source=resolved\"), whether it exists only with cgo on, and for the packages that embed files, (relative path, File) of every file under its directory.",
        "std_headers": "depset of Files: every .h file of GOROOT/src; std assembly includes headers of other packages (runtime includes cgo/abi_amd64.h).",
        "version_files": "list of Files: VERSION and src/go.mod, which give the compiler's -goversion and -lang for std.",
    },
)

# The PATH of the actions that run the C compiler: fixed, so the machine's
# PATH stays out of the action keys. A C compiler found in one of these
# directories is recorded by its name (sdk/repository.bzl).
ACTION_PATH = ["/bin", "/usr/bin", "/usr/local/bin"]

# What a std package's directory may hold that the builder compiles.
STD_SRC_EXTENSIONS = ["go", "s", "S", "sx", "c", "h", "cc", "cpp", "cxx", "hh", "hpp", "hxx", "syso"]

def _std_packages(goroot, files, imports, embeds, cgo_only):
    """Groups the SDK's files by std package (directory under GOROOT/src)."""
    prefix = goroot + "/src/"
    by_dir = {}
    for f in files:
        if not f.path.startswith(prefix):
            continue
        rel = f.path[len(prefix):]
        d = rel.rpartition("/")[0]
        if f.extension in STD_SRC_EXTENSIONS and not f.basename.endswith("_test.go"):
            by_dir.setdefault(d, []).append(f)
    embedding = {p: [] for p in embeds}
    if embedding:
        for f in files:
            if not f.path.startswith(prefix):
                continue
            rel = f.path[len(prefix):]
            for p in embedding:
                if rel.startswith(p + "/"):
                    embedding[p].append((rel[len(p) + 1:], f))
    return {
        p: struct(srcs = by_dir.get(p, []), imports = imports[p], embeds = embedding.get(p, []), cgo_only = p in cgo_only)
        for p in imports
    }

def _go_sdk_toolchain_impl(ctx):
    go = ctx.file.go
    goroot = go.dirname.rsplit("/", 1)[0]  # GOROOT/bin/go
    std = _std_packages(goroot, ctx.files.srcs, ctx.attr.std_imports, ctx.attr.std_embeds, ctx.attr.std_cgo_only)
    version_files = [f for f in ctx.files.srcs if f.path in (goroot + "/VERSION", goroot + "/src/go.mod")]
    sdk = GoSdkInfo(
        version = ctx.attr.version,
        goos = ctx.attr.goos,
        goarch = ctx.attr.goarch,
        goroot = goroot,
        go = go,
        builder = ctx.file.builder,
        std_bundle = ctx.file.std_bundle,
        tools = depset(ctx.files.tools),
        srcs = depset(ctx.files.srcs),
        cc = ctx.attr.cc,
        std = std,
        version_files = version_files,
        std_headers = depset([f for f in ctx.files.srcs if f.extension == "h" and f.path.startswith(goroot + "/src/")]),
    )
    return [platform_common.ToolchainInfo(sdk = sdk)]

go_sdk_toolchain = rule(
    implementation = _go_sdk_toolchain_impl,
    doc = "A Go SDK. The SDK repositories of rules_go_plugin declare one; register it with a `toolchain` of type `@rules_go_plugin//toolchain:toolchain_type`.",
    attrs = {
        "go": attr.label(mandatory = True, allow_single_file = True, doc = "The go command, GOROOT/bin/go."),
        "builder": attr.label(mandatory = True, allow_single_file = True, executable = True, cfg = "exec", doc = "The builder, built from tools/builder by the SDK repository."),
        "std_bundle": attr.label(mandatory = True, allow_single_file = [".zip"], doc = "std's sources in one zip, written by the SDK repository."),
        "tools": attr.label_list(allow_files = True, doc = "compile, link and asm from GOROOT/pkg/tool, and GOROOT/pkg/include."),
        "srcs": attr.label_list(allow_files = True, doc = "Every SDK file the standard library build reads."),
        "version": attr.string(mandatory = True, doc = "Go version, e.g. go1.26.8."),
        "goos": attr.string(mandatory = True, doc = "GOOS the SDK builds for."),
        "goarch": attr.string(mandatory = True, doc = "GOARCH the SDK builds for."),
        "cc": attr.string(doc = "C compiler found on the machine; used when Bazel has no C++ toolchain."),
        "std_imports": attr.string_list_dict(doc = "The standard library's package graph, recorded when the SDK was set up: importpath -> imports."),
        "std_embeds": attr.string_list(doc = "The std packages that embed files (//go:embed)."),
        "std_cgo_only": attr.string_list(doc = "The std packages that have Go files only with cgo on."),
    },
)
