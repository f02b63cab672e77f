"""The deps aspect: rules_go go_library targets compiled by rules_go_plugin.

Applied along deps (and embed) from every Go rule of this ruleset. On a
rules_go go_library it reads the rule's attributes and compiles the package
in this ruleset's configuration, with its standard library and settings, in
both variants, so the package has one hash in a host and in its plugins. A
go_proto_library is compiled the same way from the sources rules_go generated
(proto.bzl), with the runtime deps of its compilers, which the aspect reaches
through compilers (or compiler). On anything else (this ruleset's own
go_library, which has a GoLibraryInfo) it does nothing.
"""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:cgo.bzl", "cgo_options_of")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps", "library_info")
load("//go_plugin/private:providers.bzl", "GoLibraryInfo", "RulesGoSourceInfo", "VARIANTS")
load("//go_plugin/private:rules_go/embed.bzl", "merged_source_info")
load("//go_plugin/private:rules_go/proto.bzl", "proto_compiler_info", "proto_source_info")
load(
    "//go_plugin/private:rules_go/schema.bzl",
    "RULES_GO_LIBRARY_ATTRS",
    "RULES_GO_LIBRARY_KIND",
    "RULES_GO_PROTO_COMPILER_KIND",
    "RULES_GO_PROTO_LIBRARY_ATTRS",
    "RULES_GO_PROTO_LIBRARY_KIND",
    "RULES_GO_UNSUPPORTED_KINDS",
)
load("//go_plugin/private:sources.bzl", "check_sources")

_CGO_ATTRS = ["cdeps", "cppopts", "copts", "cxxopts", "clinkopts"]

def _check_schema(target, attr, kind, attrs, bzl):
    """Fails unless the target has every attribute the aspect reads."""
    missing = [name for name in attrs if not hasattr(attr, name)]
    if missing:
        fail("%s: this %s has no attribute %s, which rules_go's %s has; rules_go_plugin compiles rules_go %s targets (@io_bazel_rules_go//%s) and its own go_library, and cannot tell what this rule declares." % (
            target.label,
            kind,
            ", ".join(missing),
            kind,
            kind,
            bzl,
        ))

def _check_supported(target, attr):
    """Refuses what would break the one-configuration guarantee or cannot be applied."""
    if attr.gc_goopts:
        fail("%s: gc_goopts = %r: per-package compiler flags would give this package another hash in a host than in a plugin built with different ones, so rules_go_plugin takes compiler flags only build-wide. Remove gc_goopts and set --@rules_go_plugin//go_plugin:gcflags=... for the whole build." % (
            target.label,
            attr.gc_goopts,
        ))
    x_defs = getattr(attr, "x_defs", {})  # go_proto_library has none
    for k in sorted(x_defs):
        # {KEY} workspace status placeholders are fine: the link stamps them.
        if "$(" in x_defs[k]:
            fail("%s: x_defs[%r] = %r: rules_go_plugin does not expand $(location) or make variables in x_defs. Write the value itself ({KEY} placeholders of workspace status keys are stamped, see docs/rules.md#stamping)." % (
                target.label,
                k,
                x_defs[k],
            ))

def _embedded_sources(target, attr):
    """The RulesGoSourceInfo of each library in embed, checked."""
    infos = []
    for e in attr.embed:
        if RulesGoSourceInfo not in e:
            # rules_go itself takes only targets with its GoInfo in embed.
            fail("%s: embed %s is a %s, not a rules_go go_library or go_proto_library; rules_go_plugin merges only those into a package." % (
                target.label,
                e.label,
                "go_library of rules_go_plugin" if GoLibraryInfo in e else "target",
            ))
        infos.append(e[RulesGoSourceInfo])
    return infos

