"""go_plugin_host: the executable that loads plugins."""

load("//go_plugin/private:actions/link.bzl", "emit_executable")
load("//go_plugin/private:actions/run.bzl", "run_action")
load("//go_plugin/private:cgo.bzl", "cgo_options")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps")
load("//go_plugin/private:platforms.bzl", "check_plugin_support")
load("//go_plugin/private:providers.bzl", "GoPluginHostInfo", "GoPluginInfo")
load("//go_plugin/private:rules/library.bzl", "PACKAGE_ATTRS", "x_defs_of")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:runfiles.bzl", "LOADER_PLUGINS_VAR", "rlocation")
load("//go_plugin/private:sources.bzl", "package_sources")
load("//go_plugin/private:stamp.bzl", "BINARY_STAMP_ATTRS", "stamp_enabled")
load("//go_plugin/private:unique.bzl", "first_duplicate", "refuse_repeated_plugins")

def _checked_plugins(ctx):
    """The plugins of the host, refusing two with one plugin path."""
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins]
    refuse_repeated_plugins(ctx, plugins)

    # A prebuilt plugin may have no known pluginpath: the validation reads it.
    dup = first_duplicate(plugins, _pluginpath)
    if dup:
        fail("%s: plugins %s and %s have the same pluginpath %s; the runtime refuses to load the second (\"plugin already loaded\"). Give one of them another pluginpath." % (
            ctx.label,
            dup[0].label,
            dup[1].label,
            dup[0].pluginpath,
        ))
    return plugins

def _pluginpath(plugin):
    return plugin.pluginpath

def _runfiles(ctx, plugins, deps):
    """The plugins with what they need at run time, and the deps' data."""
    runfiles = ctx.runfiles(
        files = [p.so for p in plugins],
        transitive_files = depset(transitive = [d.data for d in deps]),
    )
    for p in ctx.attr.plugins:
        runfiles = runfiles.merge(p[DefaultInfo].default_runfiles)
    return runfiles

def _go_plugin_host_impl(ctx):
    go = go_context(ctx)
    check_plugin_support(ctx, go, needs_cgo = False)
    if ctx.attr.linkmode == "pie" and go.settings.race:
        fail("%s: linkmode = \"pie\" with --@rules_go_plugin//go_plugin:race=true: the race detector does not support position-independent executables on %s/%s (the go command refuses -buildmode=pie -race too). Drop one of them." % (ctx.label, go.sdk.goos, go.sdk.goarch))
    if ctx.attr.linkmode == "pie" and not go.settings.cgo:
        fail("%s: linkmode = \"pie\" with --@rules_go_plugin//go_plugin:cgo=false: a PIE host is linked from the plugins' variant of every package (-dynlink), which the go command builds only for plugins, and plugins need cgo. Drop one of them." % ctx.label)
    plugins = _checked_plugins(ctx)
    sources = package_sources(ctx)
    deps = library_deps(ctx.label, ctx.attr.deps)
    importpath = ctx.attr.importpath or ctx.label.package or ctx.label.name

    xdefs = x_defs_of(ctx, "main")
    xdefs[LOADER_PLUGINS_VAR] = ",".join([rlocation(ctx, p.so) for p in plugins])
    linked = emit_executable(
        ctx,
        go,
        "host",
        sources,
        deps,
        importpath,
        mode = ctx.attr.linkmode,
        cgo = cgo_options(ctx),
        # Without cgo the host cannot load plugins (plugin.Open says "not
        # implemented") and has no dynamic symbols to check.
        require_plugin = go.settings.cgo,
        xdefs = xdefs,
        stamp = stamp_enabled(ctx),
    )
    exe = linked.exe
    providers = [
        DefaultInfo(
            files = depset([exe]),
            executable = exe,
            runfiles = _runfiles(ctx, plugins, deps),
        ),
        GoPluginHostInfo(exe = exe, deps = deps, plugins = plugins, godebug = linked.godebug),
    ]
    if plugins:
        report, manifest = _emit_plugincheck(ctx, exe, plugins)
        providers.append(OutputGroupInfo(_validation = depset([report]), manifest = depset([manifest])))
    return providers

