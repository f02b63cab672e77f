"""go_stdlib: the standard library, compiled once per variant for the build.

GOROOT ships no compiled packages since Go 1.20, so the ruleset compiles std
itself: once normally, for hosts, and once with -dynlink, for plugins (a host
linked from -dynlink archives crashes at start). Both with -trimpath, so a
package's hash is the same in both variants. Each variant is its own action;
Bazel runs only the ones the build needs.
"""

load("//go_plugin/private:context.bzl", "GO_TOOL_ATTRS", "TOOLCHAIN_TYPE", "go_context", "sdk_args")
load("//go_plugin/private:providers.bzl", "GoStdlibInfo", "VARIANTS")

def _emit_stdlib(ctx, go, variant):
    out = ctx.actions.declare_directory("%s_%s" % (ctx.label.name, variant))
    importcfg = ctx.actions.declare_file("%s_%s.importcfg" % (ctx.label.name, variant))
    args = ctx.actions.args()
    args.add("stdlib")
    sdk_args(go, args)
    args.add("-out", out.path)
    args.add("-importcfg", importcfg)
    args.add("-cc", go.cc)
    if variant == "dynlink":
        args.add("-dynlink")
    ctx.actions.run(
        executable = go.builder,
        arguments = [args],
        inputs = depset(transitive = [go.sdk.srcs, go.cc_files]),
        outputs = [out, importcfg],
        mnemonic = "GoStdlib",
        progress_message = "Compiling the Go standard library (%s)" % variant,
        # cgo packages of std (runtime/cgo, net) call the C compiler.
        use_default_shell_env = True,
    )
    return struct(importcfg = importcfg, files = depset([out]))

def _go_stdlib_impl(ctx):
    go = go_context(ctx)
    variants = {v: _emit_stdlib(ctx, go, v) for v in VARIANTS}
    return [
        GoStdlibInfo(**variants),
        DefaultInfo(files = depset([v.importcfg for v in variants.values()])),
    ]

go_stdlib = rule(
    implementation = _go_stdlib_impl,
    attrs = {k: v for k, v in GO_TOOL_ATTRS.items() if k != "_stdlib"},
    toolchains = [TOOLCHAIN_TYPE],
    doc = "The Go standard library compiled in both variants. One target serves the whole build.",
)
