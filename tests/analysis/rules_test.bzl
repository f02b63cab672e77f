"""Analysis tests of go_library, go_plugin and go_plugin_host."""

load("//go_plugin:defs.bzl", "GoLibraryInfo", "GoPluginInfo")
load(":analysis_test.bzl", "actions_with_mnemonic", "analysis_test_rule", "failure_test", "result")

def _pluginpath_impl(ctx):
    target = ctx.attr.target_under_test
    got = target[GoPluginInfo].pluginpath
    if got != ctx.attr.want:
        return result(["pluginpath of %s is %r, want %r" % (target.label, got, ctx.attr.want)])
    return result([])

pluginpath_test = analysis_test_rule(_pluginpath_impl, attrs = {"want": attr.string()})

def _variant_impl(ctx):
    """The compile of the main package and the link use one variant only."""
    target = ctx.attr.target_under_test
    want, other = ("-dynlink", None) if ctx.attr.variant == "dynlink" else (None, "-dynlink")
    problems = []
    for a in actions_with_mnemonic(target, "GoCompile"):
        if want and want not in a.argv:
            problems.append("%s: compile of the main package lacks %s: %s" % (target.label, want, a.argv))
        if other and other in a.argv:
            problems.append("%s: compile of the main package has %s: %s" % (target.label, other, a.argv))
    links = actions_with_mnemonic(target, "GoLink")
    if len(links) != 1:
        return result(problems + ["%s: want one GoLink action, got %d" % (target.label, len(links))])
    lib = ctx.attr.lib[GoLibraryInfo]
    inputs = links[0].inputs.to_list()
    if lib.archives[ctx.attr.variant] not in inputs:
        problems.append("%s: the link does not take the %s archive of %s" % (target.label, ctx.attr.variant, lib.label))
    for v, f in lib.archives.items():
        if v != ctx.attr.variant and f in inputs:
            problems.append("%s: the link takes the %s archive of %s too" % (target.label, v, lib.label))
    return result(problems)

variant_test = analysis_test_rule(_variant_impl, attrs = {
    "lib": attr.label(providers = [GoLibraryInfo]),
    "variant": attr.string(values = ["normal", "dynlink"]),
})

def _runfiles_impl(ctx):
    target = ctx.attr.target_under_test
    files = target[DefaultInfo].default_runfiles.files.to_list()
    return result([
        "%s: runfiles lack %s" % (target.label, p[GoPluginInfo].so.short_path)
        for p in ctx.attr.plugins
        if p[GoPluginInfo].so not in files
    ])

host_runfiles_test = analysis_test_rule(_runfiles_impl, attrs = {"plugins": attr.label_list(providers = [GoPluginInfo])})

def _library_outputs_impl(ctx):
    """Building a library alone gives the normal archive; both variants are declared."""
    target = ctx.attr.target_under_test
    info = target[GoLibraryInfo]
    default = target[DefaultInfo].files.to_list()
    problems = []
    if default != [info.archives["normal"]]:
        problems.append("%s: default outputs are %s, want only the normal archive" % (target.label, default))
    if sorted(info.archives.keys()) != ["dynlink", "normal"]:
        problems.append("%s: archives are %s" % (target.label, info.archives.keys()))
    if len(actions_with_mnemonic(target, "GoCompile")) != 2:
        problems.append("%s: want one compile action per variant" % target.label)
    return result(problems)

library_outputs_test = analysis_test_rule(_library_outputs_impl)

analysis_failure_test = failure_test
