"""go_plugin_test: opens each plugin with the host's packages and checks its symbols."""

load("//go_plugin/private:actions/link.bzl", "emit_executable")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps")
load("//go_plugin/private:platforms.bzl", "check_plugin_support")
load("//go_plugin/private:providers.bzl", "GoLibraryInfo", "GoPluginHostInfo", "GoPluginInfo")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:rules_go/aspect.bzl", "rules_go_library_aspect")
load("//go_plugin/private:runfiles.bzl", "LOADER_PLUGINS_VAR", "rlocation")
load("//go_plugin/private:stamp.bzl", "TEST_STAMP_ATTRS", "stamp_enabled")
load("//go_plugin/private:unique.bzl", "refuse_repeated_plugins")

_LOADCHECK = "github.com/rules-go-plugin/rules_go_plugin/loadcheck"
_IDENT_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_"
_IDENT = _IDENT_START + "0123456789"

def _qualifiers(go_type):
    """The package names a Go type expression uses: the identifiers before a dot."""
    names = []
    word = ""
    for c in go_type.elems():
        if c in _IDENT:
            word += c
            continue
        if c == "." and word and word[0] in _IDENT_START and word not in names:
            names.append(word)
        word = ""
    return names

def _package_name(importpath):
    """The name types are qualified with: the import path's last element (before a /vN)."""
    parts = importpath.split("/")
    name = parts[-1]
    if len(parts) > 1 and name.startswith("v") and name[1:].isdigit():
        name = parts[-2]
    return "".join([c if c in _IDENT else "_" for c in name.elems()])

def _go_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

def _millis(ctx, attr, d, example, zero_ok = False):
    for unit, factor in [("ms", 1), ("s", 1000), ("m", 60000)]:
        if d.endswith(unit) and d[:-len(unit)].isdigit():
            ms = int(d[:-len(unit)]) * factor
            if ms == 0 and not zero_ok:
                fail("%s: %s = %r: a timeout must be more than zero, such as \"%s\" (the default)." % (ctx.label, attr, d, example))
            return ms
    fail("%s: %s = %r: write a whole number of ms, s or m, such as \"%s\"." % (ctx.label, attr, d, example))

_CLOSING = {")": "(", "]": "[", "}": "{"}

def _check_type(ctx, key, go_type):
    """Refuses a type the generated checker could not place: empty, several lines, unbalanced brackets.

    Other mistakes reach the compiler, which reports them at the symbol (see _main_go).
    """
    problem = ""
    if not go_type.strip():
        problem = "the type is empty"
    elif "\n" in go_type or "//" in go_type or "/*" in go_type:
        problem = "write the type on one line, without comments"
    else:
        stack = []
        quote = ""
        for c in go_type.elems():
            if quote:
                if c == quote:
                    quote = ""
            elif c in "\"`":
                quote = c
            elif c in "([{":
                stack.append(c)
            elif c in _CLOSING:
                if not stack or stack.pop() != _CLOSING[c]:
                    problem = "%s closes nothing" % c
                    break
        if not problem and (stack or quote):
            problem = "%s is not closed" % (quote or stack[-1])
    if problem:
        fail("%s: symbols[%r] = %r is not a Go type: %s. Write the type the host asserts, e.g. \"func() pluginapi.Plugin\"." % (
            ctx.label,
            key,
            go_type,
            problem,
        ))

def _qualifier_imports(ctx, unknown, used, by_name, deps):
    """The deps to import without an alias, for the qualifiers in unknown.

    A qualifier that is neither the last element of a dep's import path nor
    in imports is the package clause of a dep: with as many such qualifiers
    as deps left over, those deps are imported without an alias and the
    compiler binds their package names (a wrong one is reported at its
    symbol). Otherwise no import could be right, and analysis fails.
    """
    rest = [ip for ip in deps if ip not in used.values()]
    if not unknown:
        return []
    if len(rest) == len(unknown):
        return rest
    q, sym, go_type = unknown[0]
    fail(("%s: the type %r of symbol %s uses package %s, but no dep is named so. Add the go_library to deps " +
          "and qualify types with its package name or the last element of its import path, or name it with " +
          "imports = {%r: \"<its import path>\"} (deps give: %s).") % (
        ctx.label,
        go_type,
        sym,
        q,
        q,
        ", ".join(sorted(by_name.keys())) or "none",
    ))

