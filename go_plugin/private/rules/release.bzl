"""go_plugin_release: hosts and their plugins, checked and packed as one release."""

load("//go_plugin/private:actions/run.bzl", "run_action")
load("//go_plugin/private:context.bzl", "TOOLCHAIN_TYPE")
load("//go_plugin/private:providers.bzl", "GoPluginHostInfo")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:stamp.bzl", "BINARY_STAMP_ATTRS", "is_stable_key", "stamp_enabled", "stamp_keys")

_PLACEHOLDERS = ["name", "version", "goos", "goarch"]

def _file_name(ctx, attr, template, values):
    """Fills {name}, {version}, {goos}, {goarch} into a file name template."""
    if "{version}" in template and "{" in values["version"]:
        fail("%s: %s = %r uses {version}, but version %r is stamped: file names are fixed before the workspace status is read. Drop {version} from %s, or write the version itself." % (ctx.label, attr, template, values["version"], attr))
    out = template
    for key in _PLACEHOLDERS:
        out = out.replace("{%s}" % key, values[key])
    if "{" in out or "}" in out:
        fail("%s: %s = %r: the only placeholders are {%s}." % (ctx.label, attr, template, "}, {".join(_PLACEHOLDERS)))
    if not out or "/" in out or out in [".", ".."]:
        fail("%s: %s = %r gives the file name %r: a file name must be non-empty and have no \"/\"." % (ctx.label, attr, template, out))
    return out

def _release_layout(ctx, goos, goarch):
    """The hosts and their plugins, each with its path in the release.

    Returns:
      list of struct(name, label, exe, file, plugins = [struct(so, label, file)]).
    """
    by_file = {}  # path in the release -> label of what claims it
    plugin_file = {}  # so path -> its path in the release
    hosts = []
    for target in ctx.attr.hosts:
        info = target[GoPluginHostInfo]
        name = target.label.name
        file = "bin/" + _file_name(ctx, "host_file_name", ctx.attr.host_file_name, {"name": name, "version": ctx.attr.version, "goos": goos, "goarch": goarch})
        _claim(ctx, by_file, file, target.label)
        plugins = []
        for p in info.plugins:
            pf = plugin_file.get(p.so.path)
            if not pf:
                pf = "plugins/" + _file_name(ctx, "plugin_file_name", ctx.attr.plugin_file_name, {"name": p.label.name, "version": ctx.attr.version, "goos": goos, "goarch": goarch})
                _claim(ctx, by_file, pf, p.label)
                plugin_file[p.so.path] = pf
            plugins.append(struct(so = p.so, label = p.label, file = pf))
        hosts.append(struct(name = name, label = target.label, exe = info.exe, file = file, plugins = plugins))
    return hosts

def _claim(ctx, by_file, file, label):
    other = by_file.get(file)
    if other and other != label:
        fail("%s: %s and %s would both be %s in the release; rename one of the targets, or set host_file_name / plugin_file_name." % (ctx.label, other, label, file))
    by_file[file] = label

def _status_files(ctx):
    """The workspace status files the version names keys of, when stamped."""
    keys = stamp_keys(ctx.attr.version)
    if not keys or not stamp_enabled(ctx):
        return []
    files = []
    if [k for k in keys if is_stable_key(k)]:
        files.append(ctx.info_file)
    if [k for k in keys if not is_stable_key(k)]:
        files.append(ctx.version_file)
    return files

