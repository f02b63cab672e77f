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
