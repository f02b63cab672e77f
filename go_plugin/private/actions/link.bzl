"""The link action: a plugin (.so) or a host executable."""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:actions/run.bzl", "run_builder")
load("//go_plugin/private:context.bzl", "sdk_args")
load("//go_plugin/private:library_info.bzl", "deps_std")
load("//go_plugin/private:rules/settings.bzl", "setting_flags")
load("//go_plugin/private:stamp.bzl", "is_stable_key", "stamp_keys")
load("//go_plugin/private:unique.bzl", "first_duplicate")
load("//go_plugin/private:xdefs.bzl", "link_x_defs")

def _pkg_arg(pkg):
    return "%s=%s" % (pkg.packagepath, pkg.archive.path)

def linked_packages(ctx, deps, variant):
    """Lists every non-standard package that a link takes in.

    Fails with a clear error when two targets claim the same package path
    (importpath, or rules_go's importmap), since only one could be linked.

    Args:
      ctx: the rule context, for messages.
      deps: GoLibraryInfo of the main package's direct deps.
      variant: "normal" or "dynlink".

    Returns:
      A list of struct(importpath, packagepath, label, archive).
    """
    pkgs = depset(transitive = [d.transitive[variant] for d in deps]).to_list()
    dup = first_duplicate(pkgs, _packagepath)
    if dup and dup[0].importpath == dup[0].packagepath and dup[1].importpath == dup[1].packagepath:
        fail("%s: importpath %s is built by two targets, %s and %s; one package can be linked only once, so keep one of them in deps." % (
            ctx.label,
            dup[0].packagepath,
            dup[0].label,
            dup[1].label,
        ))
    if dup:
        # rules_go's importmap is involved: say which side has which.
        dup = sorted(dup, key = _label_string)
        fail("%s: package path %s is built by two targets, %s (%s) and %s (%s); one package can be linked only once, so keep one of them in deps, or give one another importmap." % (
            ctx.label,
            dup[0].packagepath,
            dup[0].label,
            _path_kind(dup[0]),
            dup[1].label,
            _path_kind(dup[1]),
        ))
    return pkgs

def _label_string(pkg):
    return str(pkg.label)

def _path_kind(pkg):
    if pkg.packagepath == pkg.importpath:
        return "its importpath"
    return "its importmap; importpath %s" % pkg.importpath

def _packagepath(pkg):
    return pkg.packagepath

def build_info(go, mode):
    """The build settings `go version -m` shows for a file the rules link.

    Args:
      go: the go_context struct.
      mode: "plugin" or "exe".

    Returns:
      A list of "key=value" strings, in the go command's order.
    """
    info = [("-buildmode", mode), ("-compiler", "gc")] + setting_flags(go.settings)
    info.append(("GOARCH", go.sdk.goarch))
    info.append(("GOOS", go.sdk.goos))
    if go.sdk.goarch == "amd64":
        info.append(("GOAMD64", "v1"))
    return ["%s=%s" % kv for kv in info]

def link_variant(mode):
    """The archives a link mode takes: position-independent ones for plugins and PIE."""
    return "normal" if mode == "exe" else "dynlink"

def _stamped_xdefs(ctx, xdefs, stamp):
    """Splits the x_defs of a link into plain ones and ones to stamp.

    Unstamped, a value naming a workspace status key is left out, as rules_go
    does, and no status file is an input: the action is the same as with no
    such value. Stamped, the link takes stable-status.txt or
    volatile-status.txt only if a value names a key of that file, so a link
    that needs neither does not rerun when they change.

    Returns:
      (plain dict, to-stamp dict, list of status Files).
    """
    plain = {}
    stamped = {}
    stable = False
    volatile = False
    for name, value in xdefs.items():
        keys = stamp_keys(value)
        if not keys:
            plain[name] = value
            continue
        if not stamp:
            continue
        for key in keys:
            if is_stable_key(key):
                stable = True
            else:
                volatile = True
        stamped[name] = value
    files = ([ctx.info_file] if stable else []) + ([ctx.version_file] if volatile else [])
    return plain, stamped, files

