"""Declares the offline stand-ins (see README.md) for Bazel 4.2.3 without network."""

# buildifier: disable=unnamed-macro
def offline_bazel_repositories(path):
    """Declares @rules_cc, @rules_java and @remote_coverage_tools stand-ins.

    Args:
      path: this directory, relative to the calling workspace's root.
    """
    for name in ["rules_cc", "rules_java", "remote_coverage_tools"]:
        native.local_repository(name = name, path = path + "/" + name)
