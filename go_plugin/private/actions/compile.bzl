"""The compile action: one Go package into an archive, in one variant."""

load("//go_plugin/private:actions/run.bzl", "run_builder")
load("//go_plugin/private:context.bzl", "sdk_args")

def _embed_arg(pair):
    return "%s=%s" % (pair[0], pair[1].path)

def _emit_std_delta(ctx, go, sources, deps, variant, out):
    """Declares the action that compiles the std packages the prediction missed.

    go_stdlib builds a predicted set of std packages; this action compiles
    what the package's sources import beyond it and beyond its deps' deltas,
    into a tree artifact (empty when the prediction covered everything). It
    may need any std package's sources, so it takes them as the SDK's std
    source bundle: one input where the files themselves would be thousands
    to stage in the sandbox.

    Returns:
      The tree artifact.
    """
    std = getattr(go.stdlib, variant)
    tree = ctx.actions.declare_directory(out.basename + ".std", sibling = out)
    dep_trees = depset(transitive = [d.std_deltas[variant] for d in deps])
    args = ctx.actions.args()
    args.add("stddelta")
    sdk_args(go, args)
    args.add("-stdimportcfg", std.importcfg)
    args.add("-cc", go.cc)
    args.add("-stdsrc", go.sdk.std_bundle)
    args.add("-stdplan", go.sdk.std_plan)
    if variant == "dynlink":
        args.add("-dynlink")
    args.add_all(sources.srcs, before_each = "-src")
    args.add_all([d.importpath for d in deps], before_each = "-dep")
    args.add_all(dep_trees, before_each = "-stdtree", expand_directories = False)
    args.add("-o", tree.path)
    args.use_param_file("@%s")
    args.set_param_file_format("multiline")
    run_builder(
        ctx,
        go,
        arguments = [args],
        inputs = depset(
            sources.srcs + [std.importcfg, go.sdk.std_bundle, go.sdk.std_plan],
            transitive = [std.files, dep_trees, go.sdk.tools, go.cc_files],
        ),
        outputs = [tree],
        env = go.cc_env,
        mnemonic = "GoStdDelta",
        progress_message = "Checking the standard library imports of %s (%s)" % (ctx.label, variant),
    )
    return tree

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
      The package's std delta: a tree artifact of the std packages it
      imports that the build's predicted std and its deps' deltas lack.
    """
    std = getattr(go.stdlib, variant)
    delta = _emit_std_delta(ctx, go, sources, deps, variant, out)
    trees = depset([delta], transitive = [d.std_deltas[variant] for d in deps])
    args = ctx.actions.args()
    args.add("compile")
    sdk_args(go, args)
    args.add("-kind", kind)
    args.add("-importpath", importpath)
    args.add("-p", packagepath or importpath)
    args.add("-stdimportcfg", std.importcfg)
    args.add_all(trees, before_each = "-stdtree", expand_directories = False)
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
        sources.srcs + [f for _, f in sources.embedsrcs] + [d.archives[variant] for d in deps] + [std.importcfg] + go_cmd + modules,
        transitive = [std.files, trees, go.sdk.tools, go.cc_files] + cdep_files,
    )
    run_builder(
        ctx,
        go,
        arguments = [args],
        inputs = inputs,
        outputs = [out] + ([godebug] if godebug else []),
        env = go.cc_env,
        mnemonic = "GoCompile",
        progress_message = "Compiling Go package %s (%s) for %s" % (importpath, variant, ctx.label),
    )
    return delta
