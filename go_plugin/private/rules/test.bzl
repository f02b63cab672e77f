"""go_plugin_test: opens each plugin in a copy of the host and checks its symbols.

Two binaries: the parent (package loadcheck, with the static check, the
explanations and the test XML) and the child, linked as the host is (its
archives, main package, link mode, cdeps, GODEBUG default and x_defs) plus
one file (loadcheck/hostchild/child.go), which opens one plugin when the
parent asks. What the test opens, the host opens.
"""

load("//go_plugin/private:actions/compile.bzl", "emit_compile")
load("//go_plugin/private:actions/link.bzl", "emit_executable", "emit_link", "link_variant", "linked_packages")
load("//go_plugin/private:context.bzl", "GO_FRAGMENTS", "GO_TOOLCHAINS", "GO_TOOL_ATTRS", "go_context")
load("//go_plugin/private:library_info.bzl", "library_deps")
load("//go_plugin/private:platforms.bzl", "check_plugin_support")
load("//go_plugin/private:providers.bzl", "GoLibraryInfo", "GoPluginHostInfo", "GoPluginInfo")
load("//go_plugin/private:rules/settings_transition.bzl", "TRANSITION_ATTRS", "settings_transition")
load("//go_plugin/private:rules_go/aspect.bzl", "rules_go_library_aspect")
load("//go_plugin/private:runfiles.bzl", "LOADER_PLUGINS_VAR", "rlocation")
load("//go_plugin/private:unique.bzl", "refuse_repeated_plugins")
load("//go_plugin/private:xdefs.bzl", "link_x_defs", "refuse_lost_plugin_x_defs")

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

def _durations(ctx):
    timeout = _millis(ctx, "open_timeout", ctx.attr.open_timeout, "10s")
    settle = _millis(ctx, "settle_time", ctx.attr.settle_time, "100ms", zero_ok = True)
    if settle >= timeout:
        fail("%s: settle_time = %r is not less than open_timeout = %r: the timeout covers the settle time; shorten settle_time or lengthen open_timeout." % (
            ctx.label,
            ctx.attr.settle_time,
            ctx.attr.open_timeout,
        ))
    return timeout, settle

def _symbol_table(ctx, symbols, deps):
    """The child's symbol table: a real type assertion per symbol, and the imports it needs.

    Returns:
      struct(entries, imports: lines of Go; users: import path -> the symbols whose types use it).
    """
    by_name = _deps_by_name(ctx, deps)
    used = {}
    users = {}
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
                users.setdefault(by_name[q], []).append(sym)
            elif q not in [u[0] for u in unknown]:
                unknown.append((q, sym, go_type))

        # The type sits on a line of its own, under a //line directive, so
        # that the compiler reports a mistake in it at the symbol, not at a
        # line of this generated file.
        lines += [
            "\t{name: %s, optional: %s, check: func(s _goPluginTestPlugin.Symbol) bool {" % (
                _go_string(sym),
                "true" if optional else "false",
            ),
            "\t\t_, ok := s.(",
            "//line symbols[%s] = %s:1:1" % (_go_string(name), _go_string(go_type)),
            "%s)" % go_type,
            "\t\treturn ok",
            "\t}},",
        ]
    unaliased = _qualifier_imports(ctx, unknown, used, by_name, deps)
    for ip in unaliased:
        users[ip] = [u[1] for u in unknown]
    imports = ['\t%s "%s"' % (q, used[q]) for q in sorted(used)] + ['\t"%s"' % ip for ip in sorted(unaliased)]
    return struct(entries = lines, imports = imports, users = users)

