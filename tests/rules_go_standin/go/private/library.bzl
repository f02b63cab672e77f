"""rules_go's go_library attribute schema, without rules_go's implementation.

Public attributes, names and types, as rules_go declares them (its private
ones, its transitions and its docs left out). tools/rulesgocheck fails when
they drift from the newest rules_go release.
"""

GoInfo = provider(
    doc = "Stands for rules_go's GoInfo: what go_library's deps and embed require.",
    fields = {"importpath": "The importpath attribute."},
)

def _go_library_impl(ctx):
    # rules_go would compile the package here; rules_go_plugin's aspect
    # compiles it from these attributes instead.
    return [GoInfo(importpath = ctx.attr.importpath)]

go_library = rule(
    implementation = _go_library_impl,
    attrs = {
        "data": attr.label_list(allow_files = True),
        "srcs": attr.label_list(allow_files = True),
        "deps": attr.label_list(providers = [GoInfo]),
        "importpath": attr.string(),
        "importmap": attr.string(),
        "importpath_aliases": attr.string_list(),
        "embed": attr.label_list(providers = [GoInfo]),
        "embedsrcs": attr.label_list(allow_files = True),
        "gc_goopts": attr.string_list(),
        "x_defs": attr.string_dict(),
        "cgo": attr.bool(),
        "cdeps": attr.label_list(),
        "cppopts": attr.string_list(),
        "copts": attr.string_list(),
        "cxxopts": attr.string_list(),
        "clinkopts": attr.string_list(),
    },
    provides = [GoInfo],
)
