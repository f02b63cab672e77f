package starlarkcheck

import (
	"strings"
	"testing"
	"testing/fstest"
)

// Each bad file must give a finding that contains want; the good files none.
func TestFindsWhatBazel9Removed(t *testing.T) {
	pkg := fstest.MapFS{
		"a.go":          {Data: []byte("package a")},
		"sub/BUILD":     {Data: []byte("")},
		"sub/b.go":      {Data: []byte("package b")},
		"data/x.txt":    {Data: []byte("x")},
		"bazel-out/c.c": {Data: []byte("")},
	}
	for _, c := range []struct{ name, file, src, want string }{
		{"native cc_library", "BUILD", `cc_library(name = "c", srcs = ["a.go"])`, "cc_library is not a global in Bazel 9; load it from @rules_cc//cc:defs.bzl"},
		{"sh_test", "BUILD.bazel", `sh_test(name = "t", srcs = ["t.sh"])`, "sh_test is not a global in Bazel 9"},
		{"CcInfo", "x.bzl", "def f(d):\n    return d[CcInfo]\n", "CcInfo is not a global in Bazel 9; load it from @rules_cc//cc/common:cc_info.bzl"},
		{"cc_common", "x.bzl", "def f(ctx):\n    return cc_common.configure_features(ctx = ctx)\n", "cc_common is not a global"},
		{"ProtoInfo", "x.bzl", "r = rule(implementation = _i, attrs = {\"d\": attr.label(providers = [ProtoInfo])})\n", "ProtoInfo is not a global"},
		{"java", "BUILD", `java_library(name = "j")`, "load it from @rules_java//java:defs.bzl"},
		{"native.cc_binary", "x.bzl", "def m(**kw):\n    native.cc_binary(**kw)\n", "native.cc_binary is gone in Bazel 9"},
		{"cfg host", "x.bzl", "a = attr.label(cfg = \"host\", executable = True)\n", `cfg = "host" is gone`},
		{"workspace_name", "x.bzl", "def p(label):\n    return label.workspace_name\n", "Label.workspace_name is deprecated"},
		{"relative", "x.bzl", "def p(l):\n    return l.relative(\":x\")\n", "Label.relative is deprecated"},
		{"relative_to_caller", "x.bzl", "L = Label(\"//x\", relative_to_caller_repository = True)\n", "relative_to_caller_repository is gone"},
		{"host_fragments", "x.bzl", "def i(ctx):\n    return ctx.host_fragments.cpp\n", "ctx.host_fragments is gone"},
		{"current_cc_toolchain", "x.bzl", "A = attr.label(default = \"@bazel_tools//tools/cpp:current_cc_toolchain\")\n", "needs a C++ toolchain for the target platform on Bazel 7+"},
		{"actions.run", "x.bzl", "def i(ctx):\n    ctx.actions.run(executable = ctx.executable._t, outputs = [])\n", "actions.run outside go_plugin/private/actions/run.bzl"},
		{"run_shell", "x.bzl", "def i(ctx):\n    ctx.actions.run_shell(command = \"x\", outputs = [])\n", "actions.run_shell outside"},
		{"empty glob", "BUILD", `filegroup(name = "f", srcs = glob(["*.txt"]))`, `glob(["*.txt"]) matches no file of the package`},
		{"glob into a subpackage", "BUILD", `filegroup(name = "f", srcs = glob(["sub/*.go"]))`, "matches no file"},
		{"glob of outputs", "BUILD", `filegroup(name = "f", srcs = glob(["bazel-out/*.c"]))`, "matches no file"},
		{"excluded", "BUILD", `filegroup(name = "f", srcs = glob(["*.go"], exclude = ["a.go"]))`, "matches no file"},
		{"glob in a macro", "x.bzl", "def m():\n    return native.glob([\"*.go\"])\n", "glob without allow_empty"},
		{"computed glob", "BUILD", `filegroup(name = "f", srcs = glob(PATTERNS))`, "glob without allow_empty"},
		{"WORKSPACE", "WORKSPACE", "load(\"//:x.bzl\", \"x\")\nx(cfg = \"host\")\n", `cfg = "host"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			found, err := Check(c.file, []byte(c.src), pkg)
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, f := range found {
				msgs = append(msgs, f.String())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), c.want) {
				t.Errorf("findings %q; want one containing %q", msgs, c.want)
			}
		})
	}
}

func TestAcceptsWhatWorksEverywhere(t *testing.T) {
	pkg := fstest.MapFS{"a.go": {Data: []byte("package a")}, "d/e/f.txt": {Data: []byte("")}}
	for _, c := range []struct{ name, file, src string }{
		{"loaded cc_library", "BUILD", "load(\"@rules_cc//cc:defs.bzl\", \"cc_library\")\ncc_library(name = \"c\")\n"},
		{"loaded CcInfo", "x.bzl", "load(\"@rules_cc//cc/common:cc_info.bzl\", \"CcInfo\")\ndef f(d):\n    return d[CcInfo]\n"},
		{"a parameter named like a global", "x.bzl", "def f(cc_common):\n    return cc_common.x\n"},
		{"a keyword argument", "x.bzl", "S = struct(cc_library = 1)\n"},
		{"cfg exec", "x.bzl", "a = attr.label(cfg = \"exec\")\n"},
		{"ctx.workspace_name", "x.bzl", "def i(ctx):\n    return ctx.workspace_name\n"},
		{"glob that matches", "BUILD", `filegroup(name = "f", srcs = glob(["*.go"]))`},
		{"recursive glob", "BUILD", `filegroup(name = "f", srcs = glob(["d/**/*.txt"]))`},
		{"allow_empty", "BUILD", `filegroup(name = "f", srcs = glob(["*.txt"], allow_empty = True))`},
		{"justified", "x.bzl", "def i(ctx):\n    ctx.actions.run(outputs = [])  # starlarkcheck: the one helper\n"},
		{"exempt file", "x.bzl", "# starlarkcheck-file: a Bazel 4 stand-in\nx = native.cc_library\n"},
		{"module", "MODULE.bazel", "bazel_dep(name = \"rules_cc\", version = \"0.2.12\")\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			found, err := Check(c.file, []byte(c.src), pkg)
			if err != nil {
				t.Fatal(err)
			}
			if len(found) > 0 {
				t.Errorf("findings %v; want none", found)
			}
		})
	}
}

func TestEmptyReasonIsNoExcuse(t *testing.T) {
	found, _ := Check("x.bzl", []byte("a = attr.label(cfg = \"host\")  # starlarkcheck:\n"), nil)
	if len(found) != 1 {
		t.Errorf("findings %v; want the cfg = \"host\" one (a marker without a reason does not count)", found)
	}
}
