"""go_library: one Go package, compiled in the variant each consumer needs."""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:cgo.bzl", "CGO_ATTRS", "cgo_options")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps", "library_info")
load("//go_plugin/private:providers.bzl", "VARIANTS")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:rules_go/aspect.bzl", "rules_go_library_aspect")
load("//go_plugin/private:sources.bzl", "package_sources")

# Attributes shared by go_library, go_plugin and go_plugin_host.
PACKAGE_ATTRS = dict(CGO_ATTRS, **{
    "srcs": attr.label_list(
        allow_files = [".go", ".s", ".S", ".sx", ".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".inc", ".syso"],
        doc = "The package's sources, all in one directory but for C headers, which may sit in subdirectories (generated files count by their path below bazel-bin): Go files; assembly (.s, .S, .sx); with cgo, C and C++ files and headers; .syso objects. Files are chosen by go/build as the go command chooses them: build constraints (`_windows.go`, `//go:build` in Go, C and assembly files) and the `tags`, `race` and `cgo` settings. `_test.go` files are refused.",
    ),
    # No providers = [GoLibraryInfo]: a rules_go go_library gets it from the
    # aspect, and library_deps gives a clearer error than Bazel's.
    "deps": attr.label_list(
        aspects = [rules_go_library_aspect],
        doc = "go_library targets this package imports: of this ruleset, or of rules_go (`@io_bazel_rules_go//go:def.bzl`, as Gazelle writes them, third-party modules from `go_deps`/`go_repository` included), which this ruleset compiles itself, in its configuration (rulesgo.md). Every import outside the standard library must be provided by exactly one dep.",
    ),
    "embedsrcs": attr.label_list(
        allow_files = True,
        doc = "Files that `//go:embed` directives may name, in or below the package directory. Patterns match as with the go command: a directory embeds its files except names starting with `.` or `_` (unless `all:`).",
    ),
    "x_defs": attr.string_dict(
        doc = """String variables set at link time, as `go build -ldflags="-X importpath.name=value"`: {"Version": "1.2.0"} sets Version of this package (of main in a host or plugin), {"example.com/v.Commit": "abc"} another package's. Applied to every host and plugin that links the package. A value may name workspace status keys, `{STABLE_GIT_COMMIT}`, `{BUILD_EMBED_LABEL}`, `{BUILD_TIMESTAMP}`, ...: a stamped link (the linking target's `stamp`, or `--stamp`) substitutes them; an unstamped one leaves such a definition out, and the variable keeps its value from the source ([Stamping](rules.md#stamping)). `$(location)` and make variables are not expanded.""",
    ),
})

def x_defs_of(ctx, package):
    """The x_defs attribute spelled for the linker: {"importpath.name": value}.

    Args:
      ctx: the rule context.
      package: the import path that names without a dot belong to.

    Returns:
      A dict of -X definitions.
    """
    out = {}
    for k, v in ctx.attr.x_defs.items():
        name = k if "." in k else package + "." + k
        if not name.rpartition(".")[2]:
            fail("%s: x_defs key %r names no variable; write \"Name\" or \"importpath.Name\"." % (ctx.label, k))
        out[name] = v
    return out

def _go_library_impl(ctx):
    importpath = ctx.attr.importpath
    if not importpath:
        fail("%s: importpath is not set. Set it to the path other packages import this one by, e.g. importpath = \"example.com/%s\"." % (
            ctx.label,
            ctx.label.package or ctx.label.name,
        ))
    go = go_context(ctx)
    sources = package_sources(ctx)
    deps = library_deps(ctx.label, ctx.attr.deps)
    cgo = cgo_options(ctx)
    archives = {}
    std = {}
    for variant in VARIANTS:
        suffix = "" if variant == "normal" else "." + variant
        archives[variant] = ctx.actions.declare_file("_go/%s%s.a" % (ctx.label.name, suffix))
        std[variant] = emit_compile(ctx, go, "library", sources, deps, importpath, variant, archives[variant], cgo = cgo)
    return [
        library_info(ctx, importpath, archives, deps, x_defs = x_defs_of(ctx, importpath), cc_link_files = cgo.cdeps.link_files, std = std),
        DefaultInfo(files = depset([archives["normal"]])),
        OutputGroupInfo(**{v: depset([archives[v]]) for v in VARIANTS}),
    ]

go_library = rule(
    implementation = _go_library_impl,
    cfg = settings_transition,
    attrs = dict(PACKAGE_ATTRS, importpath = attr.string(
        doc = "The path other packages import this one by, e.g. \"example.com/pluginapi\". Required: a go_library without it is an analysis error.",
    ), **dict(GO_TOOL_ATTRS, **TRANSITION_ATTRS)),
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = """One Go package, shared by hosts and plugins.

It is compiled lazily in two variants from one configuration: normally for
hosts and with -dynlink for plugins. Both have the same file positions
(-trimpath to the import path), so the package has the same hash in a host
and in its plugins. `bazel build` of the target alone builds the normal archive;
the output groups `normal` and `dynlink` name each.""",
)
