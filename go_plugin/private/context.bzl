"""What every rule needs to run Go actions: the SDK, the builder, the
standard library and the C compiler, gathered in one place."""

load("//toolchain:toolchain.bzl", "ACTION_PATH")
load(":providers.bzl", "GoSettingsInfo", "GoStdlibInfo")
load(":rules/settings.bzl", "builder_setting_args")

TOOLCHAIN_TYPE = str(Label("//toolchain:toolchain_type"))

# Implicit attributes of every rule that compiles or links Go code.
GO_TOOL_ATTRS = {
    "_stdlib": attr.label(
        default = Label("//go_plugin/private:stdlib"),
        providers = [GoStdlibInfo],
    ),
    "_cc_toolchain": attr.label(
        default = Label("@bazel_tools//tools/cpp:current_cc_toolchain"),
    ),
    "_settings": attr.label(
        default = Label("//go_plugin:settings"),
        providers = [GoSettingsInfo],
    ),
}

def _cc(ctx, sdk):
    """Bazel's C++ compiler when one is configured, else the machine's."""

    # current_cc_toolchain returns a ToolchainInfo whose `cc` is the C++
    # toolchain. Reading it this way needs no cc_common, which Bazel 9 no
    # longer has as a global and Bazel 4 cannot load from rules_cc.
    target = ctx.attr._cc_toolchain
    if target and platform_common.ToolchainInfo in target:
        cc = getattr(target[platform_common.ToolchainInfo], "cc", None)
        if cc and cc.compiler_executable:
            return cc.compiler_executable, cc.all_files
    if not sdk.cc:
        fail("%s: no C compiler for the external link: Bazel has no C++ toolchain and none was found on the machine (CC, cc, gcc, clang). Install gcc or set CC." % ctx.label)
    return sdk.cc, depset()

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
    """Returns a struct with what the actions of a rule need."""
    sdk = ctx.toolchains[TOOLCHAIN_TYPE].sdk
    cc, cc_files = _cc(ctx, sdk)
    return struct(
        label = ctx.label,
        sdk = sdk,
        builder = sdk.builder,
        stdlib = ctx.attr._stdlib[GoStdlibInfo] if hasattr(ctx.attr, "_stdlib") else None,
        cc = cc,
        cc_files = cc_files,
        cc_env = _cc_env(cc),
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
