"""Bazel 4's built-in CcInfo, under a name cc_info.bzl can re-export."""

BUILTIN_CC_INFO = CcInfo  # buildifier: disable=native-cc-info
