"""Public API of rules_go_plugin: the rules and the providers they return.

```starlark
load("@rules_go_plugin//go_plugin:defs.bzl", "go_library", "go_plugin", "go_plugin_host", "go_plugin_import", "go_plugin_release", "go_plugin_release_test", "go_plugin_test")
```
"""

load("//go_plugin/private:providers.bzl", _GoLibraryInfo = "GoLibraryInfo", _GoPluginInfo = "GoPluginInfo")
load("//go_plugin/private:rules/host.bzl", _go_plugin_host = "go_plugin_host")
load("//go_plugin/private:rules/import.bzl", _go_plugin_import = "go_plugin_import")
load("//go_plugin/private:rules/library.bzl", _go_library = "go_library")
load("//go_plugin/private:rules/plugin.bzl", _go_plugin = "go_plugin")
load("//go_plugin/private:rules/release.bzl", _go_plugin_release = "go_plugin_release")
load("//go_plugin/private:rules/release_test.bzl", _go_plugin_release_test = "go_plugin_release_test")
load("//go_plugin/private:rules/test.bzl", _go_plugin_test = "go_plugin_test")

go_library = _go_library
go_plugin = _go_plugin
go_plugin_host = _go_plugin_host
go_plugin_import = _go_plugin_import
go_plugin_release = _go_plugin_release
go_plugin_release_test = _go_plugin_release_test
go_plugin_test = _go_plugin_test
GoLibraryInfo = _GoLibraryInfo
GoPluginInfo = _GoPluginInfo
