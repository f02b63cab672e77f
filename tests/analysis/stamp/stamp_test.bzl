"""Analysis tests of stamping: which status files a link takes, which -X it passes."""

load("//tests/analysis:analysis_test.bzl", "actions_with_mnemonic", "analysis_test_rule", "result")

def _stamp_link_impl(ctx):
    target = ctx.attr.target_under_test
    links = actions_with_mnemonic(target, "GoLink")
    if len(links) != 1:
        return result(["%s: want one GoLink action, got %d" % (target.label, len(links))])
    link = links[0]
    got = sorted([f.basename for f in link.inputs.to_list() if f.basename in ["stable-status.txt", "volatile-status.txt"]])
    problems = []
    if got != sorted(ctx.attr.status_files):
        problems.append("%s: the link takes status files %s, want %s" % (target.label, got, sorted(ctx.attr.status_files)))
    argv = " ".join(link.argv)
    for x in ctx.attr.has:
        if x not in argv:
            problems.append("%s: the link's arguments lack %r: %s" % (target.label, x, argv))
    for x in ctx.attr.lacks:
        if x in argv:
            problems.append("%s: the link's arguments have %r: %s" % (target.label, x, argv))
    return result(problems)

stamp_link_test = analysis_test_rule(_stamp_link_impl, attrs = {
    "status_files": attr.string_list(),
    "has": attr.string_list(),
    "lacks": attr.string_list(),
})
