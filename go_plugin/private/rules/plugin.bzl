"""go_plugin: a package main built into a Go plugin (.so)."""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:actions/link.bzl", "emit_link")
load("//go_plugin/private:cgo.bzl", "cgo_options")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps")
load("//go_plugin/private:platforms.bzl", "check_plugin_support")
load("//go_plugin/private:pluginpath.bzl", "default_pluginpath")
load("//go_plugin/private:providers.bzl", "GoPluginInfo")
load("//go_plugin/private:rules/library.bzl", "PACKAGE_ATTRS", "x_defs_of")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:sources.bzl", "package_sources")
load("//go_plugin/private:stamp.bzl", "BINARY_STAMP_ATTRS", "stamp_enabled")

def _refuse_pluginpath_of_a_dep(ctx, pluginpath, deps):
    """The main package is compiled as -p <pluginpath>: it cannot be a dep's import path too."""
    for pkg in depset(transitive = [d.transitive["dynlink"] for d in deps]).to_list():
        if pkg.importpath == pluginpath:
            fail(("%s: pluginpath %s is the importpath of %s, which the plugin imports; the plugin's main package is " +
                  "compiled as its pluginpath, so the two would be one package (the compiler calls it an import cycle). " +
                  "Give the plugin another pluginpath, or leave it unset for the default %s.") % (
                ctx.label,
                pluginpath,
                pkg.label,
                default_pluginpath(ctx.label),
            ))

def _go_plugin_impl(ctx):
    go = go_context(ctx)
    check_plugin_support(ctx, go)
    pluginpath = ctx.attr.pluginpath or default_pluginpath(ctx.label)
    sources = package_sources(ctx)
    deps = library_deps(ctx.label, ctx.attr.deps)
    _refuse_pluginpath_of_a_dep(ctx, pluginpath, deps)

    # The main package is compiled as -p <pluginpath>, as the go command does,
    # so its symbols cannot clash with the host's main package.
    cgo = cgo_options(ctx)
    main = ctx.actions.declare_file("_go/%s.main.a" % ctx.label.name)
    godebug = ctx.actions.declare_file("_go/%s.godebug" % ctx.label.name)
    main_std = emit_compile(ctx, go, "plugin", sources, deps, pluginpath, "dynlink", main, cgo = cgo, godebug = godebug)
    so = ctx.actions.declare_file("%s/%s.so" % (ctx.label.name, ctx.label.name))

    # The linker reads "main.X" in a plugin as the plugin's own package.
    emit_link(ctx, go, "plugin", main, deps, so, pluginpath = pluginpath, xdefs = x_defs_of(ctx, "main"), cc_link_files = cgo.cdeps.link_files, main_std = main_std, godebug = godebug, stamp = stamp_enabled(ctx))
    return [
        # The deps' data (rules_go's data attribute) ships with the plugin.
        DefaultInfo(files = depset([so]), runfiles = ctx.runfiles(
            files = [so],
            transitive_files = depset(transitive = [d.data for d in deps]),
        )),
        GoPluginInfo(so = so, pluginpath = pluginpath, label = ctx.label, srcs = sources.srcs),
    ]

go_plugin = rule(
    implementation = _go_plugin_impl,
    cfg = settings_transition,
    attrs = dict(PACKAGE_ATTRS, pluginpath = attr.string(
        doc = "Plugin path written by the linker (`-pluginpath`) and used as the main package's path (`-p`), so it cannot be a dep's import path. Defaults to `plugin/<package>/<name>`, unique per target; in another repository `plugin/external/<repo>/<package>/<name>`, where `<repo>` is the WORKSPACE name, or under bzlmod the module name (then `<extension>/<name>` for an extension's repository), the same on every Bazel version. Two plugins with the same path cannot be loaded into one host.",
    ), **dict(GO_TOOL_ATTRS, **dict(TRANSITION_ATTRS, **BINARY_STAMP_ATTRS))),
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = """A Go plugin: a package main built into <name>/<name>.so. A func main, if
present, is ignored, as by the go command.

Every package is compiled with -dynlink (the dynlink variant of each
go_library and of the standard library) and linked with -buildmode=plugin
-linkmode=external, with `-Wl,-soname=<name>.so` so the file does not record
its sandbox path. Returns GoPluginInfo.

Refused at analysis time with `--@rules_go_plugin//go_plugin:cgo=false`
(plugin.Open needs cgo) and for platforms Go has no plugins on (Windows).""",
)
