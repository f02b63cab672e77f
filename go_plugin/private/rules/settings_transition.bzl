"""settings_transition: puts the build settings into the output path.

The public flags (//go_plugin:race, ...) are what users set; Bazel does not
put a flag set on the command line into the output directory, so a host
built with race=true and a plugin built later with the defaults would sit
side by side in bazel-bin. Every rule that reads the settings has this
incoming transition: it copies each public flag that differs from its
default into its internal twin (//go_plugin/private/settings:...), which the
rules read, and resets the public flag to its default. A value a transition
sets is part of the output path (bazel-out/<cpu>-<mode>-ST-<hash>), so:

- with the default settings the transition changes nothing: outputs stay in
  bazel-bin, where the docs say they are;
- with any other value they land in a directory of their own, one per
  combination of settings, and two builds with different settings never
  write the same files;
- a dep of a transitioned target sees the public flags at their defaults and
  keeps the internal values: applying the transition twice changes nothing,
  so a host, its plugins and the standard library share one configuration.
"""

# Each setting, by name, and its default; the same in //go_plugin:BUILD.bazel
# and //go_plugin/private/settings:BUILD.bazel.
SETTING_DEFAULTS = {
    "tags": [],
    "trimpath": True,
    "gcflags": [],
    "race": False,
    "cgo": True,
    "std_packages": [],
}

# str(Label(...)) spells the labels as this Bazel resolves them, from the
# main workspace, from another one (WORKSPACE) and from a module (bzlmod).
_PUBLIC = {name: str(Label("//go_plugin:" + name)) for name in SETTING_DEFAULTS}
_INTERNAL = {name: str(Label("//go_plugin/private/settings:" + name)) for name in SETTING_DEFAULTS}

def _normalized(value):
    # --flag= gives [""]: the same as the default for a list.
    if type(value) == "list":
        return [v for v in value if v]
    return value

def _settings_transition_impl(settings, _attr):
    out = {}
    for name, default in SETTING_DEFAULTS.items():
        public = _normalized(settings[_PUBLIC[name]])
        if public != default:
            out[_INTERNAL[name]] = public
        else:
            out[_INTERNAL[name]] = settings[_INTERNAL[name]]
        out[_PUBLIC[name]] = default
    return out

settings_transition = transition(
    implementation = _settings_transition_impl,
    inputs = _PUBLIC.values() + _INTERNAL.values(),
    outputs = _PUBLIC.values() + _INTERNAL.values(),
)

# The attribute a rule with settings_transition needs: Bazel 4 requires the
# allowlist on a rule with a Starlark transition; Bazel 7 and later no longer
# do, but accept it.
TRANSITION_ATTRS = {
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}