def _emit_plugincheck(ctx, exe, plugins):
    """Checks that the plugins load into the host, from the files alone.

    The report is a validation output, so `bazel build` of the host fails on
    a mismatch (a prebuilt plugin, or anything the configuration did not
    rule out) with every differing package and the likely cause. The same
    action writes the release manifest. On failure the checker writes
    neither, so they exist only for plugins that load; the host itself
    stays in bazel-bin, as every output of a successful action does.
    """
    report = ctx.actions.declare_file(ctx.label.name + ".plugincheck.txt")
    manifest = ctx.actions.declare_file(ctx.label.name + ".manifest.json")
    args = ctx.actions.args()
    args.add("--out", report)
    args.add("--write-manifest", manifest)

    # A pluginpath declared in a BUILD file (always on go_plugin, optional on
    # go_plugin_import) must be the file's.
    args.add_all(
        ["%s=%s" % (p.so.path, p.pluginpath) for p in plugins if p.pluginpath],
        before_each = "--pluginpath",
    )
    args.add(exe)
    args.add_all([p.so for p in plugins])
    run_action(
        ctx,
        None,  # a tool of the rule's own, not the toolchain's
        executable = ctx.executable._plugincheck,
        arguments = [args],
        inputs = [exe] + [p.so for p in plugins],
        outputs = [report, manifest],
        mnemonic = "GoPluginCheck",
        progress_message = "Checking that %d plugin(s) load into %s" % (len(plugins), exe.short_path),
    )
    return report, manifest

go_plugin_host = rule(
    implementation = _go_plugin_host_impl,
    cfg = settings_transition,
    attrs = dict(
        PACKAGE_ATTRS,
        plugins = attr.label_list(
            providers = [GoPluginInfo],
            doc = "The plugins the host loads (go_plugin or go_plugin_import): put in its runfiles, listed by loader.Paths() in this order, and checked by the host's validation action. A plugin listed twice (through an alias), or two with one pluginpath, are refused at analysis time.",
        ),
        importpath = attr.string(doc = "What file positions of the main package are rewritten to. Defaults to the Bazel package."),
        linkmode = attr.string(
            default = "exe",
            values = ["exe", "pie"],
            doc = "\"exe\", or \"pie\" for a position-independent executable (go build -buildmode=pie), linked from the -dynlink variant, which is position independent too. Plugins load into both. \"pie\" is refused with `race=true`, as by the go command on linux/amd64.",
        ),
        # The checker reads ELF files of the target platform and runs on the
        # exec machine, so the two must be the same; built in the target
        # configuration, it shares the host's standard library build.
        _plugincheck = attr.label(
            default = Label("//go_plugin/private:plugincheck"),
            executable = True,
            cfg = "target",
        ),
        **dict(GO_TOOL_ATTRS, **dict(TRANSITION_ATTRS, **BINARY_STAMP_ATTRS))
    ),
    executable = True,
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = """An executable that loads Go plugins, built in the same configuration as its plugins.

`bazel build` of the host also checks, from the files, that every plugin loads
into it (a validation action); the output group `manifest` is the release
manifest that cmd/plugincheck can check plugins against.

It must import package "plugin" (directly or through the loader package).
`bazel run` of the host finds its plugins with loader.Paths() from
@rules_go_plugin//loader, which reads their runfiles paths linked into the host.

It is linked with -linkmode=external from the normal variant of every package
(with `--@rules_go_plugin//go_plugin:cgo=false`, internally: such a host builds
but cannot load plugins, and go_plugin targets are refused). Refused at
analysis time for platforms Go has no plugins on (Windows).""",
)
