"""go_plugin_release_test: plugins built today against a host already deployed."""

load("//go_plugin/private:providers.bzl", "GoPluginInfo")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")

def _shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"

def _go_plugin_release_test_impl(ctx):
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins]
    if not plugins:
        fail("%s: plugins is empty; name the go_plugin targets to check against %s." % (ctx.label, ctx.file.release_manifest.short_path))
    checker = ctx.executable._plugincheck
    words = [checker.short_path, "--release", ctx.file.release_manifest.short_path]
    if ctx.attr.host:
        words += ["--host", ctx.attr.host]
    words += [p.so.short_path for p in plugins]

    # The test runs in its runfiles tree, where every short_path resolves.
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(script, "#!/bin/sh\nexec %s\n" % " ".join([_shell_quote(w) for w in words]), is_executable = True)
    runfiles = ctx.runfiles(files = [checker, ctx.file.release_manifest] + [p.so for p in plugins])
    return [DefaultInfo(executable = script, runfiles = runfiles)]

go_plugin_release_test = rule(
    implementation = _go_plugin_release_test_impl,
    cfg = settings_transition,
    test = True,
    attrs = dict(
        release_manifest = attr.label(
            allow_single_file = [".json"],
            mandatory = True,
            doc = "The release manifest of the deployed release (its release.json, checked in).",
        ),
        host = attr.string(
            doc = "The name of the release's host the plugins are for; may be left out when the release has one host.",
        ),
        plugins = attr.label_list(
            providers = [GoPluginInfo],
            doc = "The plugins (go_plugin or go_plugin_import) to ship alone to that host.",
        ),
        _plugincheck = attr.label(
            default = Label("//go_plugin/private:plugincheck"),
            executable = True,
            cfg = "target",
        ),
        **TRANSITION_ATTRS
    ),
    doc = """Tests that plugins built today load into a host of a release already deployed.

The host is known only by its release manifest (go_plugin_release's
release.json, checked in): the test replays what the deployed host does,
opening its released plugins in their order with each of these in place of
the released plugin of the same pluginpath (a new plugin goes last), and
fails naming every package that differs from the host's and why (the
toolchain, the settings, or the sources of a shared package). Nothing is
loaded: the check reads the files, as `plugincheck --release` does.""",
)
