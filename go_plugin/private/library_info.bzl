"""GoLibraryInfo: building it for a package, and reading it from deps.

Shared by go_library and the aspect that compiles rules_go go_library
targets, so a package has the same provider whichever rule declared it.
"""

load(":providers.bzl", "GoLibraryInfo", "RulesGoSourceInfo", "VARIANTS")

def library_info(ctx, importpath, archives, deps, packagepath = None, x_defs = {}, cc_link_files = None, data = [], std = {}):
    """Builds the GoLibraryInfo of a package from its archives and deps.

    Args:
      ctx: the rule or aspect context; its label names the package's target.
      importpath: the path sources import the package by.
      archives: dict variant -> archive File.
      deps: list of GoLibraryInfo of the direct deps.
      packagepath: the compiler's and linker's package path, if not importpath.
      x_defs: dict "<packagepath>.<var>" -> value, -X definitions for every
        link that takes this package in.
      cc_link_files: depset of the package's C libraries (cdeps), for the link.
      data: list of Files the package needs at run time.
      std: dict variant -> the std the package's compile took and built
        (emit_compile's result), which covers its deps'.

    Returns:
      The GoLibraryInfo.
    """
    packagepath = packagepath or importpath
    pkg = {
        v: struct(importpath = importpath, packagepath = packagepath, label = ctx.label, archive = archives[v])
        for v in VARIANTS
    }
    return GoLibraryInfo(
        importpath = importpath,
        packagepath = packagepath,
        label = ctx.label,
        archives = archives,
        transitive = {
            v: depset([pkg[v]], transitive = [d.transitive[v] for d in deps])
            for v in VARIANTS
        },
        transitive_archives = {
            v: depset([archives[v]], transitive = [d.transitive_archives[v] for d in deps])
            for v in VARIANTS
        },
        data = depset(data, transitive = [d.data for d in deps]),
        x_defs = depset(
            [struct(name = k, value = x_defs[k], label = ctx.label) for k in sorted(x_defs)],
            transitive = [d.x_defs for d in deps],
        ),
        cc_link_files = depset(transitive = ([cc_link_files] if cc_link_files else []) + [d.cc_link_files for d in deps]),
        std = {v: std[v] if v in std else deps_std(deps, v) for v in VARIANTS},
    )

def deps_std(deps, variant, own = []):
    """The std a package takes beyond the predicted set, in one variant.

    Args:
      deps: the package's GoLibraryInfo deps.
      variant: "normal" or "dynlink".
      own: go_stdlib's struct(files, lines) of each std package the package
        itself imports, as listed at setup.

    Returns:
      struct(files, lines, trees): those archives and their deps', their
      importpath=archive pairs, and the deps' std delta trees.
    """
    return struct(
        files = depset(transitive = [c.files for c in own] + [d.std[variant].files for d in deps]),
        lines = depset(transitive = [c.lines for c in own] + [d.std[variant].lines for d in deps]),
        trees = depset(transitive = [d.std[variant].trees for d in deps]),
    )

def library_deps(label, targets, attr_name = "deps"):
    """The GoLibraryInfo of each target of a deps attribute, checked.

    A dep is either a go_library of this ruleset or a rules_go go_library,
    which the deps aspect compiles into a GoLibraryInfo. Anything else, and two
    deps with one import path, get an error that says what to change.

    Args:
      label: the target whose attribute this is, for messages.
      targets: the attribute's targets.
      attr_name: the attribute's name, for messages.

    Returns:
      A list of GoLibraryInfo, in attribute order.
    """
    infos = []
    by_importpath = {}
    for t in targets:
        if GoLibraryInfo not in t:
            if RulesGoSourceInfo in t:
                fail("%s: %s %s is a rules_go go_library with no importpath, here or in a library it embeds; set importpath on it (the path Go files import it by) to use it from rules_go_plugin." % (
                    label,
                    attr_name,
                    t.label,
                ))
            fail("%s: %s %s is not a Go library: %s takes go_library targets of rules_go_plugin or of rules_go (@io_bazel_rules_go//go:def.bzl)." % (
                label,
                attr_name,
                t.label,
                attr_name,
            ))
        info = t[GoLibraryInfo]
        other = by_importpath.get(info.importpath)
        if other and other.label != info.label:
            fail("%s: %s %s and %s both have importpath %s; a package can import only one of them, so keep one in %s." % (
                label,
                attr_name,
                other.label,
                info.label,
                info.importpath,
                attr_name,
            ))
        by_importpath[info.importpath] = info
        infos.append(info)
    return infos
