"""go_library: one Go package, compiled in the variant each consumer needs."""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:context.bzl", "GO_TOOL_ATTRS", "TOOLCHAIN_TYPE", "go_context")
load("//go_plugin/private:providers.bzl", "GoLibraryInfo", "VARIANTS")
load("//go_plugin/private:sources.bzl", "package_sources")

# Attributes shared by go_library, go_plugin and go_plugin_host.
PACKAGE_ATTRS = {
    "srcs": attr.label_list(
        allow_files = [".go", ".s", ".h"],
        doc = "Go sources of the package, and .s/.h files for assembly. Files excluded by build constraints are skipped.",
    ),
    "deps": attr.label_list(
        providers = [GoLibraryInfo],
        doc = "go_library targets this package imports. Every non-standard import must be provided by exactly one.",
    ),
    "embedsrcs": attr.label_list(
        allow_files = True,
        doc = "Files that //go:embed directives may name, in or below the package directory.",
    ),
}

def library_info(ctx, importpath, archives, deps):
    """Builds the GoLibraryInfo of a package from its archives and deps."""
    pkg = {v: struct(importpath = importpath, label = ctx.label, archive = archives[v]) for v in VARIANTS}
    return GoLibraryInfo(
        importpath = importpath,
        label = ctx.label,
        archives = archives,
        transitive = {
            v: depset([pkg[v]], transitive = [d.transitive[v] for d in deps])
            for v in VARIANTS
        },
        transitive_archives = {
            v: depset([archives[v]], transitive = [d.transitive_archives[v] for d in deps])
            for v in VARIANTS
        },
        cgo = None,
    )

def _go_library_impl(ctx):
    importpath = ctx.attr.importpath
    if not importpath:
        fail("%s: importpath is not set. Set it to the path other packages import this one by, e.g. importpath = \"example.com/%s\"." % (
            ctx.label,
            ctx.label.package or ctx.label.name,
        ))
    go = go_context(ctx)
    sources = package_sources(ctx)
    deps = [d[GoLibraryInfo] for d in ctx.attr.deps]
    archives = {}
    for variant in VARIANTS:
        suffix = "" if variant == "normal" else "." + variant
        archives[variant] = ctx.actions.declare_file("_go/%s%s.a" % (ctx.label.name, suffix))
        emit_compile(ctx, go, "library", sources, deps, importpath, variant, archives[variant])
    return [
        library_info(ctx, importpath, archives, deps),
        DefaultInfo(files = depset([archives["normal"]])),
        OutputGroupInfo(**{v: depset([archives[v]]) for v in VARIANTS}),
    ]

go_library = rule(
    implementation = _go_library_impl,
    attrs = dict(PACKAGE_ATTRS, importpath = attr.string(
        doc = "Import path of the package, e.g. \"example.com/pluginapi\". Required.",
    ), **GO_TOOL_ATTRS),
    toolchains = [TOOLCHAIN_TYPE],
    doc = """One Go package, shared by hosts and plugins.

It is compiled lazily in two variants from one configuration: normally for
hosts and with -dynlink for plugins. Both have the same file positions
(-trimpath to the import path), so the package has the same hash in a host
and in its plugins. `bazel build` of the target alone builds the normal archive;
the output groups `normal` and `dynlink` name each.""",
)
