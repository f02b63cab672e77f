"""Loaded as users load rules_go's: load("@io_bazel_rules_go//proto:def.bzl", "go_proto_library").

rules_go's go_proto_library schema (tools/rulesgocheck compares it with the
newest release) with a minimal implementation: each compiler generates Go
files from the protos, exposed, as rules_go does, in the go_generated_srcs
output group, which rules_go_plugin's deps aspect compiles.
"""

load("@rules_proto//proto:defs.bzl", "ProtoInfo")
load("//go:def.bzl", "GoInfo")
load("//proto:compiler.bzl", "GoProtoCompiler")

def _go_proto_library_impl(ctx):
    if ctx.attr.proto and ctx.attr.protos:
        fail("%s: set proto or protos, not both" % ctx.label)
    protos = [ctx.attr.proto] if ctx.attr.proto else ctx.attr.protos
    if not protos:
        fail("%s: set protos" % ctx.label)
    compilers = [ctx.attr.compiler] if ctx.attr.compiler else ctx.attr.compilers
    srcs = []
    for c in compilers:
        compiler = c[GoProtoCompiler]
        srcs += compiler.compile(ctx, compiler, [p[ProtoInfo] for p in protos], ctx.attr.importpath)
    return [
        GoInfo(importpath = ctx.attr.importpath),
        OutputGroupInfo(go_generated_srcs = depset(srcs)),
        DefaultInfo(files = depset(srcs)),
    ]

go_proto_library = rule(
    implementation = _go_proto_library_impl,
    attrs = {
        "proto": attr.label(providers = [ProtoInfo]),
        "protos": attr.label_list(providers = [ProtoInfo], default = []),
        "deps": attr.label_list(providers = [GoInfo]),
        "importpath": attr.string(),
        "importmap": attr.string(),
        "importpath_aliases": attr.string_list(),
        "embed": attr.label_list(providers = [GoInfo]),
        "gc_goopts": attr.string_list(),
        "compiler": attr.label(providers = [GoProtoCompiler]),
        "compilers": attr.label_list(providers = [GoProtoCompiler], default = ["//proto:go_proto"]),
    },
    provides = [GoInfo],
)
