"""rules_go's go_proto_compiler schema, with a minimal implementation.

Public attributes, names and types, as rules_go declares them on
_go_proto_compiler (tools/rulesgocheck compares them with the newest
release). Unlike rules_go, which runs protoc through a Go builder of its
own, this runs protoc and the plugin directly: enough to generate the .pb.go
files that rules_go_plugin's deps aspect compiles.
"""

load("//go:def.bzl", "GoInfo")

# buildifier: disable=name-conventions
GoProtoCompiler = provider(
    # rules_go's name for it
    doc = "Stands for rules_go's GoProtoCompiler: what go_proto_library's compilers require.",
    fields = {
        "compile": "def compile(ctx, compiler, protos, importpath): declares the outputs and the action; returns the .go Files.",
        "deps": "The runtime go_library targets generated code imports.",
        "valid_archive": "Whether the generated files compile on their own.",
        "internal": "struct(options, suffix, suffixes, protoc, plugin, import_path_option).",
    },
)

def _proto_path(src, info):
    """The path .proto files import src by: its path below the proto source root."""
    root = info.proto_source_root
    if root in ["", "."]:
        prefix = src.root.path
    elif src.root.path and not root.startswith(src.root.path):
        prefix = src.root.path + "/" + root
    else:
        prefix = root
    if prefix and src.path.startswith(prefix + "/"):
        return src.path[len(prefix) + 1:]
    return src.path

def _compile(ctx, compiler, protos, importpath):
    internal = compiler.internal
    suffixes = internal.suffixes or [internal.suffix]
    outs = []
    paths = []
    for info in protos:
        for src in info.direct_sources:
            path = _proto_path(src, info)
            paths.append(path)
            for suffix in suffixes:
                # As rules_go: <name>_/<importpath>/<file>.pb.go, so that
                # protoc-gen-go's paths=import layout lands on it.
                outs.append(ctx.actions.declare_file("%s_/%s/%s%s" % (ctx.label.name, importpath, src.basename[:-len(".proto")], suffix)))
    if not outs:
        return []
    out_dir = outs[0].path[:-len("/%s/%s" % (importpath, outs[0].basename))]
    descriptors = depset(transitive = [info.transitive_descriptor_sets for info in protos])
    args = ctx.actions.args()
    args.add("--plugin=protoc-gen-go=" + internal.plugin.executable.path)
    args.add_joined("--descriptor_set_in", descriptors, join_with = ":")
    args.add("--go_out=" + out_dir)
    args.add("--go_opt=paths=import")
    args.add_all(paths, format_each = "--go_opt=M%s=" + importpath)
    args.add_all(internal.options, format_each = "--go_opt=%s")
    if internal.import_path_option:
        args.add("--go_opt=import_path=" + importpath)
    args.add_all(paths)

    # protoc and the plugin are attributes of the rule, not a toolchain's tools.
    ctx.actions.run(executable = internal.protoc, arguments = [args], inputs = descriptors, tools = [internal.plugin], outputs = outs, mnemonic = "GoProtocGen")  # starlarkcheck: runs no toolchain's tool
    return outs

def _go_proto_compiler_impl(ctx):
    return [
        GoProtoCompiler(
            compile = _compile,
            deps = ctx.attr.deps,
            valid_archive = ctx.attr.valid_archive,
            internal = struct(
                options = ctx.attr.options,
                suffix = ctx.attr.suffix,
                suffixes = ctx.attr.suffixes,
                protoc = ctx.executable._protoc,
                plugin = ctx.attr.plugin[DefaultInfo].files_to_run,
                import_path_option = ctx.attr.import_path_option,
            ),
        ),
        GoInfo(importpath = ""),
    ]

_go_proto_compiler = rule(
    implementation = _go_proto_compiler_impl,
    attrs = {
        "deps": attr.label_list(providers = [GoInfo]),
        "options": attr.string_list(),
        "suffix": attr.string(default = ".pb.go"),
        "suffixes": attr.string_list(),
        "valid_archive": attr.bool(default = True),
        "always_generates": attr.bool(default = False),
        "import_path_option": attr.bool(default = False),
        "plugin": attr.label(executable = True, cfg = "exec", mandatory = True),
        # rules_go before its proto toolchain had this attribute; the
        # native proto_library of Bazel 4.2.3 uses the same default.
        "_protoc": attr.label(
            executable = True,
            cfg = "exec",
            allow_single_file = True,
            default = "@com_google_protobuf//:protoc",
        ),
    },
)

def _plugin_impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = ctx.file.dep, is_executable = True)
    return [DefaultInfo(executable = out, files = depset([out]))]

# Stands for rules_go's go_reset_target: the plugin, as an executable rule,
# so that plugin may also be a prebuilt file (plugin takes no files).
_plugin = rule(
    implementation = _plugin_impl,
    attrs = {"dep": attr.label(allow_single_file = True, mandatory = True)},
    executable = True,
)

def go_proto_compiler(name, plugin = "@org_golang_google_protobuf//cmd/protoc-gen-go", **kwargs):
    # As rules_go's macro, which wraps the plugin in a configuration reset.
    _plugin(name = name + "_plugin_", dep = plugin, visibility = ["//visibility:private"])
    _go_proto_compiler(name = name, plugin = name + "_plugin_", **kwargs)
