"""Providers shared by the rules, the toolchain and the actions."""

GoStdlibInfo = provider(
    doc = "The standard library compiled by the ruleset, in both variants.",
    fields = {
        "normal": "struct(importcfg, files, packages): std for hosts: the predicted set's importcfg and archives, and per std package struct(files, lines) of it and its closure (archives, and importpath=archive pairs).",
        "dynlink": "struct(importcfg, files, packages): std compiled with -dynlink, for plugins.",
    },
)

GoLibraryInfo = provider(
    doc = """One Go package and everything it imports outside the standard library.

Each package is compiled in two variants, normal (for hosts) and -dynlink (for
plugins). Both are declared; Bazel builds only the one a consumer asks for.""",
    fields = {
        "importpath": "The package's import path: what source files import it by.",
        "packagepath": "The package path the compiler (-p) and the linker know it by: rules_go's importmap when set, else importpath. Package hashes are keyed by it.",
        "label": "The Label of the target that built it.",
        "archives": "dict: variant name (\"normal\", \"dynlink\") -> archive File.",
        "transitive": "dict: variant -> depset of struct(importpath, packagepath, label, archive) for this package and all its deps.",
        "transitive_archives": "dict: variant -> depset of archive Files (inputs of a link).",
        "data": "depset of Files: what this package and its deps need at run time (rules_go's data), for the runfiles of hosts and plugins.",
        "x_defs": "depset of struct(name, value, label): the -X definitions (name is \"<packagepath>.<var>\") that this package and its deps ask every link that takes them in to apply.",
        "cc_link_files": "depset of Files: the C libraries (cdeps) of this package and its deps, inputs of the external link.",
        "std": "dict: variant -> struct(files, lines, trees): the std this package and its deps take beyond the build's predicted set: the archives of the std packages listed for them at setup (with their closures), those archives' importpath=archive pairs, and the std delta trees of what their compiles built themselves (each tree has an importcfg).",
    },
)

GoPluginInfo = provider(
    doc = "A plugin built by go_plugin, for hosts and checks.",
    fields = {
        "so": "File: the shared object.",
        "pluginpath": "The plugin path the linker wrote (-pluginpath).",
        "label": "The Label of the go_plugin target.",
        "srcs": "list of File: its sources (empty for go_plugin_import), to explain a symbol it does not export.",
        "x_defs": "dict: the -X definitions its link applied (its own and its libraries'; empty for go_plugin_import), so a host can refuse those its own copy of a package overrides.",
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
        "std_packages": "list of std packages to compile once for the build (a hint; see rules/stdlib.bzl).",
    },
)

GoPluginHostInfo = provider(
    doc = "A host built by go_plugin_host, for go_plugin_test.",
    fields = {
        "exe": "File: the host executable.",
        "deps": "list of GoLibraryInfo: the host's direct deps.",
        "plugins": "list of GoPluginInfo: its plugins attribute.",
        "godebug": "File: the host's default GODEBUG (its main module's and //go:debug lines), which go_plugin_test's child is linked with too.",
        "main": """struct(sources, importpath, cgo, mode, xdefs): how the host's main package is
compiled and linked (package_sources' struct, the import path positions are rewritten
to, cgo_options' struct or None, the link mode "exe" or "pie", the -X definitions of
the host itself; its libraries' come with deps), so that go_plugin_test links its child
as a copy of the host: the same archives, main package, flags and x_defs, plus one file.""",
    },
)

RulesGoSourceInfo = provider(
    doc = """What a rules_go go_library declares, read by the deps aspect, after
merging the libraries it embeds. Private: it lets a library that embeds
another read the other's sources.""",
    fields = {
        "label": "The Label of the rules_go target.",
        "importpath": "The importpath set on it or inherited from an embedded library; \"\" if none.",
        "importmap": "The importmap set on it or inherited with the importpath; \"\" if none.",
        "srcs": "list of source Files, embedded libraries' first.",
        "proto_srcs": "list of .go Files rules_go generated from protos (go_proto_library, its own or embedded), in an output directory of their own: not in the package directory.",
        "embedsrcs": "list of Files //go:embed may name.",
        "data": "list of Files needed at run time.",
        "deps": "list of Targets: the direct deps, its own and its embedded libraries'.",
        "x_defs": "dict: -X definitions as written (a name without a dot is qualified later, with the package path).",
        "cgo": "struct(enabled, cdeps, cppopts, copts, cxxopts, clinkopts, label): the cgo attributes (cdeps are targets), merged from embedded libraries as rules_go does.",
    },
)
