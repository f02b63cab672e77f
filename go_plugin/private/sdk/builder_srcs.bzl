"""The builder's source files, which the SDK repository builds it from.

A repository rule can watch only the files it names: each is read through
its label, so editing one sets the SDK repository up again, and with it the
builder. tools/builder's TestBuilderSourcesListed keeps this list complete.
"""

BUILDER_SRCS = [
    "//tools/builder:archive.go",
    "//tools/builder:buildid.go",
    "//tools/builder:buildinfo.go",
    "//tools/builder:cgo.go",
    "//tools/builder:checks.go",
    "//tools/builder:compile.go",
    "//tools/builder:contentid.go",
    "//tools/builder:embed.go",
    "//tools/builder:env.go",
    "//tools/builder:godebug.go",
    "//tools/builder:importcfg.go",
    "//tools/builder:link.go",
    "//tools/builder:main.go",
    "//tools/builder:modgraph.go",
    "//tools/builder:modules.go",
    "//tools/builder:params.go",
    "//tools/builder:srcs.go",
    "//tools/builder:std.go",
    "//tools/builder:stdbuild.go",
    "//tools/builder:stdbundle.go",
    "//tools/builder:stddelta.go",
    "//tools/builder:stdimports.go",
    "//tools/builder:stamp.go",
    "//tools/builder:stdplan.go",
]