def _deps_by_name(ctx, deps):
    """Each dep's import path by the name types may qualify with: the last element, or an imports alias."""
    by_name = {_package_name(ip): ip for ip in deps}
    for name, ip in ctx.attr.imports.items():
        if not name or name[0] not in _IDENT_START or [c for c in name.elems() if c not in _IDENT]:
            fail("%s: imports key %r is not a Go identifier: write the name the types in symbols qualify with." % (ctx.label, name))
        if ip not in deps:
            fail("%s: imports[%r] = %r is not the import path of a dep; add its go_library to deps (deps give: %s)." % (
                ctx.label,
                name,
                ip,
                ", ".join(sorted(deps)) or "none",
            ))
        by_name[name] = ip
    return by_name

def _main_go(ctx, symbols, deps, host_deps, sources):
    """Writes the checker's main package: a real type assertion per symbol."""
    timeout = _millis(ctx, "open_timeout", ctx.attr.open_timeout, "10s")
    settle = _millis(ctx, "settle_time", ctx.attr.settle_time, "100ms", zero_ok = True)
    if settle >= timeout:
        fail("%s: settle_time = %r is not less than open_timeout = %r: the timeout covers the settle time; shorten settle_time or lengthen open_timeout." % (
            ctx.label,
            ctx.attr.settle_time,
            ctx.attr.open_timeout,
        ))
    by_name = _deps_by_name(ctx, deps)
    used = {}
    unknown = []
    lines = []
    for name in sorted(symbols):
        go_type = symbols[name]
        optional = name.endswith("?")
        sym = name[:-1] if optional else name
        if not sym or not sym[0].isupper():
            fail("%s: symbols key %r: a plugin symbol is an exported name (add ? at the end for an optional one)." % (ctx.label, name))
        _check_type(ctx, name, go_type)
        for q in _qualifiers(go_type):
            if q in by_name:
                used[q] = by_name[q]
            elif q not in [u[0] for u in unknown]:
                unknown.append((q, sym, go_type))

        # The type sits on a line of its own, under a //line directive, so
        # that the compiler reports a mistake in it at the symbol, not at a
        # line of this generated file.
        lines += [
            "\t\t\t{Name: %s, Want: %s, Optional: %s, Check: func(s _plugin.Symbol) bool {" % (
                _go_string(sym),
                _go_string(go_type),
                "true" if optional else "false",
            ),
            "\t\t\t\t_, ok := s.(",
            "//line symbols[%s] = %s:1:1" % (_go_string(name), _go_string(go_type)),
            "%s)" % go_type,
            "\t\t\t\treturn ok",
            "\t\t\t}},",
        ]
    unaliased = _qualifier_imports(ctx, unknown, used, by_name, deps)
    imports = ['\t%s "%s"' % (q, used[q]) for q in sorted(used)] + ['\t"%s"' % ip for ip in sorted(unaliased)]

    # The host's deps, so the checker links the host's packages.
    imports += ['\t_ "%s"' % ip for ip in sorted(host_deps) if ip not in used.values() and ip not in unaliased and ip != _LOADCHECK]
    src = ctx.actions.declare_file("%s_loadcheck/main.go" % ctx.label.name)
    ctx.actions.write(src, "\n".join([
        "// Generated by go_plugin_test for %s." % ctx.label,
        "package main",
        "",
        "import (",
        # Aliased, so that a dep whose package clause says plugin (or os,
        # time, loadcheck) can be imported under its own name.
        '\t_os "os"',
        '\t_plugin "plugin"',
        '\t_time "time"',
        "",
        '\t_loadcheck "%s"' % _LOADCHECK,
    ] + imports + [
        ")",
        "",
        "// Used even when symbols is empty and the test only opens each plugin.",
        "var _ _plugin.Symbol",
        "",
        "func main() {",
        "\t_os.Exit(_loadcheck.Main(_loadcheck.Spec{",
        "\t\tSymbols: []_loadcheck.Symbol{",
    ] + lines + [
        "\t\t},",
        "\t\tSmoke:   %s," % _go_string(ctx.attr.smoke),
        "\t\tTimeout: %d * _time.Millisecond," % timeout,
        "\t\tSettle:  %d * _time.Millisecond," % settle,
        "\t\tSources: [][]string{",
    ] + [
        "\t\t\t{%s}," % ", ".join([_go_string(s) for s in srcs])
        for srcs in sources
    ] + [
        "\t\t},",
        "\t}))",
        "}",
        "",
    ]))
    return src

