"""The default plugin path of a go_plugin: the one place it is computed.

It must be unique per target (two plugins with one path cannot be loaded
into one host) and the same on every Bazel version, since it is the
plugin's main package path and part of its file: a host that pins plugin
paths, or compares files across builds, must not see it change when Bazel
is upgraded. So it is made from the package, the target name and, for
another repository, a repository name that does not depend on Bazel's
mangling of canonical names. (A default closer to the go command's, the
import path, belongs here too: issue 22.)
"""

def _repo_name(label):
    """The canonical repository name of label; "" for the main repository."""

    # repo_name exists from Bazel 7.1; workspace_name, its predecessor, is
    # hidden by --incompatible_enable_deprecated_label_apis. workspace_root
    # ("external/<name>", or "../<name>" with the sibling layout) is in all.
    if hasattr(label, "repo_name"):
        return label.repo_name
    return label.workspace_root.rpartition("/")[2]

def stable_repo_path(canonical):
    """A repository's name as Bazel-version-independent path segments.

    WORKSPACE names are kept. bzlmod's canonical names are
    "<module>~<version>" (Bazel 7.0), "<module>~" (7.1), "<module>+" (8+),
    and for an extension's repository "<module>~<version>~<ext>~<name>",
    "<module>~~<ext>~<name>", "<module>++<ext>+<name>"; the root module's
    are "_main~<ext>~<name>" (7) and "+<ext>+<name>" (8+). The separator and
    the version are dropped: "<module>/<ext>/<name>".

    Args:
      canonical: the canonical repository name.

    Returns:
      A list of path segments; empty for the main repository.
    """
    parts = canonical.replace("~", "+").split("+")
    if len(parts) == 1:
        return [canonical] if canonical and canonical != "_main" else []
    if parts[0] in ("", "_main"):
        rest = parts[1:]  # the root module has no version segment
    else:
        rest = [parts[0]] + parts[2:]
    return [p for p in rest if p]

def pluginpath_for(canonical_repo, package, name):
    """The default plugin path of target `name` in `package` of a repository.

    Args:
      canonical_repo: the repository's canonical name ("" for the main one).
      package: the package path.
      name: the target name.

    Returns:
      "plugin/<package>/<name>", with "external/<repository>/" after
      "plugin/" in another repository.
    """
    repo = stable_repo_path(canonical_repo)
    parts = ["plugin"] + (["external"] + repo if repo else []) + ([package] if package else []) + [name]
    return "/".join(parts)

def default_pluginpath(label):
    """The default plugin path of a go_plugin target.

    Args:
      label: the target's label.

    Returns:
      See pluginpath_for.
    """
    return pluginpath_for(_repo_name(label), label.package, label.name)