def emit_link(ctx, go, mode, main, deps, out, pluginpath = None, xdefs = {}, cc_link_files = None, buildinfo_path = None, require_plugin = False, main_std = None, godebug = None, stamp = False, plain_xdefs = {}, module_info = True):
    """Declares the action that links main and its deps.

    Args:
      ctx: the rule context.
      go: the go_context struct.
      mode: "plugin", "pie" (both take the dynlink archives) or "exe" (normal archives).
      main: archive File of the main package.
      deps: list of GoLibraryInfo of the main package's direct deps.
      out: the File to write.
      pluginpath: the plugin path, plugins only.
      xdefs: dict of -X definitions, "importpath.name" -> value; those of the
        deps (their x_defs) are added, and these win.
      cc_link_files: depset of the main package's C libraries (cdeps).
      buildinfo_path: the path `go version -m` shows for the file.
      require_plugin: fail unless the executable imports package plugin.
      main_std: the std the main package's compile took and built
        (emit_compile's result).
      godebug: the main package's default GODEBUG file (emit_compile's
        godebug), linked as runtime.godebugDefault, as by the go command.
      stamp: whether {KEY} placeholders in x_defs values are substituted
        from the workspace status (the linking target's stamp_enabled).
      plain_xdefs: -X definitions of the rules' own (runfiles paths), linked
        as written, never stamped; they win over xdefs.
      module_info: with the SDK's module graph (go_mod), give the build info
        the go command's mod and dep lines; not for the ruleset's commands.
    """
    variant = link_variant(mode)
    std = getattr(go.stdlib, variant)
    taken = main_std or deps_std(deps, variant)
    pkgs = linked_packages(ctx, deps, variant)
    user_xdefs = link_x_defs(ctx, deps, xdefs)  # the rule's own win
    for k in plain_xdefs:
        user_xdefs.pop(k, None)
    all_xdefs, stamped_xdefs, status_files = _stamped_xdefs(ctx, user_xdefs, stamp)
    all_xdefs.update(plain_xdefs)

    args = ctx.actions.args()
    args.add("link")
    sdk_args(go, args)
    args.add("-mode", mode)
    args.add("-o", out)
    args.add("-main", main)
    args.add("-stdimportcfg", std.importcfg)
    args.add_all(taken.lines, before_each = "-stdpkg")
    args.add_all(taken.trees, before_each = "-stdtree", expand_directories = False)
    args.add("-extld", go.cc)
    if pluginpath:
        args.add("-pluginpath", pluginpath)
    if require_plugin:
        args.add("-require-plugin")
    if godebug:
        args.add("-godebug", godebug)
    args.add("-buildinfo-path", buildinfo_path or pluginpath or str(ctx.label))
    args.add_all(build_info(go, mode), before_each = "-buildinfo")
    modules = [go.sdk.modules] if go.sdk.modules and module_info else []
    args.add_all(modules, before_each = "-modules")
    args.add_all(pkgs, before_each = "-pkg", map_each = _pkg_arg)
    for flag, defs in [("-X", all_xdefs), ("-Xstamp", stamped_xdefs)]:
        for k in sorted(defs):
            if "\0" in defs[k]:
                fail("%s: the x_defs value of %s holds a NUL character, which no command line can carry; remove it." % (ctx.label, k))
            args.add(flag, "%s=%s" % (k, defs[k]))
    args.add_all(status_files, before_each = "-stamp")

    # Shell-quoted, so that a value with a newline survives (see the builder's params.go).
    args.use_param_file("@shell-quoted:%s")
    args.set_param_file_format("shell")

    run_builder(
        ctx,
        go,
        arguments = [args],
        inputs = depset(
            [main, std.importcfg] + ([godebug] if godebug else []) + status_files + modules,
            transitive = [std.files, taken.files, taken.trees, go.sdk.tools, go.cc_files] +
                         [d.transitive_archives[variant] for d in deps] +
                         [d.cc_link_files for d in deps] +
                         ([cc_link_files] if cc_link_files else []),
        ),
        outputs = [out],
        env = go.cc_env,
        mnemonic = "GoLink",
        progress_message = "Linking %s" % out.short_path,
    )

def emit_executable(ctx, go, kind, sources, deps, importpath, mode = "exe", cgo = None, godebug = None, **link_args):
    """Compiles a main package (as -p main) and links it into <name>.

    Args:
      ctx: the rule context.
      go: the go_context struct.
      kind: "host" or "command"; decides the package checks.
      sources: struct from package_sources (srcs, embedsrcs).
      deps: list of GoLibraryInfo of the direct deps.
      importpath: what file positions are rewritten to, and the build info's path.
      mode: "exe" or "pie".
      cgo: struct from cgo_options, or None.
      godebug: for a command that stands in for a host (go_plugin_test's
        child), the host's default GODEBUG File, linked as the host's; a
        host computes its own from its main package.
      **link_args: more arguments of emit_link (xdefs, plain_xdefs,
        require_plugin, stamp).

    Returns:
      struct(exe, godebug): the executable File and its default GODEBUG
      File (None for the ruleset's commands, which keep the SDK's).
    """
    variant = link_variant(mode)
    main = ctx.actions.declare_file("_go/%s.main.a" % ctx.label.name)

    # The ruleset's own commands keep the SDK's GODEBUG defaults; a host
    # gets its main module's, as from the go command.
    own = ctx.actions.declare_file("_go/%s.godebug" % ctx.label.name) if kind == "host" else None
    main_std = emit_compile(ctx, go, kind, sources, deps, importpath, variant, main, packagepath = "main", cgo = cgo, godebug = own)
    godebug = own or godebug
    exe = ctx.actions.declare_file(ctx.label.name)
    emit_link(
        ctx,
        go,
        mode,
        main,
        deps,
        exe,
        buildinfo_path = importpath,
        cc_link_files = cgo.cdeps.link_files if cgo else None,
        main_std = main_std,
        godebug = godebug,
        module_info = kind != "command",
        **link_args
    )
    return struct(exe = exe, godebug = godebug)
