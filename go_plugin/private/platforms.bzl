"""Which platforms can build Go plugins: those where the Go linker supports
-buildmode=plugin (cmd/internal/platform.BuildModeSupported)."""

PLUGIN_PLATFORMS = [
    "linux/amd64",
    "linux/arm",
    "linux/arm64",
    "linux/386",
    "linux/loong64",
    "linux/riscv64",
    "linux/s390x",
    "linux/ppc64le",
    "android/amd64",
    "android/386",
    "darwin/amd64",
    "darwin/arm64",
    "freebsd/amd64",
]

_WHY = {
    "windows": "the Go plugin package is not implemented on Windows (golang.org/issue/19282)",
    "js": "WebAssembly has no dynamic loader",
    "wasip1": "WebAssembly has no dynamic loader",
}

def check_plugin_support(ctx, go, needs_cgo = True):
    """Fails the analysis of ctx when the build cannot make or load plugins.

    Args:
      ctx: the rule context of a go_plugin or go_plugin_host.
      go: the go_context struct (SDK and settings).
      needs_cgo: whether the target needs cgo (plugins and the load check do;
        a host without cgo builds, but its plugin.Open says "not implemented").
    """
    if needs_cgo and not go.settings.cgo:
        fail("%s: --@rules_go_plugin//go_plugin:cgo=false, but Go plugins need cgo: plugin.Open calls the C dynamic loader (dlopen). Remove the flag." % ctx.label)
    sdk = go.sdk
    platform = sdk.goos + "/" + sdk.goarch
    if platform in PLUGIN_PLATFORMS:
        return
    why = _WHY.get(sdk.goos, "the Go linker does not support -buildmode=plugin there")
    fail("%s: Go plugins cannot be built for %s: %s. Supported: %s. Register a Go SDK toolchain for one of those platforms." % (
        ctx.label,
        platform,
        why,
        ", ".join(PLUGIN_PLATFORMS),
    ))
