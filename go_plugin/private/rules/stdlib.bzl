"""go_stdlib: the standard library, one compile action per package and variant.

GOROOT ships no compiled packages since Go 1.20, so the ruleset compiles std
itself: once normally, for hosts, and once with -dynlink (-buildmode=plugin),
for plugins (a host linked from -dynlink archives crashes at start). Both with
the go command's flags for std, so a package's hash is the go command's.

The SDK repository records std's package graph when it is set up (see
sdk/repository.bzl); from it this rule declares one `builder compile -std`
for every std package and variant, each taking only its sources and the
archives of its imports. Bazel runs only the actions whose archives a build
asks for, and caches each package on its own.

What a compile asks for: the predicted set (below), which every compile and
link takes, and the std packages its own package imports when the SDK's
setup listed them (`package_std`, from go_mod's `go list -deps ./...`),
each with its closure. So a std package the build imports is compiled once
per variant, whichever targets import it; what neither covers, the
compile's std delta builds (actions/compile.bzl).
"""

load("//go_plugin/private:actions/run.bzl", "run_builder")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context", "sdk_args")
load("//go_plugin/private:providers.bzl", "GoStdlibInfo", "VARIANTS")

# What most Go code imports, plugins included: predicted in both variants,
# so that the plugins of a build that import them share one compile instead
# of compiling them in a std delta each. Their closure is about 70 packages.
COMMON_STD = [
    "bufio",
    "bytes",
    "context",
    "encoding/json",
    "errors",
    "fmt",
    "io",
    "os",
    "path/filepath",
    "reflect",
    "sort",
    "strconv",
    "strings",
    "sync",
    "syscall",
    "time",
]

# The rest of what the ruleset's own Go code imports (the loader, the checker
# and go_plugin_test's engine): all of it is linked into executables, so it
# is predicted in the normal variant only; a PIE host gets it through the
# loader's std delta. internal/rulesetstd's test keeps the two lists complete.
RULESET_STD = [
    "crypto/rand",
    "crypto/sha256",
    "debug/buildinfo",
    "debug/elf",
    "encoding/binary",
    "encoding/hex",
    "encoding/xml",
    "flag",
    "go/ast",
    "go/parser",
    "go/token",
    "hash/maphash",
    "io/fs",
    "os/exec",
    "os/signal",
    "path",
    "plugin",
    "runtime",
    "runtime/cgo",
    "runtime/debug",
]

# Imported, never compiled: the compiler provides unsafe, cgo handles "C".
_NOT_COMPILED = ["unsafe", "C"]

def _packages(settings, variant):
    """The predicted roots of a variant: the hint, the common std, the ruleset's, what every link takes.

    A package outside the prediction is still built, by the std delta of the
    target that imports it (see actions/compile.bzl), once per target that
    needs it; predicting it builds it once for the build.
    """
    link = ["runtime"] + (["runtime/cgo"] if settings.cgo else []) + (["runtime/race"] if settings.race else [])
    ruleset = RULESET_STD if variant == "normal" else []
    return sorted({p: True for p in settings.std_packages + COMMON_STD + ruleset + link if p not in _NOT_COMPILED}.keys())

def _imports(info, cgo):
    """A package's imports as (source, resolved) pairs, for the cgo setting.

    The graph lists imports with cgo on and off together; with cgo off no
    package imports runtime/cgo, which cannot be built then.
    """
    out = []
    for imp in info.imports:
        source, _, resolved = imp.partition("=")
        if cgo or source != "runtime/cgo":
            out.append((source, resolved or source))
    return out

def _closure(std, roots, label, cgo):
    """The packages roots import, directly or not, each after its imports."""
    order = []
    state = {}  # 1: imports pushed, 2: placed
    stack = [(r, None) for r in reversed(roots)]

    # Starlark has no while loop or recursion: a bound as large as any graph walk.
    for _ in range(1000000):
        if not stack:
            break
        p, parent = stack.pop()
        if state.get(p) == 2:
            continue
        if p not in std:
            fail("%s: %s is not a standard library package of this Go SDK%s; fix --@rules_go_plugin//go_plugin:std_packages." % (
                label,
                p,
                " (imported by %s)" % parent if parent else "",
            ))
        if state.get(p) == 1:
            state[p] = 2
            order.append(p)
            continue
        state[p] = 1
        stack.append((p, parent))
        for _, dep in _imports(std[p], cgo):
            if state.get(dep) != 2:
                stack.append((dep, p))
    return order

