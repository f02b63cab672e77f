"""A small analysis-test helper, for Starlark checks cheaper than a build.

A test rule made with analysis_test_rule gets a target_under_test; its
implementation returns result(problems). failure_test asserts that a target's
analysis fails with a message that contains given strings.
"""

def result(problems):
    """Returns the provider of an analysis test that found these problems.

    Args:
      problems: list of strings; the test passes when it is empty.

    Returns:
      A list with an AnalysisTestResultInfo.
    """
    return [AnalysisTestResultInfo(success = not problems, message = "\n".join(problems))]

def analysis_test_rule(implementation, attrs = {}):
    """Makes an analysis test rule with a target_under_test attribute.

    Args:
      implementation: the rule implementation; it returns result(...).
      attrs: extra attributes.

    Returns:
      The rule.
    """
    return rule(
        implementation = implementation,
        attrs = dict(attrs, target_under_test = attr.label(mandatory = True)),
        analysis_test = True,
    )

def actions_with_mnemonic(target, mnemonic):
    """Returns the actions of target with this mnemonic.

    Args:
      target: the target under test.
      mnemonic: e.g. "GoCompile".

    Returns:
      A list of actions.
    """
    return [a for a in target.actions if a.mnemonic == mnemonic]

def _failure_test_impl(ctx):
    # An attribute with a transition is a list, of one target here.
    target = ctx.attr.target_under_test[0]
    if AnalysisFailureInfo not in target:
        return result(["%s was analyzed without error, but a failure was expected" % target.label])
    msg = "\n".join([c.message for c in target[AnalysisFailureInfo].causes.to_list()])
    return result([
        "the failure of %s does not contain %r; it says:\n%s" % (target.label, want, msg)
        for want in ctx.attr.failure_contains
        if want not in msg
    ])

failure_test = rule(
    implementation = _failure_test_impl,
    attrs = {
        "target_under_test": attr.label(
            mandatory = True,
            cfg = analysis_test_transition(settings = {"//command_line_option:allow_analysis_failures": "True"}),
        ),
        "failure_contains": attr.string_list(mandatory = True),
    },
    analysis_test = True,
    doc = "Passes when the analysis of target_under_test fails with a message containing every failure_contains string.",
)
