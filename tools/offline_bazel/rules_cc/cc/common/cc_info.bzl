"""Stand-in for @rules_cc//cc/common:cc_info.bzl: Bazel 4's built-in CcInfo."""

load(":builtin.bzl", "BUILTIN_CC_INFO")

CcInfo = BUILTIN_CC_INFO
