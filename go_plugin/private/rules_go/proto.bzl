"""rules_go's go_proto_library and go_proto_compiler, as the deps aspect reads them.

rules_go runs protoc in the go_proto_library's own action and exposes the
Go files in its go_generated_srcs output group; the aspect compiles those
files as a package of this ruleset, with the go_proto_library's deps and the
runtime packages its compilers name (their deps), so the package has one
hash in a host and in its plugins.
"""

load("//go_plugin/private:rules_go/embed.bzl", "merged_source_info")
load("//go_plugin/private:rules_go/schema.bzl", "RULES_GO_PROTO_COMPILER_ATTRS", "RULES_GO_PROTO_COMPILER_KIND", "RULES_GO_PROTO_OUTPUT_GROUP")

RulesGoProtoCompilerInfo = provider(
    doc = "What the deps aspect read on a rules_go go_proto_compiler. Private.",
    fields = {
        "label": "The Label of the compiler.",
        "deps": "list of Targets: the runtime libraries generated code imports.",
        "valid_archive": "bool: whether its output compiles on its own.",
    },
)

def proto_compiler_info(target, ctx):
    """What the aspect reads on a rules_go go_proto_compiler, checked.

    Args:
      target: the go_proto_compiler (rule kind _go_proto_compiler).
      ctx: the aspect context.

    Returns:
      RulesGoProtoCompilerInfo.
    """
    attr = ctx.rule.attr
    missing = [name for name in RULES_GO_PROTO_COMPILER_ATTRS if not hasattr(attr, name)]
    if missing:
        fail("%s: this %s has no attribute %s, which rules_go's go_proto_compiler has; rules_go_plugin reads the runtime deps of rules_go's go_proto_compiler (@io_bazel_rules_go//proto:compiler.bzl) only." % (
            target.label,
            ctx.rule.kind,
            ", ".join(missing),
        ))
    return RulesGoProtoCompilerInfo(label = target.label, deps = attr.deps, valid_archive = attr.valid_archive)

def proto_source_info(target, ctx, embedded):
    """The RulesGoSourceInfo of a go_proto_library: its generated sources and deps.

    Args:
      target: the go_proto_library.
      ctx: the aspect context.
      embedded: the RulesGoSourceInfo of each library in its embed.

    Returns:
      RulesGoSourceInfo, as for a go_library, with the generated files in proto_srcs.
    """
    attr = ctx.rule.attr
    compilers = [attr.compiler] if attr.compiler else attr.compilers
    infos = []
    for c in compilers:
        if RulesGoProtoCompilerInfo not in c:
            fail("%s: compiler %s is not a rules_go go_proto_compiler (its kind is not %s); rules_go_plugin reads the runtime deps of go_proto_compiler targets only. Declare it with go_proto_compiler of @io_bazel_rules_go//proto:compiler.bzl." % (
                target.label,
                c.label,
                RULES_GO_PROTO_COMPILER_KIND,
            ))
        infos.append(c[RulesGoProtoCompilerInfo])
    if not [i for i in infos if i.valid_archive]:
        fail("%s: every compiler of this go_proto_library (%s) has valid_archive = False, so rules_go builds no package of it; list a compiler whose output compiles on its own (such as @io_bazel_rules_go//proto:go_proto) in compilers." % (
            target.label,
            ", ".join([str(i.label) for i in infos]),
        ))
    deps = list(attr.deps)
    for i in infos:
        deps += i.deps
    own = struct(
        importpath = attr.importpath,
        importmap = attr.importmap,
        srcs = [],
        proto_srcs = _generated_srcs(target),
        embedsrcs = [],
        data = [],
        deps = deps,
        x_defs = {},
        cgo = struct(label = target.label, enabled = False, cdeps = [], cppopts = [], copts = [], cxxopts = [], clinkopts = []),
    )
    return merged_source_info(target.label, own, embedded)

def _generated_srcs(target):
    """The .go files rules_go generated for the target, from its output group."""
    groups = target[OutputGroupInfo] if OutputGroupInfo in target else None
    srcs = getattr(groups, RULES_GO_PROTO_OUTPUT_GROUP, None) if groups else None
    if srcs == None:
        fail("%s: this go_proto_library has no %s output group, where rules_go puts the Go files protoc generates; rules_go_plugin compiles those. Use go_proto_library of @io_bazel_rules_go//proto:def.bzl." % (target.label, RULES_GO_PROTO_OUTPUT_GROUP))
    go_srcs = [f for f in srcs.to_list() if f.extension == "go"]
    if not go_srcs:
        fail("%s: its protos generated no .go file (its go_generated_srcs output group is empty); give the go_proto_library a proto_library with at least one .proto file in protos." % target.label)
    return go_srcs
