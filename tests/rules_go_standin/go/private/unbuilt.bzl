"""go_binary and go_test of the stand-in: loadable, never built.

Gazelle writes go_binary and go_test beside every go_library; a repository
laid out as go_repository lays it out loads them. The tests build hosts and
plugins with rules_go_plugin's rules, never these, so they are manual targets
whose analysis fails with a message saying so.
"""

def _unbuilt_impl(ctx):
    fail("%s: the stand-in rules_go (tests/rules_go_standin) does not build %s; the tests build hosts and plugins with rules_go_plugin's rules." % (ctx.label, ctx.attr.kind))

_unbuilt = rule(
    implementation = _unbuilt_impl,
    attrs = {"kind": attr.string()},
)

def go_binary(name, tags = [], **_kwargs):
    _unbuilt(name = name, kind = "go_binary", tags = tags + ["manual"])

def go_test(name, tags = [], **_kwargs):
    _unbuilt(name = name, kind = "go_test", tags = tags + ["manual"])
