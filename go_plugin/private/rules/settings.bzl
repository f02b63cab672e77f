"""Build-wide settings of rules_go_plugin.

Everything that changes a package's hash is a setting of the whole build, not
of a target, so a host and its plugins are always built with the same values:

    --@rules_go_plugin//go_plugin:tags=netgo,prod
    --@rules_go_plugin//go_plugin:trimpath=false
    --@rules_go_plugin//go_plugin:gcflags=-N,-l
    --@rules_go_plugin//go_plugin:race=true
    --@rules_go_plugin//go_plugin:cgo=false   (hosts and libraries only: plugins need cgo)
    --@rules_go_plugin//go_plugin:std_packages=encoding/json,fmt,os,plugin

std_packages does not change any hash: it is a hint, std packages to compile
once for the whole build (see cmd/stdpackages and rules/stdlib.bzl).

Every rule reads them through one target, //go_plugin:settings, which reads
their internal twins (//go_plugin/private/settings:...): settings_transition.bzl
copies the flags there so that they are part of the output path. This
file alone spells them for each consumer: builder_setting_args for the
builder's actions (compile, link and the standard library's compile -std),
setting_flags for the build info `go version -m` shows.
"""

load("//go_plugin/private:providers.bzl", "GoSettingsInfo")

_FlagValueInfo = provider(doc = "The value of one build setting.", fields = ["value"])

def _flag_impl(ctx):
    return [_FlagValueInfo(value = ctx.build_setting_value)]

string_list_flag = rule(
    implementation = _flag_impl,
    build_setting = config.string_list(flag = True),
    doc = "A comma-separated list set on the command line.",
)

bool_flag = rule(
    implementation = _flag_impl,
    build_setting = config.bool(flag = True),
    doc = "A boolean set on the command line.",
)

string_list_setting = rule(
    implementation = _flag_impl,
    build_setting = config.string_list(flag = False),
    doc = "A list only a transition sets (settings_transition.bzl).",
)

bool_setting = rule(
    implementation = _flag_impl,
    build_setting = config.bool(flag = False),
    doc = "A boolean only a transition sets (settings_transition.bzl).",
)

# Compiler flags the ruleset sets itself, per package and variant; in the
# gcflags setting they break builds (-dynlink there makes every executable
# segfault at start). The builder refuses the same list (tools/builder/checks.go).
_OWNED_GCFLAGS = [
    "dynlink",
    "shared",
    "linkshared",
    "race",
    "msan",
    "asan",
    "p",
    "o",
    "trimpath",
    "importcfg",
    "importmap",
    "pack",
    "std",
    "compiling-runtime",
    "+",
    "complete",
    "buildid",
    "embedcfg",
    "symabis",
    "asmhdr",
    "linkobj",
    "nolocalimports",
    "D",
    "I",
]

def _check_gcflags(gcflags):
    for f in gcflags:
        if not f.startswith("-"):
            continue  # the value of the flag before it
        name = f.lstrip("-").split("=", 1)[0]
        if name in _OWNED_GCFLAGS:
            hint = {
                "race": "use --@rules_go_plugin//go_plugin:race=true",
                "trimpath": "use --@rules_go_plugin//go_plugin:trimpath",
            }.get(name, "it is set per package and variant")
            fail("--@rules_go_plugin//go_plugin:gcflags=%s: -%s is a compiler flag rules_go_plugin sets itself (%s); remove it from the setting." % (
                ",".join(gcflags),
                name,
                hint,
            ))

def _go_settings_impl(ctx):
    gcflags = [f for f in ctx.attr.gcflags_flag[_FlagValueInfo].value if f]
    _check_gcflags(gcflags)
    return [GoSettingsInfo(
        tags = [t for t in ctx.attr.tags_flag[_FlagValueInfo].value if t],
        trimpath = ctx.attr.trimpath_flag[_FlagValueInfo].value,
        gcflags = gcflags,
        race = ctx.attr.race_flag[_FlagValueInfo].value,
        cgo = ctx.attr.cgo_flag[_FlagValueInfo].value,
        std_packages = [p for p in ctx.attr.std_packages_flag[_FlagValueInfo].value if p],
    )]

go_settings = rule(
    implementation = _go_settings_impl,
    attrs = {
        "tags_flag": attr.label(mandatory = True, providers = [_FlagValueInfo]),
        "trimpath_flag": attr.label(mandatory = True, providers = [_FlagValueInfo]),
        "gcflags_flag": attr.label(mandatory = True, providers = [_FlagValueInfo]),
        "race_flag": attr.label(mandatory = True, providers = [_FlagValueInfo]),
        "cgo_flag": attr.label(mandatory = True, providers = [_FlagValueInfo]),
        "std_packages_flag": attr.label(mandatory = True, providers = [_FlagValueInfo]),
    },
    doc = "Gathers the build-wide settings into one GoSettingsInfo.",
)

def builder_setting_args(settings, args):
    """Adds the settings to the Args of a builder action (compile or link).

    Args:
      settings: GoSettingsInfo.
      args: the Args object of the action.
    """
    if settings.tags:
        args.add_joined("-tags", settings.tags, join_with = ",")
    if not settings.trimpath:
        args.add("-trimpath=false")
    if settings.race:
        args.add("-race")
    if not settings.cgo:
        args.add("-cgo=false")
    args.add_all(settings.gcflags, before_each = "-gcflag")

def setting_flags(settings):
    """The command-line spelling of the settings, for messages and build info.

    Args:
      settings: GoSettingsInfo.

    Returns:
      A list of (key, value) as `go version -m` shows them.
    """
    out = []
    if settings.gcflags:
        out.append(("-gcflags", "all=" + " ".join(settings.gcflags)))
    if settings.race:
        out.append(("-race", "true"))
    if settings.tags:
        out.append(("-tags", ",".join(settings.tags)))
    if settings.trimpath:
        out.append(("-trimpath", "true"))
    out.append(("CGO_ENABLED", "1" if settings.cgo else "0"))
    return out
