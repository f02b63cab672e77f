"""The attributes of rules_go's go_library, go_proto_library and go_proto_compiler that the deps aspect reads.

The aspect reads rule attributes rather than rules_go's providers, which
changed shape across releases (GoLibrary and GoSource merged into GoInfo in
0.51); the attribute names did not. tools/rulesgocheck parses this file and
rules_go's own definitions of those rules and fails when an attribute here is
missing there or has another type, so a rename in a rules_go release is
found by a test, not by users.
"""

# The kind (rule class name) of the targets the aspect compiles.
RULES_GO_LIBRARY_KIND = "go_library"

# Each attribute the aspect reads -> the attr.<type> rules_go declares it with.
RULES_GO_LIBRARY_ATTRS = {
    "srcs": "label_list",
    "data": "label_list",
    "deps": "label_list",
    "importpath": "string",
    "importmap": "string",
    "embed": "label_list",
    "embedsrcs": "label_list",
    "x_defs": "string_dict",
    "gc_goopts": "string_list",
    "cgo": "bool",
    "cdeps": "label_list",
    "cppopts": "string_list",
    "copts": "string_list",
    "cxxopts": "string_list",
    "clinkopts": "string_list",
}

# rules_go kinds that can sit in deps or embed but that the aspect does not
# compile, with what to do instead.
RULES_GO_UNSUPPORTED_KINDS = {
    "go_source": "go_source is not supported; make it a go_library with the importpath of the library that embeds it",
    "go_tool_library": "go_tool_library is not supported; make it a go_library",
}

# rules_go's go_proto_library (proto/def.bzl): the aspect compiles the Go
# sources it generates (its go_generated_srcs output group) as a package.
RULES_GO_PROTO_LIBRARY_KIND = "go_proto_library"

# The output group of go_proto_library that holds the generated .go files.
RULES_GO_PROTO_OUTPUT_GROUP = "go_generated_srcs"

RULES_GO_PROTO_LIBRARY_ATTRS = {
    "deps": "label_list",
    "embed": "label_list",
    "importpath": "string",
    "importmap": "string",
    "gc_goopts": "string_list",
    "compiler": "label",
    "compilers": "label_list",
}

# rules_go's go_proto_compiler macro declares this rule (proto/compiler.bzl):
# its deps are the runtime packages the generated code imports.
RULES_GO_PROTO_COMPILER_KIND = "_go_proto_compiler"

RULES_GO_PROTO_COMPILER_ATTRS = {
    "deps": "label_list",
    "valid_archive": "bool",
}
