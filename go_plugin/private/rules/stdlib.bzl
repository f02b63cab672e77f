"""go_stdlib: the standard library, compiled once per variant for the build.

GOROOT ships no compiled packages since Go 1.20, so the ruleset compiles std
itself: once normally, for hosts, and once with -dynlink (-buildmode=plugin),
for plugins (a host linked from -dynlink archives crashes at start). Both with
-trimpath, so a package's hash is the same in both variants. Each variant is
one action; Bazel runs only the ones the build needs.

The action is a short shell script around `go list -export`, and depends on
nothing but the SDK and the C compiler: editing the builder must not
recompile std, and the same SDK gives the same action key in every workspace,
so a shared --disk_cache serves them all.
"""

load("//go_plugin/private:context.bzl", "GO_TOOL_ATTRS", "TOOLCHAIN_TYPE", "go_context")
load("//go_plugin/private:providers.bzl", "GoStdlibInfo", "VARIANTS")
load("//go_plugin/private:rules/settings.bzl", "go_list_flags")

_SCRIPT = """\
set -eu
root="$PWD"
out="$1" importcfg="$2" template="$3"
shift 3  # the rest: flags of go list (build mode and settings), then the packages
# Build from the SDK's real directory, not the sandbox's symlinks: std embeds
# files (//go:embed) and the go command refuses to embed a symlink. -trimpath
# records std positions as $GOROOT/src/..., so the archives do not depend on it.
goroot="$(cd "$(dirname "$(readlink -f "{go}")")/.." && pwd)"
# Scratch space inside the action's output tree, never the system's temporary
# directory: a killed action leaves nothing behind outside the sandbox.
tmp="$root/$out.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"  # outside any module: std is all the go command sees
# A compiler flag the compiler does not know: say so once, naming the setting,
# rather than the compiler's usage for every package.
for a in "$@"; do
  case "$a" in -gcflags=all=*)
    if ! msg="$("$goroot/pkg/tool/$("$goroot/bin/go" env GOHOSTOS)_$("$goroot/bin/go" env GOHOSTARCH)/compile" ${{a#-gcflags=all=}} -V=full 2>&1)"; then
      echo "--@rules_go_plugin//go_plugin:gcflags=$(echo ${{a#-gcflags=all=}} | tr ' ' ','): go tool compile refuses it: $(echo "$msg" | head -n 1); fix or remove the setting" >&2
      exit 1
    fi;;
  esac
done
env -i PATH="$PATH" GOROOT="$goroot" GOOS={goos} GOARCH={goarch} CC="{cc}" CGO_ENABLED={cgo} \\
  GOCACHE="$tmp/cache" GOPATH="$tmp/gopath" HOME="$tmp" TMPDIR="$tmp" \\
  GOTOOLCHAIN=local GOENV=off GOFLAGS= GOPROXY=off GOWORK=off GOTELEMETRY=off \\
  "$goroot/bin/go" list -export -deps -f "$template" "$@" >"$tmp/list"
while read -r pkg file; do
  mkdir -p "$root/$out/$(dirname "$pkg")"
  cp "$file" "$root/$out/$pkg.a"
  echo "packagefile $pkg=$out/$pkg.a"
done <"$tmp/list" >"$root/$importcfg"
"""

# The standard library packages that the ruleset's own Go code imports (the
# loader, the checker and go_plugin_test's engine); always built when
# std_packages limits std. internal/rulesetstd's test keeps it complete.
RULESET_STD = [
    "bufio",
    "bytes",
    "context",
    "crypto/rand",
    "crypto/sha256",
    "debug/buildinfo",
    "debug/elf",
    "encoding/binary",
    "encoding/hex",
    "encoding/json",
    "encoding/xml",
    "errors",
    "flag",
    "fmt",
    "go/ast",
    "go/parser",
    "go/token",
    "io",
    "io/fs",
    "os",
    "os/exec",
    "path/filepath",
    "plugin",
    "reflect",
    "runtime",
    "runtime/cgo",
    "runtime/debug",
    "sort",
    "strconv",
    "strings",
    "sync",
    "syscall",
    "time",
]

def _packages(settings):
    """All of std, or the listed packages and the ruleset's (go list adds their deps)."""
    if not settings.std_packages:
        return ["std"]

    # The linker takes runtime/race in when the race detector is on.
    race = ["runtime/race"] if settings.race else []
    return sorted({p: True for p in settings.std_packages + RULESET_STD + race}.keys())

def _emit_stdlib(ctx, go, variant):
    out = ctx.actions.declare_directory("%s_%s" % (ctx.label.name, variant))
    importcfg = ctx.actions.declare_file("%s_%s.importcfg" % (ctx.label.name, variant))
    ctx.actions.run_shell(
        command = _SCRIPT.format(go = go.sdk.go.path, goos = go.sdk.goos, goarch = go.sdk.goarch, cc = go.cc, cgo = "1" if go.settings.cgo else "0"),
        arguments = [
            out.path,
            importcfg.path,
            "{{if .Export}}{{.ImportPath}} {{.Export}}{{end}}",
        ] + go_list_flags(go.settings, variant) + _packages(go.settings),
        inputs = depset(transitive = [go.sdk.srcs, go.cc_files]),
        outputs = [out, importcfg],
        mnemonic = "GoStdlib",
        progress_message = "Compiling the Go standard library (%s)" % variant,
        # cgo packages of std (runtime/cgo, net) run the C compiler.
        env = go.cc_env,
    )
    return struct(importcfg = importcfg, files = depset([out]))

def _go_stdlib_impl(ctx):
    go = go_context(ctx)
    variants = {v: _emit_stdlib(ctx, go, v) for v in VARIANTS}
    return [
        GoStdlibInfo(**variants),
        DefaultInfo(files = depset([v.importcfg for v in variants.values()])),
    ]

go_stdlib = rule(
    implementation = _go_stdlib_impl,
    attrs = {k: GO_TOOL_ATTRS[k] for k in ["_cc_toolchain", "_settings"]},
    toolchains = [TOOLCHAIN_TYPE],
    doc = "The Go standard library compiled in both variants. One target serves the whole build.",
)
