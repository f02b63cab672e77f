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
        "std_bundle": "File: one zip of std's source files (GOROOT/src: sources of every kind, embedded files; no tests or testdata), the one input of std's sources for every action that compiles std.",
        "tools": "depset of Files: compile, link, asm and the assembler's headers (pkg/include).",
        "cc": "C compiler found on the machine when the SDK was set up, by name when it is on the actions' PATH (/bin, /usr/bin, /usr/local/bin); used when Bazel has no C++ toolchain.",
        "std": "dict: importpath -> struct(imports, cgo_only) of every standard library package: its imports (\"path\" or \"source=resolved\") and whether it exists only with cgo on.",
        "main_module": "struct(go_version, godebug, default_godebug): the main module's go line (or the SDK's version), its godebug lines and the default GODEBUG they give a main package without //go:debug lines, read from go_mod when the SDK was set up.",
        "modules": "File or None: the main module's module graph (`go list -m -json all` of go_mod, recorded when the SDK was set up), for the go command's positions, -lang and build info module lines; None without go_mod.",
        "package_std": "dict: importpath (or \"//\" + Bazel package, for the main module's packages) -> the std packages it imports, for every package of the main module's build (`go list -deps ./...` of go_mod when the SDK was set up; empty without go_mod); a compile takes these std archives, compiled once for the build.",
        "std_plan": "File: the go command's compiler and assembler flags for every std package and configuration (`go build -n`), recorded when the SDK repository was set up; std compiles take their flags from it.",
    },
)

# The PATH of the actions that run the C compiler: fixed, so the machine's
# PATH stays out of the action keys. A C compiler found in one of these
# directories is recorded by its name (sdk/repository.bzl).
ACTION_PATH = ["/bin", "/usr/bin", "/usr/local/bin"]

# What a std package's directory may hold that the builder compiles.
STD_SRC_EXTENSIONS = ["go", "s", "S", "sx", "c", "h", "cc", "cpp", "cxx", "hh", "hpp", "hxx", "syso"]

def _std_packages(imports, cgo_only):
    """The std package graph as the rules read it."""
    return {
        p: struct(imports = imports[p], cgo_only = p in cgo_only)
        for p in imports
    }

def _go_sdk_toolchain_impl(ctx):
    go = ctx.file.go
    goroot = go.dirname.rsplit("/", 1)[0]  # GOROOT/bin/go
    std = _std_packages(ctx.attr.std_imports, ctx.attr.std_cgo_only)
    sdk = GoSdkInfo(
        version = ctx.attr.version,
        goos = ctx.attr.goos,
        goarch = ctx.attr.goarch,
        goroot = goroot,
        go = go,
        builder = ctx.file.builder,
        std_bundle = ctx.file.std_bundle,
        tools = depset(ctx.files.tools),
        cc = ctx.attr.cc,
        std = std,
        std_plan = ctx.file.std_plan,
        modules = ctx.file.modules,
        package_std = ctx.attr.package_std_imports,
        main_module = struct(
            go_version = ctx.attr.main_go_version,
            godebug = ctx.attr.main_godebug,
            default_godebug = ctx.attr.main_default_godebug,
        ),
    )
    return [platform_common.ToolchainInfo(sdk = sdk)]

go_sdk_toolchain = rule(
    implementation = _go_sdk_toolchain_impl,
    doc = "A Go SDK. The SDK repositories of rules_go_plugin declare one; register it with a `toolchain` of type `@rules_go_plugin//toolchain:toolchain_type`.",
    attrs = {
        "go": attr.label(mandatory = True, allow_single_file = True, doc = "The go command, GOROOT/bin/go."),
        "builder": attr.label(mandatory = True, allow_single_file = True, executable = True, cfg = "exec", doc = "The builder, built from tools/builder by the SDK repository."),
        "std_bundle": attr.label(mandatory = True, allow_single_file = [".zip"], doc = "std's source files in one zip, written by the SDK repository (the builder's stdbundle verb)."),
        "tools": attr.label_list(allow_files = True, doc = "compile, link and asm from GOROOT/pkg/tool, and GOROOT/pkg/include."),
        "std_plan": attr.label(mandatory = True, allow_single_file = [".json"], doc = "The go command's flags for std, written by the SDK repository (the builder's stdplan verb)."),
        "modules": attr.label(allow_single_file = [".json"], doc = "The main module's module graph, written by the SDK repository (the builder's modgraph verb) when go_mod is given."),
        "version": attr.string(mandatory = True, doc = "Go version, e.g. go1.26.8."),
        "goos": attr.string(mandatory = True, doc = "GOOS the SDK builds for."),
        "goarch": attr.string(mandatory = True, doc = "GOARCH the SDK builds for."),
        "cc": attr.string(doc = "C compiler found on the machine; used when Bazel has no C++ toolchain."),
        "package_std_imports": attr.string_list_dict(doc = "The std imports of each package of the main module's build, recorded when the SDK was set up with go_mod: importpath, and \"//\" + Bazel package for the main module's, -> std packages."),
        "std_imports": attr.string_list_dict(doc = "The standard library's package graph, recorded when the SDK was set up: importpath -> imports."),
        "std_cgo_only": attr.string_list(doc = "The std packages that have Go files only with cgo on."),
        "main_go_version": attr.string(mandatory = True, doc = "The main module's go line, or the SDK's version without a go.mod: the Go version whose GODEBUG defaults hosts and plugins get."),
        "main_godebug": attr.string_list(doc = "The main module's godebug lines (key=value)."),
        "main_default_godebug": attr.string(doc = "The default GODEBUG of a main package without //go:debug lines, as the go command computes it for the main module."),
    },
)
