"""The compile action: one Go package into an archive, in one variant."""

load("//go_plugin/private:actions/run.bzl", "run_builder")
load("//go_plugin/private:context.bzl", "sdk_args")
load("//go_plugin/private:library_info.bzl", "deps_std")

def _embed_arg(pair):
    return "%s=%s" % (pair[0], pair[1].path)

def _listed_std(go, kind, importpath, sources):
    """The std imports the SDK's setup listed for this package, or [].

    Looked up by import path, then (main packages, whose import path the
    rules do not know) by the directory of the first source file.
    """
    if kind == "command":
        return []  # the ruleset's own tools: not in the user's module
    listed = go.sdk.package_std.get(importpath)
    if listed == None:
        for f in sources.srcs:
            if f.is_source and not f.owner.workspace_root:
                listed = go.sdk.package_std.get("//" + f.dirname)
                break
    return listed or []

def _std_of(go, variant, kind, importpath, sources, deps):
    """What a compile takes of std besides the predicted set.

    Returns:
      struct(files, lines, trees): the archives of the std packages the
      package imports (as listed at setup) and those its deps take, with
      their closures; their importpath=archive pairs; the deps' std deltas.
    """
    packages = getattr(go.stdlib, variant).packages
    return deps_std(deps, variant, own = [packages[p] for p in _listed_std(go, kind, importpath, sources) if p in packages])

def emit_compile(ctx, go, kind, sources, deps, importpath, variant, out, packagepath = None, cgo = None, godebug = None):
    """Declares the actions that check and compile one package.

    Args:
      ctx: the rule context.
      go: the go_context struct.
      kind: "library", "plugin" or "host"; decides the package checks.
      sources: struct from package_sources (srcs, embedsrcs).
      deps: list of GoLibraryInfo of the direct deps.
      importpath: the import path; file positions are rewritten to it.
      variant: "normal" or "dynlink".
      out: the archive File to write.
      packagepath: the compiler's -p, if not importpath.
      cgo: struct from cgo_options (cppopts, copts, conlyopts, cxxopts, clinkopts, cdeps), or None.
      godebug: for a plugin's or host's main package, the File to write its
        default GODEBUG into (the main module's go line and godebug lines,
        and the package's //go:debug lines, as the go command decides), for
        the link.

    Returns:
      The package's std, for its GoLibraryInfo and the link: struct(files,
      lines, trees), as _std_of says, with trees holding the package's own
      std delta: a tree artifact of the std packages its sources import and
      no input provides, which the compile builds itself (usually empty).
    """
    std = getattr(go.stdlib, variant)
    taken = _std_of(go, variant, kind, importpath, sources, deps)
    delta = ctx.actions.declare_directory(out.basename + ".std", sibling = out)
    args = ctx.actions.args()
    args.add("compile")
    sdk_args(go, args)
    args.add("-kind", kind)
    args.add("-importpath", importpath)
    args.add("-p", packagepath or importpath)
    args.add("-stdimportcfg", std.importcfg)
    args.add_all(taken.lines, before_each = "-stdpkg")
    args.add_all(taken.trees, before_each = "-stdtree", expand_directories = False)

    # What no input has, the compile builds into its delta: it may need any
    # std package's sources, so it takes them as one input, the SDK's std
    # source bundle (std's 3700 files would each be staged in the sandbox).
    args.add("-stddelta", delta.path)
    args.add("-stdsrc", go.sdk.std_bundle)
    args.add("-stdplan", go.sdk.std_plan)
    if variant == "dynlink":
        args.add("-dynlink")
    args.add("-cc", go.cc)
    cdep_files = []
    if cgo:
        # The C++ toolchain's flags first, so the target's own win.
        args.add_all(go.cc_conlyopts, before_each = "-conlyopt")
        args.add_all(go.cc_cxxopts, before_each = "-cxxopt")
        args.add_all(cgo.cppopts, before_each = "-cppopt")
        args.add_all(cgo.copts, before_each = "-copt")
        args.add_all(cgo.conlyopts, before_each = "-conlyopt")
        args.add_all(cgo.cxxopts, before_each = "-cxxopt")
        args.add_all(cgo.clinkopts, before_each = "-clinkopt")
        args.add_all(cgo.cdeps.includes, before_each = "-cdep-include")
        args.add_all(cgo.cdeps.defines, before_each = "-cdep-define")
        args.add_all(cgo.cdeps.libs, before_each = "-cdep-lib")
        cdep_files = [cgo.cdeps.files]
    args.add_all(sources.srcs, before_each = "-src")
    args.add_all(
        ["%s=%s" % (d.importpath, d.archives[variant].path) for d in deps],
        before_each = "-dep",
    )

    # A dep whose package path differs (rules_go's importmap) is imported by
    # its importpath and known to the compiler by its package path.
    args.add_all(
        ["%s=%s" % (d.importpath, d.packagepath) for d in deps if d.packagepath != d.importpath],
        before_each = "-importmap",
    )
    args.add_all(sources.embedsrcs, before_each = "-embedsrc", map_each = _embed_arg)

    # The go command's positions and -lang, from the main module's graph;
    # not for the ruleset's own commands, which no plugin shares.
    modules = [go.sdk.modules] if go.sdk.modules and kind != "command" else []
    args.add_all(modules, before_each = "-modules")
    go_cmd = []
    if godebug:
        main_module = go.sdk.main_module
        args.add("-godebugout", godebug)
        args.add("-maingo", main_module.go_version)
        args.add_all(main_module.godebug, before_each = "-maingodebug")
        args.add("-maingodebugdefault", main_module.default_godebug)
        go_cmd = [go.sdk.go]  # asked when the package has //go:debug lines
    args.add("-o", out)

    # Shell-quoted, so that an argument with a newline survives (see the builder's params.go).
    args.use_param_file("@shell-quoted:%s")
    args.set_param_file_format("shell")

    inputs = depset(
        sources.srcs + [f for _, f in sources.embedsrcs] + [d.archives[variant] for d in deps] +
        [std.importcfg, go.sdk.std_bundle, go.sdk.std_plan] + go_cmd + modules,
        transitive = [std.files, taken.files, taken.trees, go.sdk.tools, go.cc_files] + cdep_files,
    )
    run_builder(
        ctx,
        go,
        arguments = [args],
        inputs = inputs,
        outputs = [out, delta] + ([godebug] if godebug else []),
        env = go.cc_env,
        mnemonic = "GoCompile",
        progress_message = "Compiling Go package %s (%s) for %s" % (importpath, variant, ctx.label),
    )
    return struct(files = taken.files, lines = taken.lines, trees = depset([delta], transitive = [taken.trees]))
