"""Providers shared by the rules, the toolchain and the actions."""

GoStdlibInfo = provider(
    doc = "The standard library compiled by the ruleset, in both variants.",
    fields = {
        "normal": "struct(importcfg, files): std for hosts.",
        "dynlink": "struct(importcfg, files): std compiled with -dynlink, for plugins.",
    },
)

GoLibraryInfo = provider(
    doc = """One Go package and everything it imports outside the standard library.

Each package is compiled in two variants, normal (for hosts) and -dynlink (for
plugins). Both are declared; Bazel builds only the one a consumer asks for.""",
    fields = {
        "importpath": "The package's import path.",
        "label": "The Label of the target that built it.",
        "archives": "dict: variant name (\"normal\", \"dynlink\") -> archive File.",
        "transitive": "dict: variant -> depset of struct(importpath, label, archive) for this package and all its deps.",
        "transitive_archives": "dict: variant -> depset of archive Files (inputs of a link).",
        "cgo": "Reserved for cgo (C sources, CcInfo); None until cgo is supported.",
    },
)

GoPluginInfo = provider(
    doc = "A plugin built by go_plugin, for hosts and checks.",
    fields = {
        "so": "File: the shared object.",
        "pluginpath": "The plugin path the linker wrote (-pluginpath).",
        "label": "The Label of the go_plugin target.",
        "srcs": "list of File: its sources (empty for go_plugin_import), to explain a symbol it does not export.",
    },
)

VARIANTS = ["normal", "dynlink"]

GoSettingsInfo = provider(
    doc = "The build-wide settings that change package hashes; one value per build.",
    fields = {
        "tags": "list of build tags.",
        "trimpath": "bool: rewrite file positions to import paths (as go build -trimpath).",
        "gcflags": "list of compiler flags for every package, std included.",
        "race": "bool: build with the race detector.",
        "cgo": "bool: cgo enabled; plugins need it.",
        "std_packages": "list of std packages to build (with their deps); empty for all of std.",
    },
)

GoPluginHostInfo = provider(
    doc = "A host built by go_plugin_host, for go_plugin_test.",
    fields = {
        "exe": "File: the host executable.",
        "deps": "list of GoLibraryInfo: the host's direct deps.",
        "plugins": "list of GoPluginInfo: its plugins attribute.",
    },
)
