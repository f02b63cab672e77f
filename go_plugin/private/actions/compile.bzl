"""The compile action: one Go package into an archive, in one variant."""

load("//go_plugin/private:context.bzl", "sdk_args")

def _embed_arg(pair):
    return "%s=%s" % (pair[0], pair[1].path)

def emit_compile(ctx, go, kind, sources, deps, importpath, variant, out, packagepath = None, cgo = None):
    """Declares the action that checks and compiles one package.

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
    """
    std = getattr(go.stdlib, variant)
    args = ctx.actions.args()
    args.add("compile")
    sdk_args(go, args)
    args.add("-kind", kind)
    args.add("-importpath", importpath)
    args.add("-p", packagepath or importpath)
    args.add("-stdimportcfg", std.importcfg)
    if variant == "dynlink":
        args.add("-dynlink")
    if go.settings.std_packages:
        args.add("-std-subset")
    args.add("-cc", go.cc)
    cdep_files = []
    if cgo:
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
    args.add("-o", out)
    args.use_param_file("@%s")
    args.set_param_file_format("multiline")

    inputs = depset(
        sources.srcs + [f for _, f in sources.embedsrcs] + [d.archives[variant] for d in deps] + [std.importcfg],
        transitive = [std.files, go.sdk.tools, go.cc_files] + cdep_files,
    )
    ctx.actions.run(
        executable = go.builder,
        arguments = [args],
        inputs = inputs,
        outputs = [out],
        env = go.cc_env,
        mnemonic = "GoCompile",
        progress_message = "Compiling Go package %s (%s) for %s" % (importpath, variant, ctx.label),
    )
