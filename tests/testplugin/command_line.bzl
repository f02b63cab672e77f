"""command_line_files: Go files as the go command takes them when named on its command line."""

# The suite's only constraint on a file it names on the command line.
_IGNORE = "//go:build ignore\n"

def _command_line_files_impl(ctx):
    outs = []
    for src in ctx.files.srcs:
        out = ctx.actions.declare_file("%s/%s" % (ctx.label.name, src.basename))

        # One line for one line, so positions stay those of the original.
        ctx.actions.expand_template(
            template = src,
            output = out,
            substitutions = {_IGNORE: "// (go:build ignore dropped: a file named on the go command line is built regardless)\n"},
        )
        outs.append(out)
    return [DefaultInfo(files = depset(outs))]

command_line_files = rule(
    implementation = _command_line_files_impl,
    attrs = {"srcs": attr.label_list(allow_files = [".go"], mandatory = True)},
    doc = """Copies Go files without their `//go:build ignore` line.

`go build ./unnamed1/main.go` builds the files it is given whatever their build
constraints say (load.GoFilesPackage sets UseAllFiles); the rules, like
`go build ./unnamed1`, skip a file whose constraints exclude it. The copies, in
<name>/, are what the command line builds.""",
)
