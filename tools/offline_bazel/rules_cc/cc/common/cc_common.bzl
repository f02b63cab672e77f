"""Stand-in for @rules_cc//cc/common:cc_common.bzl: Bazel 4's built-in cc_common."""

load(":builtin.bzl", "BUILTIN_CC_COMMON")

cc_common = BUILTIN_CC_COMMON
