"""Bazel 4's built-in CcInfo, under a name cc_info.bzl can re-export."""

# starlarkcheck-file: Bazel 4 only: the offline stand-in of @rules_cc re-exports the native globals

BUILTIN_CC_INFO = CcInfo  # buildifier: disable=native-cc-info

BUILTIN_CC_COMMON = cc_common  # buildifier: disable=native-cc-common