def _go_plugin_test_impl(ctx):
    go = go_context(ctx)
    check_plugin_support(ctx, go)
    host = ctx.attr.host[GoPluginHostInfo]
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins] if ctx.attr.plugins else host.plugins
    if not plugins:
        fail("%s: no plugins to check: the host %s has none and plugins is empty." % (ctx.label, ctx.attr.host.label))
    refuse_repeated_plugins(ctx, plugins)
    deps = library_deps(ctx.label, ctx.attr.deps)
    plugin_srcs = [[f for f in p.srcs if f.extension == "go"] for p in plugins]
    sources = [[rlocation(ctx, f) for f in srcs] for srcs in plugin_srcs]
    src = _main_go(ctx, ctx.attr.symbols, [d.importpath for d in deps], [d.importpath for d in host.deps], sources)

    all_deps = [ctx.attr._loadcheck[GoLibraryInfo]] + deps + host.deps
    sources = struct(srcs = [src], embedsrcs = [], dir = src.dirname)

    # The child runs with the host's GODEBUG defaults, as the host would.
    exe = emit_executable(ctx, go, "command", sources, all_deps, str(ctx.label), require_plugin = True, godebug = host.godebug, stamp = stamp_enabled(ctx), xdefs = {
        LOADER_PLUGINS_VAR: ",".join([rlocation(ctx, p.so) for p in plugins]),
        _LOADCHECK + ".hostRlocation": rlocation(ctx, host.exe),
    }).exe
    runfiles = ctx.runfiles(
        files = [host.exe] + [p.so for p in plugins] + [f for srcs in plugin_srcs for f in srcs],
        transitive_files = depset(transitive = [d.data for d in all_deps]),
    )
    for t in [ctx.attr.host] + ctx.attr.plugins:
        runfiles = runfiles.merge(t[DefaultInfo].default_runfiles)
    return [DefaultInfo(executable = exe, runfiles = runfiles)]

go_plugin_test = rule(
    implementation = _go_plugin_test_impl,
    cfg = settings_transition,
    attrs = dict(
        host = attr.label(
            mandatory = True,
            providers = [GoPluginHostInfo],
            doc = "The go_plugin_host whose packages and configuration the check is built with, so its packages' hashes and its type assertions are the host's.",
        ),
        plugins = attr.label_list(
            providers = [GoPluginInfo],
            doc = "Plugins to check (go_plugin or go_plugin_import); defaults to the host's plugins.",
        ),
        symbols = attr.string_dict(
            doc = """Each symbol the host looks up, mapped to the Go type the host asserts, e.g.
            {"New": "func() pluginapi.Plugin", "Version?": "*string"}. A variable is looked up
            as a pointer. Qualify types with a dep's package name (its package clause), the
            last element of its import path, or a name given in imports. A name
            ending in ? is optional: checked when present. A type with unbalanced brackets
            is an analysis error; one the compiler rejects is reported at its symbol.""",
        ),
        deps = attr.label_list(
            aspects = [rules_go_library_aspect],
            doc = "go_library targets the types in symbols come from (of this ruleset or of rules_go). A qualifier no dep can provide is an analysis error.",
        ),
        imports = attr.string_dict(
            doc = """Names for deps, as a Go import alias gives them: {"papi": "github.com/x/plugin-api"}
            lets symbols say papi.Info. Each value is the import path of a dep. Needed only
            when several deps are qualified by their package clause and it differs from the
            last element of their import path.""",
        ),
        smoke = attr.string(
            doc = "A func() error every plugin exports, called after the symbols check out; a non-nil error (or a panic) fails the test.",
        ),
        open_timeout = attr.string(
            default = "10s",
            doc = "How long opening and checking one plugin may take before it is reported as hung and its process group killed, e.g. \"10s\", \"500ms\", \"1m\"; more than zero.",
        ),
        settle_time = attr.string(
            default = "100ms",
            doc = """How long the child waits after the last check before it exits, e.g. "100ms", "1s", "0s"
            (no wait). A plugin that ends the process in that time (a goroutine of its init calling
            os.Exit or syscall.Exit) fails the test: the child ends only with a status of its own.
            Must be less than open_timeout.""",
        ),
        _loadcheck = attr.label(
            default = Label("//loadcheck"),
            providers = [GoLibraryInfo],
        ),
        **dict(GO_TOOL_ATTRS, **dict(TRANSITION_ATTRS, **TEST_STAMP_ATTRS))
    ),
    test = True,
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = """Opens each plugin, in a child process of its own, with the host's exact packages and
configuration, looks up the symbols the host relies on and asserts their types. Reports one
result per plugin and symbol in the test log and in the test XML.

Refused at analysis time with `--@rules_go_plugin//go_plugin:cgo=false` and for
platforms Go has no plugins on.""",
)
