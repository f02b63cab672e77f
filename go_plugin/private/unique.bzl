"""Finding two targets that claim the same name (import path, pluginpath)."""

def first_duplicate(items, key):
    """Returns the first two items with the same non-empty key from different targets.

    Args:
      items: structs with a `label` field.
      key: function(item) -> string; items whose key is empty are skipped.

    Returns:
      (earlier, later), or None when every key is unique.
    """
    seen = {}
    for item in items:
        k = key(item)
        if not k:
            continue
        other = seen.get(k)
        if other and other.label != item.label:
            return (other, item)
        seen[k] = item
    return None

def refuse_repeated_plugins(ctx, plugins):
    """Fails when one plugin target is listed twice (for example once through an alias).

    Bazel refuses a label written twice in a list, but not an alias and its
    target; the runtime would refuse the second copy ("plugin already loaded").

    Args:
      ctx: the rule context, for the message.
      plugins: the GoPluginInfo of the plugins attribute, in order.
    """
    seen = {}
    for p in plugins:
        if p.label in seen:
            fail("%s: plugin %s is listed twice in plugins (once through an alias?); a host can load a plugin once. List it once." % (ctx.label, p.label))
        seen[p.label] = True
