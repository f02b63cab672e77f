package starlarkcheck

// What Bazel 8 and 9 removed from the global scope, and where it lives now.
// Bazel 9 has no native C++, Java, shell, proto or Python rules and none of
// their providers or *_common modules; they must be loaded.
var removedGlobals = map[string]string{}

func init() {
	add := func(from string, names ...string) {
		for _, n := range names {
			removedGlobals[n] = from
		}
	}
	add("@rules_cc//cc:defs.bzl", "cc_binary", "cc_import", "cc_library", "cc_proto_library",
		"cc_shared_library", "cc_static_library", "cc_test", "cc_toolchain", "cc_toolchain_suite",
		"fdo_prefetch_hints", "fdo_profile", "memprof_profile", "propeller_optimize",
		"objc_import", "objc_library")
	add("@rules_cc//cc/common:cc_info.bzl", "CcInfo")
	add("@rules_cc//cc/common:cc_common.bzl", "cc_common")
	add("@rules_cc//cc/common:cc_shared_library_info.bzl", "CcSharedLibraryInfo")
	add("@rules_cc//cc/common:debug_package_info.bzl", "DebugPackageInfo")
	add("@rules_cc//cc/toolchains:cc_toolchain_config_info.bzl", "CcToolchainConfigInfo")
	add("@rules_java//java:defs.bzl", "java_binary", "java_import", "java_library",
		"java_lite_proto_library", "java_package_configuration", "java_plugin", "java_proto_library",
		"java_runtime", "java_test", "java_toolchain", "JavaInfo", "JavaPluginInfo", "java_common")
	add("@rules_shell//shell:sh_binary.bzl, sh_library.bzl or sh_test.bzl (or a Starlark rule with test = True)",
		"sh_binary", "sh_library", "sh_test")
	add("@protobuf//bazel:proto_library.bzl (or @rules_proto)", "proto_library", "proto_lang_toolchain",
		"ProtoInfo", "proto_common")
	add("@rules_python//python:defs.bzl", "py_binary", "py_library", "py_test", "py_runtime",
		"PyInfo", "PyRuntimeInfo")
	add("@rules_android", "android_binary", "android_library", "android_sdk", "aar_import")
}
