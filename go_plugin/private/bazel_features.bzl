"""What the running Bazel supports, detected where a version gate is needed.

Bazel 6.0 added optional toolchains (`config_common.toolchain_type`) and the
`toolchain` parameter of `ctx.actions.run`; Bazel 4.2.3 has neither and
fails on both. The first is a global that can be probed, so it stands for
both (the parameter also exists in 5.4, which has no automatic exec groups
that would need it).
"""

BAZEL_6 = hasattr(config_common, "toolchain_type")

# The C++ toolchain type every Bazel has; rules_cc's is an alias of it.
CPP_TOOLCHAIN_TYPE = "@bazel_tools//tools/cpp:toolchain_type"
