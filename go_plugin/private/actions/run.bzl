"""The one place rules declare ctx.actions.run (tools/starlarkcheck checks it).

With --incompatible_auto_exec_groups (Bazel 7+), an action whose executable
comes from a toolchain must name its toolchain type, or analysis fails; Bazel
before 6 has no such parameter.
"""

load("//go_plugin/private:bazel_features.bzl", "BAZEL_6")
load("//go_plugin/private:context.bzl", "TOOLCHAIN_TYPE")

def run_action(ctx, toolchain, **kwargs):
    """ctx.actions.run with `toolchain` where Bazel has it.

    Args:
      ctx: the rule or aspect context.
      toolchain: the toolchain type whose tool the action runs, or None for
        a tool of the rule's own attributes.
      **kwargs: the arguments of ctx.actions.run.
    """
    if BAZEL_6:
        kwargs["toolchain"] = toolchain
    ctx.actions.run(**kwargs)  # starlarkcheck: the one ctx.actions.run

def run_builder(ctx, go, **kwargs):
    """Runs the SDK toolchain's builder.

    Args:
      ctx: the rule or aspect context.
      go: the go_context struct.
      **kwargs: the arguments of ctx.actions.run but executable.
    """
    run_action(ctx, TOOLCHAIN_TYPE, executable = go.builder, **kwargs)
