"""Loaded the way users load rules_go: load("@io_bazel_rules_go//go:def.bzl", "go_library")."""

load("//go:private/library.bzl", _GoInfo = "GoInfo", _go_library = "go_library")
load("//go:private/unbuilt.bzl", _go_binary = "go_binary", _go_test = "go_test")

GoInfo = _GoInfo
go_library = _go_library
go_binary = _go_binary
go_test = _go_test
