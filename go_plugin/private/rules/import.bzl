"""go_plugin_import: a plugin built elsewhere, brought into a host's plugins."""

load("//go_plugin/private:providers.bzl", "GoPluginInfo")

def _go_plugin_import_impl(ctx):
    so = ctx.file.so
    return [
        DefaultInfo(files = depset([so]), runfiles = ctx.runfiles(files = [so])),
        GoPluginInfo(so = so, pluginpath = ctx.attr.pluginpath, label = ctx.label, srcs = [], x_defs = {}),
    ]

go_plugin_import = rule(
    implementation = _go_plugin_import_impl,
    attrs = {
        "so": attr.label(mandatory = True, allow_single_file = [".so"], doc = "The prebuilt plugin."),
        "pluginpath": attr.string(doc = "Its plugin path, if known; lets the host refuse a duplicate at analysis time. The validation action reads the real one from the file either way."),
    },
    doc = """A plugin built outside this build (by `go build -buildmode=plugin`, another
repository, an older release), for the `plugins` of a go_plugin_host. The host's
validation action checks it like the others: `bazel build` fails if it would
not load, naming every differing package.""",
)
