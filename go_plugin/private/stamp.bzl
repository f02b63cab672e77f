"""Stamping: workspace status keys in x_defs values, substituted at link time.

Whether a link is stamped is the linking target's choice (its stamp
attribute, or --stamp); a library's x_defs are stamped by every link that
takes them in. Only the link reads the status files, so stamping never
changes a package's hash.
"""

StampInfo = provider(
    doc = "Whether --stamp is on in this configuration.",
    fields = {"enabled": "bool"},
)

def _stamp_setting_impl(ctx):
    return [StampInfo(enabled = ctx.attr.enabled)]

# --stamp is read through a config_setting on values = {"stamp": "1"}, the
# one way that works from Bazel 4 to 9 (ctx.configuration.stamp_binaries()
# is not for Starlark rules). The rules' settings transition leaves --stamp
# alone, so the setting sees the command line's value.
stamp_setting = rule(
    implementation = _stamp_setting_impl,
    attrs = {"enabled": attr.bool()},
    doc = "Carries --stamp to the rules: enabled = select() on a config_setting.",
)

_STAMP_DOC = "Whether `{KEY}` placeholders of workspace status keys in x_defs values (this target's and its deps') are substituted at link time: 1 always, 0 never, -1 with `--stamp` only. Unstamped, an x_defs value with a placeholder is not set at all (the variable keeps its value from the source), as with rules_go. See [Stamping](rules.md#stamping)."

_STAMP_SETTING = attr.label(
    default = Label("//go_plugin/private:stamp"),
    providers = [StampInfo],
)

# A constant, not a function, so that tools/docgen can read the attributes.
# The default is Bazel's for binaries (go_plugin_host, go_plugin); a
# go_plugin_test has none: its child is stamped as its host is.
BINARY_STAMP_ATTRS = {
    "stamp": attr.int(default = -1, values = [-1, 0, 1], doc = _STAMP_DOC),
    "_stamp_setting": _STAMP_SETTING,
}

def stamp_enabled(ctx):
    """Whether the target's link substitutes workspace status keys."""
    if ctx.attr.stamp == -1:
        return ctx.attr._stamp_setting[StampInfo].enabled
    return ctx.attr.stamp == 1

# The keys Bazel writes to stable-status.txt besides the STABLE_ ones of the
# workspace status command; every other key is in volatile-status.txt.
_STABLE_KEYS = ["BUILD_EMBED_LABEL", "BUILD_HOST", "BUILD_USER"]

# A key as Bazel documents them (upper case letters and underscores; digits
# taken too). Other text in braces, such as JSON, is left as written.
_KEY_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_KEY_CHARS = _KEY_START + "0123456789"

def stamp_keys(value):
    """The workspace status keys a value names as {KEY}.

    tools/builder/stamp.go matches keys the same way.

    Args:
      value: an x_defs value.

    Returns:
      A list of keys, in order.
    """
    keys = []
    for part in value.split("{")[1:]:
        name, brace, _ = part.partition("}")
        if brace and name and name[0] in _KEY_START and not [c for c in name.elems() if c not in _KEY_CHARS]:
            keys.append(name)
    return keys

def is_stable_key(key):
    """Whether Bazel writes key to stable-status.txt (ctx.info_file)."""
    return key.startswith("STABLE_") or key in _STABLE_KEYS
