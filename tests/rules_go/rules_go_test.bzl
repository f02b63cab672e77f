"""Analysis tests of the deps aspect on rules_go go_library targets."""

load("//tests/analysis:analysis_test.bzl", "actions_with_mnemonic", "analysis_test_rule", "result")

def _pairs(argv, flag):
    """The values that follow each occurrence of flag in argv."""
    return [argv[i + 1] for i in range(len(argv) - 1) if argv[i] == flag]

def _library_impl(ctx):
    """How a plugin's actions use a rules_go library that the aspect compiled."""
    target = ctx.attr.target_under_test
    links = actions_with_mnemonic(target, "GoLink")
    if len(links) != 1:
        return result(["%s: want one GoLink action, got %d" % (target.label, len(links))])
    argv = links[0].argv
    problems = []

    # The linker knows the package by its importmap, and takes the aspect's
    # -dynlink archive of it.
    pkgs = [p for p in _pairs(argv, "-pkg") if p.startswith(ctx.attr.packagepath + "=")]
    if len(pkgs) != 1 or not pkgs[0].endswith("/_go_plugin/%s.dynlink.a" % ctx.attr.lib_name):
        problems.append("%s: want one -pkg %s=.../_go_plugin/%s.dynlink.a, got %s in %s" % (target.label, ctx.attr.packagepath, ctx.attr.lib_name, pkgs, argv))
    for name, value in ctx.attr.x_defs.items():
        if "%s=%s" % (name, value) not in _pairs(argv, "-X"):
            problems.append("%s: the link lacks -X %s=%s: %s" % (target.label, name, value, argv))

    # Sources import it by its importpath.
    want = "%s=%s" % (ctx.attr.importpath, ctx.attr.packagepath)
    for a in actions_with_mnemonic(target, "GoCompile"):
        if want not in _pairs(a.argv, "-importmap"):
            problems.append("%s: the compile of the main package lacks -importmap %s: %s" % (target.label, want, a.argv))
    return result(problems)

def _runfiles_impl(ctx):
    target = ctx.attr.target_under_test
    files = target[DefaultInfo].default_runfiles.files.to_list()
    return result([
        "%s: runfiles lack %s, data of a rules_go library it links" % (target.label, f.short_path)
        for f in ctx.files.data
        if f not in files
    ])

data_runfiles_test = analysis_test_rule(_runfiles_impl, attrs = {"data": attr.label_list(allow_files = True)})

rules_go_library_test = analysis_test_rule(_library_impl, attrs = {
    "lib_name": attr.string(doc = "The name of the rules_go library target."),
    "importpath": attr.string(),
    "packagepath": attr.string(),
    "x_defs": attr.string_dict(doc = "The -X definitions the link must apply."),
})
