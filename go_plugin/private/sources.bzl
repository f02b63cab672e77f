"""Checks and arranges the sources of one Go package (srcs and embedsrcs)."""

def _rootless(f):
    # short_path of a file in another repository starts with "../<repo>/".
    return f.short_path[3:] if f.short_path.startswith("../") else f.short_path

# C headers are only #included, never compiled on their own, so they may sit
# in subdirectories (#include "sub/x.h"); the other files make the package.
_HEADER_EXTENSIONS = ["h", "hh", "hpp", "hxx", "inc"]

def package_sources(ctx):
    """Checks and arranges the sources of the package ctx builds.

    Args:
      ctx: the rule context; reads srcs and, when present, embedsrcs.

    Returns:
      struct(srcs, embedsrcs: list of (relative path, File), dir).
    """
    return check_sources(ctx.label, ctx.files.srcs, getattr(ctx.files, "embedsrcs", []))

def check_sources(label, srcs, embedsrc_files):
    """Checks and arranges the sources of one package, given as files.

    A Go package is one directory, so every file but the C headers must be in
    the same directory (generated files count by their path below bazel-bin). Each
    embedsrc is keyed by its path relative to that directory, which is what
    //go:embed patterns name.

    Args:
      label: the target the package belongs to, for messages.
      srcs: list of source Files.
      embedsrc_files: list of Files that //go:embed may name.

    Returns:
      struct(srcs, embedsrcs: list of (relative path, File), dir).
    """
    if not srcs:
        fail("%s: srcs is empty; a Go package needs at least one .go file." % label)
    dirs = {}
    for f in srcs:
        if f.extension in _HEADER_EXTENSIONS:
            continue
        dirs.setdefault(_rootless(f).rpartition("/")[0], []).append(f.basename)
    if not dirs:
        fail("%s: srcs has only C headers; a Go package needs at least one .go file." % label)
    if len(dirs) > 1:
        fail("%s: srcs are in several directories (%s); a Go package is one directory, so split them into one target per directory." % (
            label,
            ", ".join([(d or ".") + ": " + ", ".join(names) for d, names in sorted(dirs.items())]),
        ))
    pkg_dir = dirs.keys()[0]
    prefix = pkg_dir + "/" if pkg_dir else ""

    embedsrcs = []
    for f in embedsrc_files:
        path = _rootless(f)
        if not path.startswith(prefix):
            fail("%s: embedsrc %s is not in or below the package directory %s; //go:embed can only name files there." % (
                label,
                path,
                pkg_dir or ".",
            ))
        embedsrcs.append((path[len(prefix):], f))
    return struct(srcs = srcs, embedsrcs = embedsrcs, dir = pkg_dir)
