"""Unit test of the default plugin path's repository part (pluginpath.bzl).

Bazel 4.2.3 cannot make a bzlmod repository, so the canonical names each
Bazel version gives one repository are fed in as strings.
"""

load("//go_plugin/private:pluginpath.bzl", "pluginpath_for")  # buildifier: disable=bzl-visibility
load(":analysis_test.bzl", "analysis_test_rule", "result")

# Each row: the same repository as Bazel 7.0, 7.1 and 8+ name it, and the
# plugin path of //p:n in it on every one of them.
_CASES = [
    (["foo~1.2.3", "foo~", "foo+"], "plugin/external/foo/p/n"),
    (["foo~1.2.3~go_sdk~go_sdk", "foo~~go_sdk~go_sdk", "foo++go_sdk+go_sdk"], "plugin/external/foo/go_sdk/go_sdk/p/n"),
    (["_main~ext~plugins", "+ext+plugins"], "plugin/external/ext/plugins/p/n"),
    (["", "_main"], "plugin/p/n"),
    (["foo"], "plugin/external/foo/p/n"),  # WORKSPACE
]

def _impl(_ctx):
    problems = []
    for names, want in _CASES:
        for name in names:
            got = pluginpath_for(name, "p", "n")
            if got != want:
                problems.append("pluginpath of //p:n in repository %r is %r, want %r" % (name, got, want))
    if pluginpath_for("", "", "n") != "plugin/n":
        problems.append("pluginpath of //:n is %r, want plugin/n" % pluginpath_for("", "", "n"))
    return result(problems)

stable_pluginpath_test = analysis_test_rule(_impl)
