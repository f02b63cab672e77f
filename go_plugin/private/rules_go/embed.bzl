"""Merging embedded libraries into a rules_go package, as rules_go merges them."""

load("//go_plugin/private:providers.bzl", "RulesGoSourceInfo")

def merged_source_info(label, own, embedded):
    """What a rules_go library declares with the libraries it embeds merged in.

    As rules_go does: the embedded libraries' sources, embedsrcs, data and
    deps come first, their x_defs are overridden by the target's own, the
    first embedded library with an importpath gives it (with its importmap)
    to a target without one, and an embedded cgo library makes the package
    a cgo one.

    Args:
      label: the Label of the target.
      own: struct(importpath, importmap, srcs, proto_srcs, embedsrcs, data,
        deps, x_defs, cgo) of the target itself.
      embedded: the RulesGoSourceInfo of each library in its embed.

    Returns:
      RulesGoSourceInfo.
    """
    importpath = own.importpath
    importmap = own.importmap
    if not importpath:
        for e in embedded:
            if e.importpath:
                importpath = e.importpath
                importmap = importmap or e.importmap
                break
    srcs, proto_srcs, embedsrcs, data, deps = [], [], [], [], []
    x_defs = {}
    cgo = own.cgo
    for e in embedded:
        srcs += e.srcs
        proto_srcs += e.proto_srcs
        embedsrcs += e.embedsrcs
        data += e.data
        deps += e.deps
        x_defs.update(e.x_defs)
        if e.cgo.enabled:
            cgo = e.cgo
    x_defs.update(own.x_defs)
    return RulesGoSourceInfo(
        label = label,
        importpath = importpath,
        importmap = importmap,
        srcs = srcs + own.srcs,
        proto_srcs = proto_srcs + own.proto_srcs,
        embedsrcs = embedsrcs + own.embedsrcs,
        data = data + own.data,
        deps = _unique_targets(own.deps + deps),
        x_defs = x_defs,
        cgo = cgo,
    )

def _unique_targets(targets):
    """The targets, each label once, in order (compilers often share runtime deps)."""
    seen = {}
    out = []
    for t in targets:
        if t.label not in seen:
            seen[t.label] = True
            out.append(t)
    return out
