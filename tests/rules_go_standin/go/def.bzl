"""Loaded the way users load rules_go: load("@io_bazel_rules_go//go:def.bzl", "go_library")."""

load("//go:private/library.bzl", _GoInfo = "GoInfo", _go_library = "go_library")

GoInfo = _GoInfo
go_library = _go_library
