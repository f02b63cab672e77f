"""The C side of cgo packages: attributes, and what cdeps give to compile and link."""

# rules_cc's CcInfo: a built-in until Bazel 8, only in rules_cc from Bazel 9.
load("@rules_cc//cc/common:cc_info.bzl", "CcInfo")

CGO_ATTRS = {
    "cdeps": attr.label_list(
        providers = [CcInfo],
        doc = "C/C++ libraries (cc_library and the like) the package's cgo code uses: their headers are visible to its C files and their libraries are linked into every host and plugin that links the package.",
    ),
    "copts": attr.string_list(
        doc = "Flags for the C compiler, for the package's C, C++ and assembly files and cgo's generated C (as #cgo CFLAGS).",
    ),
    "cxxopts": attr.string_list(
        doc = "Flags for the C++ compiler only (as #cgo CXXFLAGS).",
    ),
    "clinkopts": attr.string_list(
        doc = "Flags for the external linker of every host and plugin that links the package (as #cgo LDFLAGS).",
    ),
}

def _library_file(lib):
    """The archive to link for a LibraryToLink: position-independent when there is one."""
    for f in [lib.pic_static_library, lib.static_library, lib.dynamic_library]:
        if f:
            return f
    return None

def cgo_options(ctx):
    """Reads the cgo attributes of a rule of this ruleset, and its cdeps.

    Args:
      ctx: the rule context; reads copts, cxxopts, clinkopts and cdeps when present.

    Returns:
      The struct of cgo_options_of.
    """
    attrs = ctx.attr
    return cgo_options_of(
        ctx.label,
        cdeps = getattr(attrs, "cdeps", []),
        copts = getattr(attrs, "copts", []),
        cxxopts = getattr(attrs, "cxxopts", []),
        clinkopts = getattr(attrs, "clinkopts", []),
    )

def cgo_options_of(label, cdeps = [], cppopts = [], copts = [], conlyopts = [], cxxopts = [], clinkopts = []):
    """The C flags of a package, and the headers and libraries of its cdeps.

    Args:
      label: the target the flags belong to, for messages.
      cdeps: targets with CcInfo.
      cppopts: preprocessor flags for C, C++ and assembly files.
      copts: C compiler flags for C, C++ and assembly files (this ruleset's copts).
      conlyopts: C compiler flags for C and assembly files only (rules_go's copts).
      cxxopts: C++ compiler flags.
      clinkopts: external linker flags.

    Returns:
      struct(cppopts, copts, conlyopts, cxxopts, clinkopts,
      cdeps = struct(includes, defines, libs, files, link_files)).
    """
    includes = []
    defines = []
    libs = []
    headers = []
    link_files = []
    for dep in cdeps:
        if CcInfo not in dep:
            fail("%s: cdeps %s has no CcInfo: cdeps takes C/C++ libraries (cc_library and the like)." % (label, dep.label))
        cc = dep[CcInfo]
        comp = cc.compilation_context
        for group in [comp.includes, comp.quote_includes, comp.system_includes]:
            includes.extend(group.to_list())
        defines.extend(comp.defines.to_list())
        headers.append(comp.headers)
        for linker_input in cc.linking_context.linker_inputs.to_list():
            for lib in linker_input.libraries:
                f = _library_file(lib)
                if f and f not in link_files:
                    link_files.append(f)
                    libs.append(f.path)

    # "." is how the exec root shows up for headers of the main repository.
    includes = {i: True for i in includes + ["."] if i}.keys() if headers else []
    return struct(
        cppopts = cppopts,
        copts = copts,
        conlyopts = conlyopts,
        cxxopts = cxxopts,
        clinkopts = clinkopts,
        cdeps = struct(
            includes = includes,
            defines = defines,
            libs = libs,
            files = depset(link_files, transitive = headers),
            link_files = depset(link_files),
        ),
    )
