"""The config settings Gazelle's select()s name: @io_bazel_rules_go//go/platform:<os>, :<arch>, :<os>_<arch>.

The names are Gazelle's known GOOS and GOARCH values (rule.KnownOSs,
rule.KnownArchs; tests/integration's TestStandinPlatforms compares them).
The tests run on linux/amd64 and linux/arm64 machines only: those settings
match through @platforms; every other one is a setting no platform has.
"""

OSS = ["aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd", "openbsd", "osx", "plan9", "qnx", "solaris", "windows"]

ARCHS = ["386", "amd64", "arm", "arm64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64", "s390x", "wasm"]

_CONSTRAINTS = {
    "linux": "@platforms//os:linux",
    "amd64": "@platforms//cpu:x86_64",
    "arm64": "@platforms//cpu:aarch64",
}

def _constraint(name):
    return _CONSTRAINTS.get(name, ":unmatched")

def _both(a, b):
    return [a] if a == b else [a, b]

def platform_settings(name):
    """Declares one config_setting per GOOS, GOARCH and pair.

    Args:
      name: the constraint setting of the values no platform has.
    """
    native.constraint_setting(name = name)
    native.constraint_value(name = "unmatched", constraint_setting = ":" + name)
    for goos in OSS:
        native.config_setting(name = goos, constraint_values = [_constraint(goos)], visibility = ["//visibility:public"])
        for goarch in ARCHS:
            native.config_setting(
                name = goos + "_" + goarch,
                constraint_values = _both(_constraint(goos), _constraint(goarch)),
                visibility = ["//visibility:public"],
            )
    for goarch in ARCHS:
        native.config_setting(name = goarch, constraint_values = [_constraint(goarch)], visibility = ["//visibility:public"])