def _parent_go(ctx, symbols, sources):
    """Writes the parent's main package: the spec, without the type assertions (the child makes them)."""
    timeout, settle = _durations(ctx)
    src = ctx.actions.declare_file("%s_loadcheck/main.go" % ctx.label.name)
    ctx.actions.write(src, "\n".join([
        "// Generated by go_plugin_test for %s." % ctx.label,
        "package main",
        "",
        "import (",
        '\t"os"',
        '\t"time"',
        "",
        '\t"%s"' % _LOADCHECK,
        ")",
        "",
        "func main() {",
        "\tos.Exit(loadcheck.Main(loadcheck.Spec{",
        "\t\tSymbols: []loadcheck.Symbol{",
    ] + [
        "\t\t\t{Name: %s, Want: %s, Optional: %s}," % (
            _go_string(name[:-1] if name.endswith("?") else name),
            _go_string(symbols[name]),
            "true" if name.endswith("?") else "false",
        )
        for name in sorted(symbols)
    ] + [
        "\t\t},",
        "\t\tSmoke:   %s," % _go_string(ctx.attr.smoke),
        "\t\tTimeout: %d * time.Millisecond," % timeout,
        "\t\tSettle:  %d * time.Millisecond," % settle,
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

def _host_packages(ctx, host):
    """The host's non-standard packages by package path."""
    variant = link_variant(host.main.mode)
    return {p.packagepath: p for p in linked_packages(ctx, host.deps, variant)}

def _symbol_deps(ctx, host, deps, users):
    """The deps the symbols' types use, each of which the host must link.

    A type of a package the host does not link is one no host can assert,
    and the child, which links exactly the host's packages, cannot either.
    """
    linked = _host_packages(ctx, host)
    variant = link_variant(host.main.mode)
    out = []
    for d in deps:
        syms = users.get(d.importpath)
        if not syms:
            continue
        pkg = linked.get(d.packagepath)
        if not pkg:
            fail(("%s: the type of symbol %s uses package %s (%s), which the host %s does not link: no host of these " +
                  "plugins can assert it, and go_plugin_test opens plugins with exactly the host's packages. Add %s " +
                  "to the host's deps (directly or through a library), or drop the symbol from symbols.") % (
                ctx.label,
                ", ".join(syms),
                d.importpath,
                d.label,
                ctx.attr.host.label,
                d.label,
            ))
        if pkg.archive != d.archives[variant]:
            fail("%s: deps has %s for package %s, but the host %s links it from %s; name the host's target in deps." % (
                ctx.label,
                d.label,
                d.packagepath,
                ctx.attr.host.label,
                pkg.label,
            ))
        out.append(d)
    return out

def _emit_child(ctx, go, host, table, deps):
    """Links the child: the host's main package plus the template's file, as the host is linked.

    The file's name sorts after the host's (the builder compiles a package's
    files in name order), so its init runs after the host's own.
    """
    child_go = ctx.actions.declare_file("%s_child/~go_plugin_test_child.go" % ctx.label.name)
    ctx.actions.expand_template(
        template = ctx.file._child_template,
        output = child_go,
        substitutions = {
            "//go:build ignore\n": "// Generated by go_plugin_test for %s from @rules_go_plugin//loadcheck:hostchild/child.go.\n" % ctx.label,
            "\t// go_plugin_test: imports\n": "".join([line + "\n" for line in table.imports]),
            "\t// go_plugin_test: symbols\n": "".join([line + "\n" for line in table.entries]),
        },
    )
    main = host.main
    variant = link_variant(main.mode)
    sources = struct(srcs = main.sources.srcs + [child_go], embedsrcs = main.sources.embedsrcs, dir = main.sources.dir)
    all_deps = host.deps + [d for d in deps if d not in host.deps]
    archive = ctx.actions.declare_file("_go/%s.child.main.a" % ctx.label.name)
    main_std = emit_compile(ctx, go, "host", sources, all_deps, main.importpath, variant, archive, packagepath = "main", cgo = main.cgo)

    # Named as the host, for a host that looks at its own name.
    exe = ctx.actions.declare_file("%s_child/%s" % (ctx.label.name, host.exe.basename))
    emit_link(
        ctx,
        go,
        main.mode,
        archive,
        all_deps,
        exe,
        xdefs = main.xdefs,
        plain_xdefs = main.plain_xdefs,
        # Stamped as the host is: the same values, from the same status files.
        stamp = main.stamp,
        cc_link_files = main.cgo.cdeps.link_files if main.cgo else None,
        buildinfo_path = main.importpath,
        require_plugin = True,
        main_std = main_std,
        godebug = host.godebug,
    )
    return exe

def _go_plugin_test_impl(ctx):
    go = go_context(ctx)
    check_plugin_support(ctx, go)
    host = ctx.attr.host[GoPluginHostInfo]
    plugins = [p[GoPluginInfo] for p in ctx.attr.plugins] if ctx.attr.plugins else host.plugins
    if not plugins:
        fail("%s: no plugins to check: the host %s has none and plugins is empty." % (ctx.label, ctx.attr.host.label))
    refuse_repeated_plugins(ctx, plugins)
    if ctx.attr.plugins:  # the host's own were checked by the host
        refuse_lost_plugin_x_defs(ctx, ctx.attr.host.label, _host_packages(ctx, host), link_x_defs(ctx, host.deps, host.main.xdefs), plugins)
    deps = library_deps(ctx.label, ctx.attr.deps)
    table = _symbol_table(ctx, ctx.attr.symbols, [d.importpath for d in deps])
    child = _emit_child(ctx, go, host, table, _symbol_deps(ctx, host, deps, table.users))

    plugin_srcs = [[f for f in p.srcs if f.extension == "go"] for p in plugins]
    src = _parent_go(ctx, ctx.attr.symbols, [[rlocation(ctx, f) for f in srcs] for srcs in plugin_srcs])
    loadcheck = ctx.attr._loadcheck[GoLibraryInfo]
    sources = struct(srcs = [src], embedsrcs = [], dir = src.dirname)
    exe = emit_executable(ctx, go, "command", sources, [loadcheck], str(ctx.label), plain_xdefs = {
        LOADER_PLUGINS_VAR: ",".join([rlocation(ctx, p.so) for p in plugins]),
        _LOADCHECK + ".hostRlocation": rlocation(ctx, host.exe),
        _LOADCHECK + ".childRlocation": rlocation(ctx, child),
    }).exe
    runfiles = ctx.runfiles(
        files = [host.exe, child] + [p.so for p in plugins] + [f for srcs in plugin_srcs for f in srcs],
        transitive_files = depset(transitive = [d.data for d in [loadcheck] + host.deps]),
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
            doc = "The go_plugin_host the child that opens the plugins is a copy of: the same packages, main package, link flags, GODEBUG default and x_defs.",
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
            doc = "go_library targets the types in symbols come from (of this ruleset or of rules_go); each must be a package the host links, from the same target. A qualifier no dep can provide is an analysis error.",
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
        _child_template = attr.label(
            default = Label("//loadcheck:hostchild/child.go"),
            allow_single_file = True,
        ),
        **dict(GO_TOOL_ATTRS, **TRANSITION_ATTRS)
    ),
    test = True,
    toolchains = GO_TOOLCHAINS,
    fragments = GO_FRAGMENTS,
    doc = """Opens each plugin in a child process of its own, a copy of the host (its archives, main
package, link mode, cdeps, GODEBUG default and x_defs, plus one file that opens the plugin
from its init), looks up the symbols the host relies on and asserts their types: what the
test opens, the host opens. Reports one result per plugin and symbol in the test log and in
the test XML.

Refused at analysis time with `--@rules_go_plugin//go_plugin:cgo=false` and for
platforms Go has no plugins on.""",
)