def _source_info(target, ctx):
    """What the target declares, with its embedded libraries merged in, as rules_go does."""
    attr = ctx.rule.attr
    own = struct(
        importpath = attr.importpath,
        importmap = attr.importmap,
        srcs = ctx.rule.files.srcs,
        proto_srcs = [],
        embedsrcs = ctx.rule.files.embedsrcs,
        data = ctx.rule.files.data,
        deps = attr.deps,
        x_defs = attr.x_defs,
        cgo = struct(label = target.label, enabled = attr.cgo, **{name: getattr(attr, name) for name in _CGO_ATTRS}),
    )
    return merged_source_info(target.label, own, _embedded_sources(target, attr))

def _compile(ctx, src):
    """Compiles the package in both variants; returns its GoLibraryInfo."""
    go = go_context(ctx)

    # Generated proto sources sit in rules_go's output directory, not the
    # package's: the package directory is that of the other sources.
    sources = check_sources(src.label, src.srcs or src.proto_srcs, src.embedsrcs)
    if src.srcs and src.proto_srcs:
        sources = struct(srcs = sources.srcs + src.proto_srcs, embedsrcs = sources.embedsrcs, dir = sources.dir)
    deps = library_deps(src.label, src.deps)
    packagepath = src.importmap or src.importpath

    # rules_go's copts are for C (and assembly), not C++: conlyopts here.
    cgo = cgo_options_of(
        src.label,
        cdeps = src.cgo.cdeps,
        cppopts = src.cgo.cppopts,
        conlyopts = src.cgo.copts,
        cxxopts = src.cgo.cxxopts,
        clinkopts = src.cgo.clinkopts,
    )
    archives = {}
    std = {}
    for variant in VARIANTS:
        # Beside rules_go's own outputs of the target, under a directory of
        # our own so the names never collide.
        archives[variant] = ctx.actions.declare_file("_go_plugin/%s%s.a" % (
            ctx.label.name,
            "" if variant == "normal" else "." + variant,
        ))
        std[variant] = emit_compile(ctx, go, "library", sources, deps, src.importpath, variant, archives[variant], packagepath = packagepath, cgo = cgo)
    x_defs = {
        (k if "." in k else packagepath + "." + k): v
        for k, v in src.x_defs.items()
    }
    return library_info(ctx, src.importpath, archives, deps, packagepath = packagepath, x_defs = x_defs, cc_link_files = cgo.cdeps.link_files, data = src.data, std = std)

def _rules_go_library_aspect_impl(target, ctx):
    if GoLibraryInfo in target:
        return []  # this ruleset's go_library
    kind = ctx.rule.kind
    if kind in RULES_GO_UNSUPPORTED_KINDS:
        fail("%s: a %s in deps of a rules_go_plugin target: %s." % (target.label, kind, RULES_GO_UNSUPPORTED_KINDS[kind]))
    if kind == RULES_GO_PROTO_COMPILER_KIND:
        return [proto_compiler_info(target, ctx)]
    attr = ctx.rule.attr
    if kind == RULES_GO_PROTO_LIBRARY_KIND:
        _check_schema(target, attr, kind, RULES_GO_PROTO_LIBRARY_ATTRS, "proto:def.bzl")
        _check_supported(target, attr)
        src = proto_source_info(target, ctx, _embedded_sources(target, attr))
    elif kind == RULES_GO_LIBRARY_KIND:
        _check_schema(target, attr, kind, RULES_GO_LIBRARY_ATTRS, "go:def.bzl")
        _check_supported(target, attr)
        src = _source_info(target, ctx)
    else:
        return []  # not a Go library; library_deps says so where it is used
    if not src.importpath:
        # Perhaps only embedded into another library; a deps use of it
        # fails in library_deps, which says to set importpath.
        return [src]
    return [src, _compile(ctx, src)]

rules_go_library_aspect = aspect(
    implementation = _rules_go_library_aspect_impl,
    # compilers and compiler: go_proto_library's, to its runtime deps.
    attr_aspects = ["deps", "embed", "compilers", "compiler"],
    attrs = GO_TOOL_ATTRS,
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = "Compiles rules_go go_library and go_proto_library targets reached through deps in this ruleset's configuration.",
)
