"""The deps aspect: rules_go go_library targets compiled by rules_go_plugin.

Applied along deps (and embed) from every Go rule of this ruleset. On a
rules_go go_library it reads the rule's attributes and compiles the package
in this ruleset's configuration, with its standard library and settings, in
both variants, so the package has one hash in a host and in its plugins. On
anything else (this ruleset's own go_library, which has a GoLibraryInfo) it
does nothing.
"""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:cgo.bzl", "cgo_options_of")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps", "library_info")
load("//go_plugin/private:providers.bzl", "GoLibraryInfo", "RulesGoSourceInfo", "VARIANTS")
load("//go_plugin/private:rules_go/schema.bzl", "RULES_GO_LIBRARY_ATTRS", "RULES_GO_LIBRARY_KIND", "RULES_GO_UNSUPPORTED_KINDS")
load("//go_plugin/private:sources.bzl", "check_sources")

_CGO_ATTRS = ["cdeps", "cppopts", "copts", "cxxopts", "clinkopts"]

def _check_schema(target, attr):
    """Fails unless the target has every attribute the aspect reads."""
    missing = [name for name in RULES_GO_LIBRARY_ATTRS if not hasattr(attr, name)]
    if missing:
        fail("%s: this go_library has no attribute %s, which rules_go's go_library has; rules_go_plugin compiles rules_go go_library targets (@io_bazel_rules_go//go:def.bzl) and its own, and cannot tell what this rule declares." % (
            target.label,
            ", ".join(missing),
        ))

def _check_supported(target, attr):
    """Refuses what would break the one-configuration guarantee or cannot be applied."""
    if attr.gc_goopts:
        fail("%s: gc_goopts = %r: per-package compiler flags would give this package another hash in a host than in a plugin built with different ones, so rules_go_plugin takes compiler flags only build-wide. Remove gc_goopts and set --@rules_go_plugin//go_plugin:gcflags=... for the whole build." % (
            target.label,
            attr.gc_goopts,
        ))
    for k in sorted(attr.x_defs):
        # {KEY} workspace status placeholders are fine: the link stamps them.
        if "$(" in attr.x_defs[k]:
            fail("%s: x_defs[%r] = %r: rules_go_plugin does not expand $(location) or make variables in x_defs. Write the value itself ({KEY} placeholders of workspace status keys are stamped, see docs/rules.md#stamping)." % (
                target.label,
                k,
                attr.x_defs[k],
            ))

def _embedded_sources(target, attr):
    """The RulesGoSourceInfo of each library in embed, checked."""
    infos = []
    for e in attr.embed:
        if RulesGoSourceInfo not in e:
            # rules_go itself takes only targets with its GoInfo in embed.
            fail("%s: embed %s is a %s, not a rules_go go_library; rules_go_plugin merges only go_library targets into a package." % (
                target.label,
                e.label,
                "go_library of rules_go_plugin" if GoLibraryInfo in e else "target",
            ))
        infos.append(e[RulesGoSourceInfo])
    return infos

def _source_info(target, ctx):
    """What the target declares, with its embedded libraries merged in, as rules_go does."""
    attr = ctx.rule.attr
    embedded = _embedded_sources(target, attr)
    importpath = attr.importpath
    importmap = attr.importmap
    if not importpath:
        # Inherited from the first embedded library that has one, with its importmap.
        for e in embedded:
            if e.importpath:
                importpath = e.importpath
                importmap = importmap or e.importmap
                break
    srcs = []
    embedsrcs = []
    data = []
    deps = []
    x_defs = {}
    cgo = struct(label = target.label, enabled = attr.cgo, **{name: getattr(attr, name) for name in _CGO_ATTRS})
    for e in embedded:
        srcs += e.srcs
        embedsrcs += e.embedsrcs
        data += e.data
        deps += e.deps
        x_defs.update(e.x_defs)
        if e.cgo.enabled:
            cgo = e.cgo
    x_defs.update(attr.x_defs)
    return RulesGoSourceInfo(
        label = target.label,
        importpath = importpath,
        importmap = importmap,
        srcs = srcs + ctx.rule.files.srcs,
        embedsrcs = embedsrcs + ctx.rule.files.embedsrcs,
        data = data + ctx.rule.files.data,
        deps = _unique_targets(attr.deps + deps),
        x_defs = x_defs,
        cgo = cgo,
    )

def _unique_targets(targets):
    seen = {}
    out = []
    for t in targets:
        if t.label not in seen:
            seen[t.label] = True
            out.append(t)
    return out

def _compile(ctx, src):
    """Compiles the package in both variants; returns its GoLibraryInfo."""
    go = go_context(ctx)
    sources = check_sources(src.label, src.srcs, src.embedsrcs)
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
    std_deltas = {}
    for variant in VARIANTS:
        # Beside rules_go's own outputs of the target, under a directory of
        # our own so the names never collide.
        archives[variant] = ctx.actions.declare_file("_go_plugin/%s%s.a" % (
            ctx.label.name,
            "" if variant == "normal" else "." + variant,
        ))
        std_deltas[variant] = emit_compile(ctx, go, "library", sources, deps, src.importpath, variant, archives[variant], packagepath = packagepath, cgo = cgo)
    x_defs = {
        (k if "." in k else packagepath + "." + k): v
        for k, v in src.x_defs.items()
    }
    return library_info(ctx, src.importpath, archives, deps, packagepath = packagepath, x_defs = x_defs, cc_link_files = cgo.cdeps.link_files, data = src.data, std_deltas = std_deltas)

def _rules_go_library_aspect_impl(target, ctx):
    if GoLibraryInfo in target:
        return []  # this ruleset's go_library
    kind = ctx.rule.kind
    if kind in RULES_GO_UNSUPPORTED_KINDS:
        fail("%s: a %s in deps of a rules_go_plugin target: %s." % (target.label, kind, RULES_GO_UNSUPPORTED_KINDS[kind]))
    if kind != RULES_GO_LIBRARY_KIND:
        return []  # not a Go library; library_deps says so where it is used
    attr = ctx.rule.attr
    _check_schema(target, attr)
    _check_supported(target, attr)
    src = _source_info(target, ctx)
    if not src.importpath:
        # Perhaps only embedded into another library; a deps use of it
        # fails in library_deps, which says to set importpath.
        return [src]
    return [src, _compile(ctx, src)]

rules_go_library_aspect = aspect(
    implementation = _rules_go_library_aspect_impl,
    attr_aspects = ["deps", "embed"],
    attrs = GO_TOOL_ATTRS,
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = "Compiles rules_go go_library targets reached through deps in this ruleset's configuration.",
)
