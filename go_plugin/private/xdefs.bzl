"""The -X definitions that libraries ask of the links that take them in."""

def library_x_defs(ctx, deps):
    """Collects the x_defs of every library a link takes in.

    rules_go go_library targets carry x_defs; a host, a plugin and a
    go_plugin_test that link such a library all apply them, so a shared
    package has the same values on both sides.

    Args:
      ctx: the rule context, for messages.
      deps: GoLibraryInfo of the main package's direct deps.

    Returns:
      dict "<packagepath>.<var>" -> value.
    """
    found = {}
    for x in depset(transitive = [d.x_defs for d in deps]).to_list():
        other = found.get(x.name)
        if other and other.value != x.value:
            fail("%s: x_defs of %s and %s set %s to different values (%r and %r); a variable has one value per link, so set it in one place." % (
                ctx.label,
                other.label,
                x.label,
                x.name,
                other.value,
                x.value,
            ))
        found[x.name] = x
    return {name: x.value for name, x in found.items()}

def refuse_lost_plugin_x_defs(ctx, host_label, host_packages, host_xdefs, plugins):
    """Fails when a plugin sets a variable of a package the host links too, to another value.

    At run time a package the host links is the host's copy, in the plugin
    too (the plugin's symbols resolve to the host's), so the plugin's -X
    value is never seen. Only the host's non-standard packages are known at
    analysis; a plugin's x_defs on a std package are not checked.

    Args:
      ctx: the rule context, for messages.
      host_label: the host's Label.
      host_packages: the package paths of the host's non-standard packages (a dict or list).
      host_xdefs: dict of the -X definitions the host's link applies.
      plugins: list of GoPluginInfo.
    """
    for p in plugins:
        for name in sorted(p.x_defs):
            pkg = name.rpartition(".")[0]
            if pkg not in host_packages or host_xdefs.get(name) == p.x_defs[name]:
                continue
            fail(("%s: plugin %s sets %s to %r (its x_defs, or those of a library it links), but the host %s links package %s too, " +
                  "and at run time the plugin uses the host's copy, where %s: the plugin's value is lost. Set it where the host " +
                  "gets it: in the host's x_defs, or on a go_library both link.") % (
                ctx.label,
                p.label,
                name,
                p.x_defs[name],
                host_label,
                pkg,
                "it is %r" % host_xdefs[name] if name in host_xdefs else "it keeps its value from the source",
            ))

def link_x_defs(ctx, deps, own):
    """The -X definitions a link applies: its libraries', then its own, which win.

    Args:
      ctx: the rule context, for messages.
      deps: GoLibraryInfo of the main package's direct deps.
      own: dict of the rule's own definitions.

    Returns:
      dict "<packagepath>.<var>" -> value.
    """
    found = library_x_defs(ctx, deps)
    found.update(own)
    return found
