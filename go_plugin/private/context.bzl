"""What every rule needs to run Go actions: the SDK, the builder, the
standard library and the C compiler, gathered in one place."""

load("//toolchain:toolchain.bzl", "ACTION_PATH")
load(":cc_toolchain.bzl", "CC_ATTRS", "CC_FRAGMENTS", "CC_TOOLCHAINS", "cc_toolchain_of")
load(":providers.bzl", "GoSettingsInfo", "GoStdlibInfo")
load(":rules/settings.bzl", "builder_setting_args")

TOOLCHAIN_TYPE = str(Label("//toolchain:toolchain_type"))

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

GO_TOOL_ATTRS.update(CC_ATTRS)

# The toolchains and fragments of every rule that compiles or links Go code.
GO_TOOLCHAINS = [TOOLCHAIN_TYPE] + CC_TOOLCHAINS
GO_FRAGMENTS = CC_FRAGMENTS

def _cc(ctx, sdk):
    """Bazel's C++ toolchain, else the machine's compiler with no flags."""
    cc = cc_toolchain_of(ctx)
    if cc:
        return cc
    if not sdk.cc:
        fail("%s: no C compiler for the external link: Bazel has no C++ toolchain and none was found on the machine (CC, cc, gcc, clang). Install gcc or set CC." % ctx.label)
    return struct(compiler = sdk.cc, files = depset(), env = {}, conlyopts = [], cxxopts = [])

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
      struct(label, sdk, builder, stdlib, cc, cc_files, cc_conlyopts,
      cc_cxxopts, cc_env, settings).
    """
    sdk = ctx.toolchains[TOOLCHAIN_TYPE].sdk
    cc = _cc(ctx, sdk)
    cc_env = _cc_env(cc.compiler)
    cc_env.update(cc.env)  # the toolchain's PATH, if it sets one, wins
    return struct(
        label = ctx.label,
        sdk = sdk,
        builder = sdk.builder,
        stdlib = ctx.attr._stdlib[GoStdlibInfo] if hasattr(ctx.attr, "_stdlib") else None,
        cc = cc.compiler,
        cc_files = cc.files,
        cc_conlyopts = cc.conlyopts,
        cc_cxxopts = cc.cxxopts,
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
