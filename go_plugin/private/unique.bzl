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
