"""What every rule needs to run Go actions: the SDK, the builder, the
standard library and the C compiler, gathered in one place."""

load("@rules_cc//cc/common:cc_common.bzl", "cc_common")
load("//toolchain:toolchain.bzl", "ACTION_PATH")
load(":bazel_features.bzl", "BAZEL_6", "CPP_TOOLCHAIN_TYPE")
load(":providers.bzl", "GoSettingsInfo", "GoStdlibInfo")
load(":rules/settings.bzl", "builder_setting_args")

TOOLCHAIN_TYPE = str(Label("//toolchain:toolchain_type"))

# Action names of cc_common (rules_cc's action_names.bzl, which Bazel 4's
# stand-in of rules_cc does not have).
C_COMPILE_ACTION = "c-compile"
LINK_EXECUTABLE_ACTION = "c++-link-executable"

# Implicit attributes of every rule that compiles or links Go code.
GO_TOOL_ATTRS = {
    "_stdlib": attr.label(
        default = Label("//go_plugin/private:stdlib"),
        providers = [GoStdlibInfo],
    ),
    "_settings": attr.label(
        default = Label("//go_plugin:settings"),
        providers = [GoSettingsInfo],
    ),
}

# The C++ toolchain is optional: a target platform without one (a cross SDK,
# Windows) must reach the ruleset's own checks and its fallback to the
# machine's compiler. Bazel 6+ resolves it as an optional toolchain; its
# current_cc_toolchain, which Bazel 7+ resolves as a mandatory one, would fail
# analysis first. Bazel 4.2.3 has no optional toolchains, and its
# current_cc_toolchain never fails.
GO_TOOLCHAINS = [TOOLCHAIN_TYPE] + (
    [config_common.toolchain_type(CPP_TOOLCHAIN_TYPE, mandatory = False)] if BAZEL_6 else []
)

# Bazel 4 only: the C++ toolchain as an attribute.
_BAZEL_4_CC_ATTRS = {} if BAZEL_6 else {
    "_cc_toolchain": attr.label(
        default = Label("@bazel_tools//tools/cpp:current_cc_toolchain"),  # starlarkcheck: Bazel 4 only
    ),
}

GO_TOOL_ATTRS.update(_BAZEL_4_CC_ATTRS)

# cc_common.configure_features reads the cpp fragment.
GO_FRAGMENTS = ["cpp"]

def _cc_toolchain(ctx):
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

def _cc_toolchain_env(ctx, cc_toolchain):
    """The environment the C++ toolchain sets for its compile and link actions.

    A wrapped compiler (as on macOS) needs it.
    """
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    env = {}
    env.update(cc_common.get_environment_variables(
        feature_configuration = features,
        action_name = C_COMPILE_ACTION,
        variables = cc_common.create_compile_variables(feature_configuration = features, cc_toolchain = cc_toolchain),
    ))
    env.update(cc_common.get_environment_variables(
        feature_configuration = features,
        action_name = LINK_EXECUTABLE_ACTION,
        variables = cc_common.create_link_variables(feature_configuration = features, cc_toolchain = cc_toolchain),
    ))
    return env

def _cc(ctx, sdk):
    """Bazel's C++ compiler and its environment, else the machine's compiler."""
    cc_toolchain = _cc_toolchain(ctx)
    if cc_toolchain:
        return cc_toolchain.compiler_executable, cc_toolchain.all_files, _cc_toolchain_env(ctx, cc_toolchain)
    if not sdk.cc:
        fail("%s: no C compiler for the external link: Bazel has no C++ toolchain and none was found on the machine (CC, cc, gcc, clang). Install gcc or set CC." % ctx.label)
    return sdk.cc, depset(), {}

def _cc_env(cc):
    """The environment of actions that run the C compiler.

    gcc finds its assembler and linker on PATH. A fixed PATH (Bazel's own
    for --incompatible_strict_action_env, plus the compiler's directory)
    keeps the machine's PATH out of the action key, so the action is the
    same on every machine and hits a shared cache.
    """
    dirs = list(ACTION_PATH)
    if cc.startswith("/"):
        d = cc.rpartition("/")[0]
        if d and d not in dirs:
            dirs.insert(0, d)
    return {"PATH": ":".join(dirs)}

def go_context(ctx):
    """Returns a struct with what the actions of a rule need.

    Args:
      ctx: the rule or aspect context.

    Returns:
      struct(label, sdk, builder, stdlib, cc, cc_files, cc_env, settings).
    """
    sdk = ctx.toolchains[TOOLCHAIN_TYPE].sdk
    cc, cc_files, toolchain_env = _cc(ctx, sdk)
    cc_env = _cc_env(cc)
    cc_env.update(toolchain_env)  # the toolchain's PATH, if it sets one, wins
    return struct(
        label = ctx.label,
        sdk = sdk,
        builder = sdk.builder,
        stdlib = ctx.attr._stdlib[GoStdlibInfo] if hasattr(ctx.attr, "_stdlib") else None,
        cc = cc,
        cc_files = cc_files,
        cc_env = cc_env,
        settings = ctx.attr._settings[GoSettingsInfo],
    )

def sdk_args(go, args):
    """Adds the flags every builder verb takes.

    Args:
      go: the go_context struct.
      args: the Args object of the action.
    """
    args.add("-label", str(go.label))
    args.add("-goroot", go.sdk.goroot)
    args.add("-goos", go.sdk.goos)
    args.add("-goarch", go.sdk.goarch)
    builder_setting_args(go.settings, args)
