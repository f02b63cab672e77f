"""Declares the offline stand-ins (see README.md) for Bazel 4.2.3 without network."""

# buildifier: disable=unnamed-macro
def offline_bazel_repositories(path, bazel_skylib = "/usr/share/bazel/tools/skylib"):
    """Declares @rules_cc, @rules_java and @remote_coverage_tools stand-ins, and @bazel_skylib.

    Call it before rules_go_plugin_dependencies(), which then keeps this
    @bazel_skylib instead of declaring its download.

    Args:
      path: this directory, relative to the calling workspace's root.
      bazel_skylib: a bazel-skylib checkout; the default is where Debian's
        bazel-skylib package installs it.
    """
    for name in ["rules_cc", "rules_java", "remote_coverage_tools"]:
        native.local_repository(name = name, path = path + "/" + name)
    native.local_repository(name = "bazel_skylib", path = bazel_skylib)