def _go_plugin_release_impl(ctx):
    if not ctx.attr.hosts:
        fail("%s: hosts is empty; a release ships at least one go_plugin_host." % ctx.label)
    if ctx.attr.prefix.startswith("/") or ".." in ctx.attr.prefix.split("/"):
        fail("%s: prefix = %r: write a relative directory inside the archive, such as \"myapp-1.2.0\"." % (ctx.label, ctx.attr.prefix))
    sdk = ctx.toolchains[TOOLCHAIN_TYPE].sdk
    hosts = _release_layout(ctx, sdk.goos, sdk.goarch)
    names = {}
    for h in hosts:
        if h.name in names:
            fail("%s: hosts %s and %s have the same name %s, which the manifest knows hosts by; rename one." % (ctx.label, names[h.name], h.label, h.name))
        names[h.name] = h.label

    archive = ctx.actions.declare_file(ctx.label.name + ".tar.gz")
    manifest = ctx.actions.declare_file(ctx.label.name + "/release.json")
    spec = ctx.actions.declare_file(ctx.label.name + ".spec.json")
    status_files = _status_files(ctx)
    ctx.actions.write(spec, json.encode(struct(
        label = str(ctx.label),
        name = ctx.attr.release_name or ctx.label.name,
        version = ctx.attr.version,
        prefix = ctx.attr.prefix.strip("/"),
        manifest_file = "release.json",
        status_files = [f.path for f in status_files],
        hosts = [struct(
            name = h.name,
            label = str(h.label),
            path = h.exe.path,
            file = h.file,
            plugins = [struct(path = p.so.path, file = p.file, label = str(p.label)) for p in h.plugins],
        ) for h in hosts],
        manifest = manifest.path,
        archive = archive.path,
    )))
    inputs = {}
    for h in hosts:
        inputs[h.exe] = True
        for p in h.plugins:
            inputs[p.so] = True
    run_action(
        ctx,
        None,  # a tool of the rule's own
        executable = ctx.executable._packrelease,
        arguments = [spec.path],
        inputs = [spec] + status_files + inputs.keys(),
        outputs = [manifest, archive],
        mnemonic = "GoPluginRelease",
        progress_message = "Checking and packing release %s (%d host(s))" % (ctx.label, len(hosts)),
    )

    # The same files laid out as in the archive, for rules_pkg (pkg_files,
    # pkg_tar) and for deploying from bazel-bin.
    tree = [manifest]
    linked = {}
    for h in hosts:
        for src, file in [(h.exe, h.file)] + [(p.so, p.file) for p in h.plugins]:
            if file in linked:
                continue
            out = ctx.actions.declare_file("%s/%s" % (ctx.label.name, file))
            ctx.actions.symlink(output = out, target_file = src, is_executable = True)
            linked[file] = True
            tree.append(out)
    return [
        DefaultInfo(files = depset([archive])),
        OutputGroupInfo(
            release_files = depset(tree),
            release_manifest = depset([manifest]),
        ),
    ]

go_plugin_release = rule(
    implementation = _go_plugin_release_impl,
    cfg = settings_transition,
    attrs = dict(
        hosts = attr.label_list(
            providers = [GoPluginHostInfo],
            doc = "The go_plugin_host targets of the release. Each ships the plugins of its `plugins` attribute, in that order; a plugin listed by two hosts is shipped once and checked against both.",
        ),
        version = attr.string(
            doc = "The release's version, written into the manifest. `{KEY}` placeholders of workspace status keys (`{STABLE_VERSION}`, `{BUILD_EMBED_LABEL}`) are substituted when the release is stamped (see `stamp`); a key the status does not set is an error then. Unstamped, the version is written as is.",
        ),
        release_name = attr.string(
            doc = "The release's name in the manifest and in plugincheck's reports. Defaults to the target name.",
        ),
        prefix = attr.string(
            doc = "A directory every file of the archive is under, such as \"myapp-1.2.0\". Default: none (`release.json`, `bin/`, `plugins/` at the top).",
        ),
        host_file_name = attr.string(
            default = "{name}",
            doc = "The file name of each host under `bin/`, from `{name}` (the target's name), `{version}`, `{goos}` and `{goarch}`.",
        ),
        plugin_file_name = attr.string(
            default = "{name}.so",
            doc = "The file name of each plugin under `plugins/`, from `{name}` (the target's name), `{version}`, `{goos}` and `{goarch}`: \"{name}_{version}_{goos}_{goarch}.so\" names them as Tyk's plugin compiler does.",
        ),
        # The release stamps its version only; the hosts and plugins are
        # stamped by their own stamp attributes.
        stamp = attr.int(
            default = -1,
            values = [-1, 0, 1],
            doc = "Whether `{KEY}` placeholders in `version` are substituted from the workspace status: 1 always, 0 never, -1 with `--stamp` only. The hosts and plugins follow their own `stamp` attributes.",
        ),
        _stamp_setting = BINARY_STAMP_ATTRS["_stamp_setting"],
        # Built in the release's (transitioned) configuration, like the
        # hosts' checker, so it shares their standard library build.
        _packrelease = attr.label(
            default = Label("//go_plugin/private:packrelease"),
            executable = True,
            cfg = "target",
        ),
        **TRANSITION_ATTRS
    ),
    toolchains = [TOOLCHAIN_TYPE],
    doc = """A lockstep release: hosts and their plugins, checked together and packed as one archive.

`bazel build` of the release checks, from the files, that every plugin loads
into each host that ships it (the action fails with every differing package
otherwise), and writes `<name>.tar.gz`, byte-identical for the same inputs:

    release.json          the release manifest (format 1)
    bin/<host>            each host
    plugins/<plugin>.so   each plugin, once however many hosts ship it

The manifest lists the version, Go version, GOOS/GOARCH and build settings,
and for each file its sha256; for each host its package hashes and its
plugins in load order; for each plugin its pluginpath, package hashes, the
hosts it ships with and every host of the release it loads into. It is what
the loader (`GO_PLUGIN_RELEASE`) checks plugins against at run time and what
`plugincheck verify`, `plugincheck diff` and go_plugin_release_test read.

Output groups: `release_files` (the same files laid out under `<name>/`, for
rules_pkg's pkg_files and pkg_tar, or to deploy from bazel-bin) and
`release_manifest`.""",
)