def _emit_package(ctx, go, variant, pkg, std, archives):
    out = ctx.actions.declare_file("%s_%s/%s.a" % (ctx.label.name, variant, pkg))
    info = std[pkg]
    args = ctx.actions.args()
    args.add("compile")
    sdk_args(go, args)
    args.add("-std")
    args.add("-importpath", pkg)
    args.add("-cc", go.cc)
    if variant == "dynlink":
        args.add("-dynlink")

    # The package's files, and the headers and embedded files it reads,
    # come from the bundle: one input instead of std's files, which Bazel
    # would otherwise check for changes before every command.
    args.add("-stdsrc", go.sdk.std_bundle)

    # The compiler's and assembler's flags: the go command's, recorded
    # when the SDK was set up.
    args.add("-stdplan", go.sdk.std_plan)
    deps = []
    for source, resolved in _imports(info, go.settings.cgo):
        deps.append(archives[resolved])
        args.add("-dep", "%s=%s" % (source, archives[resolved].path))
        if resolved != source:
            args.add("-importmap", "%s=%s" % (source, resolved))
    args.add("-o", out)
    args.use_param_file("@%s")
    args.set_param_file_format("multiline")
    cgo = go.settings.cgo and ("runtime/cgo" in [i.partition("=")[0] for i in info.imports] or pkg == "runtime/cgo")
    run_builder(
        ctx,
        go,
        arguments = [args],
        inputs = depset(
            [go.sdk.std_bundle, go.sdk.std_plan] + deps,
            transitive = [go.sdk.tools] + ([go.cc_files] if cgo else []),
        ),
        outputs = [out],
        env = go.cc_env,
        mnemonic = "GoStdCompile",
        progress_message = "Compiling Go standard library package %s (%s)" % (pkg, variant),
    )
    return out

def _emit_stdlib(ctx, go, variant):
    """Declares every std package's compile and the predicted set's importcfg.

    Returns:
      struct(importcfg, files, packages): the predicted set's importcfg and
      archives, and per std package struct(files, lines): the archives of it
      and its closure, and their `importpath=archive` pairs (-stdpkg).
    """
    cgo = go.settings.cgo
    archives = {}
    packages = {}
    for pkg in _closure(go.sdk.std, _buildable(go, go.sdk.std.keys()), ctx.label, cgo):
        archives[pkg] = _emit_package(ctx, go, variant, pkg, go.sdk.std, archives)
        imports = [resolved for _, resolved in _imports(go.sdk.std[pkg], cgo)]
        packages[pkg] = struct(
            files = depset([archives[pkg]], transitive = [packages[i].files for i in imports]),
            lines = depset(["%s=%s" % (pkg, archives[pkg].path)], transitive = [packages[i].lines for i in imports]),
        )
    predicted = _closure(go.sdk.std, _buildable(go, _packages(go.settings, variant)), ctx.label, cgo)
    importcfg = ctx.actions.declare_file("%s_%s.importcfg" % (ctx.label.name, variant))
    ctx.actions.write(importcfg, "".join(["packagefile %s=%s\n" % (p, archives[p].path) for p in sorted(predicted)]))
    return struct(importcfg = importcfg, files = depset([archives[p] for p in predicted]), packages = packages)

def _buildable(go, packages):
    """The packages that exist with the build's cgo setting."""
    return sorted([
        p
        for p in packages
        if go.settings.cgo or (p != "runtime/cgo" and not go.sdk.std.get(p, struct(cgo_only = False)).cgo_only)
    ])

def _go_stdlib_impl(ctx):
    go = go_context(ctx)
    variants = {v: _emit_stdlib(ctx, go, v) for v in VARIANTS}
    return [
        GoStdlibInfo(**variants),
        DefaultInfo(files = depset([v.importcfg for v in variants.values()])),
    ]

go_stdlib = rule(
    implementation = _go_stdlib_impl,
    attrs = {k: v for k, v in GO_TOOL_ATTRS.items() if k != "_stdlib"},
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = "The Go standard library compiled in both variants. One target serves the whole build.",
)
