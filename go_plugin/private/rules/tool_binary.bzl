"""go_tool_binary: a Go command of the ruleset, built by the ruleset.

The compatibility checker and the other helpers that run in actions are built
like any host, through the builder, from go_library deps; but they load no
plugins, so they need not import package plugin. Not part of the public API.
"""

load("//go_plugin/private:actions/link.bzl", "emit_executable")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps")
load("//go_plugin/private:rules/library.bzl", "PACKAGE_ATTRS")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:sources.bzl", "package_sources")

def _go_tool_binary_impl(ctx):
    go = go_context(ctx)
    deps = library_deps(ctx.label, ctx.attr.deps)
    exe = emit_executable(ctx, go, "command", package_sources(ctx), deps, ctx.attr.importpath).exe
    return [DefaultInfo(files = depset([exe]), executable = exe)]

go_tool_binary = rule(
    implementation = _go_tool_binary_impl,
    cfg = settings_transition,
    attrs = dict(
        PACKAGE_ATTRS,
        importpath = attr.string(mandatory = True, doc = "Import path of the command, for positions and build info."),
        **dict(GO_TOOL_ATTRS, **TRANSITION_ATTRS)
    ),
    executable = True,
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = "A Go command used by the ruleset's actions, built through the builder.",
)
