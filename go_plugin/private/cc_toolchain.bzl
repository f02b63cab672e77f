"""Bazel's C++ toolchain as the Go actions use it: optional, with its
compiler, files, environment and C/C++ compile flags."""

load("@rules_cc//cc/common:cc_common.bzl", "cc_common")
load(":bazel_features.bzl", "BAZEL_6", "CPP_TOOLCHAIN_TYPE")

# Action names of cc_common (rules_cc's action_names.bzl, which Bazel 4's
# stand-in of rules_cc does not have).
_C_COMPILE = "c-compile"
_CPP_COMPILE = "c++-compile"
_LINK_EXECUTABLE = "c++-link-executable"

# The C++ toolchain is optional: a target platform without one (a cross SDK,
# Windows) must reach the ruleset's own checks and its fallback to the
# machine's compiler. Bazel 6+ resolves it as an optional toolchain; its
# current_cc_toolchain, which Bazel 7+ resolves as a mandatory one, would fail
# analysis first. Bazel 4.2.3 has no optional toolchains, and its
# current_cc_toolchain never fails.
CC_TOOLCHAINS = [config_common.toolchain_type(CPP_TOOLCHAIN_TYPE, mandatory = False)] if BAZEL_6 else []

# Bazel 4 only: the C++ toolchain as an attribute.
CC_ATTRS = {} if BAZEL_6 else {
    "_cc_toolchain": attr.label(
        default = Label("@bazel_tools//tools/cpp:current_cc_toolchain"),  # starlarkcheck: Bazel 4 only
    ),
}

# cc_common.configure_features reads the cpp fragment.
CC_FRAGMENTS = ["cpp"]

def _find(ctx):
    """Bazel's C++ toolchain (CcToolchainInfo), or None."""
    if BAZEL_6:
        info = ctx.toolchains[CPP_TOOLCHAIN_TYPE]  # None when none matches
    else:
        # current_cc_toolchain returns a ToolchainInfo whose `cc` is the C++
        # toolchain where Bazel hands it out that way (4.2.3 does not).
        target = getattr(ctx.attr, "_cc_toolchain", None)
        info = target[platform_common.ToolchainInfo] if target and platform_common.ToolchainInfo in target else None
    cc = getattr(info, "cc", None) if info else None
    return cc if cc and getattr(cc, "compiler_executable", None) else None

# Compile flags that name outputs or dependency files of a C++ action, or
# only colour its messages: cgo runs the compiler its own way.
_DROP = ["-c", "-fcolor-diagnostics", "-fdiagnostics-color", "-MD", "-MMD"]
_DROP_WITH_VALUE = ["-o", "-MF", "-MT", "-MQ"]

def _compile_flags(features, cc_toolchain, action):
    flags = cc_common.get_memory_inefficient_command_line(
        feature_configuration = features,
        action_name = action,
        variables = cc_common.create_compile_variables(feature_configuration = features, cc_toolchain = cc_toolchain),
    )
    out = []
    skip = False
    for f in flags:
        if skip:
            skip = False
        elif f in _DROP_WITH_VALUE:
            skip = True
        elif f not in _DROP and not f.startswith("-fdiagnostics-color="):
            out.append(f)
    return out

def cc_toolchain_of(ctx):
    """What the Go actions take from Bazel's C++ toolchain.

    Args:
      ctx: the rule or aspect context (with CC_TOOLCHAINS, CC_ATTRS and CC_FRAGMENTS).

    Returns:
      struct(compiler, files, env, conlyopts, cxxopts), or None when Bazel
      has no C++ toolchain for the target platform (or does not hand it out).
      env is what the toolchain sets for C compiles and executable links (a
      wrapped compiler, as on macOS, needs it); conlyopts and cxxopts its C
      and C++ compile flags, for cgo. Its link flags are not taken: they
      carry -fuse-ld=gold, whose .so files record sandbox paths.
    """
    cc_toolchain = _find(ctx)
    if not cc_toolchain:
        return None
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    env = {}
    env.update(cc_common.get_environment_variables(
        feature_configuration = features,
        action_name = _C_COMPILE,
        variables = cc_common.create_compile_variables(feature_configuration = features, cc_toolchain = cc_toolchain),
    ))
    env.update(cc_common.get_environment_variables(
        feature_configuration = features,
        action_name = _LINK_EXECUTABLE,
        variables = cc_common.create_link_variables(feature_configuration = features, cc_toolchain = cc_toolchain),
    ))
    return struct(
        compiler = cc_toolchain.compiler_executable,
        files = cc_toolchain.all_files,
        env = env,
        conlyopts = _compile_flags(features, cc_toolchain, _C_COMPILE),
        cxxopts = _compile_flags(features, cc_toolchain, _CPP_COMPILE),
    )
