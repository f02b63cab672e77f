package integration

import "testing"

// A build that needs no Go must not set the Go SDK up: the SDK's toolchain()
// lives in a repository of its own, which Bazel loads on every toolchain
// resolution, so the SDK repository (here one that cannot be set up: no Go
// 0.0.1 on the machine) is fetched only when a Go rule asks for it.
func TestNoGoBuildLeavesSDKAlone(t *testing.T) {
	files := userFiles()
	files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "0.0.1")

register_toolchains("//other:toolchain")`)
	files["other/other.bzl"] = `def _info_impl(_ctx):
    return [platform_common.ToolchainInfo()]

other_info = rule(implementation = _info_impl)

def _needs_impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name + ".txt")
    ctx.actions.write(out, "ok")
    return [DefaultInfo(files = depset([out]))]

# A rule with a toolchain of another type: its resolution loads every
# registered toolchain().
needs_other = rule(implementation = _needs_impl, toolchains = ["//other:type"])
`
	files["other/BUILD.bazel"] = `load(":other.bzl", "needs_other", "other_info")

toolchain_type(name = "type")

other_info(name = "impl")

toolchain(
    name = "toolchain",
    toolchain = ":impl",
    toolchain_type = ":type",
)

needs_other(name = "x")
`
	w := newWorkspace(t, files)
	w.mustRun("build", "//other:x")
	// Go targets still get the SDK, and its error.
	w.mustFail([]string{`go_version = "0.0.1" was asked for`}, "build", "//plugins:alpha")
}
