package integration

import (
	"debug/dwarf"
	"debug/elf"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// featureFiles is a workspace that uses what `go build -buildmode=plugin`
// users rely on: cgo in a library (with a cc_library in cdeps, copts and a
// #cgo directive), in a plugin and in a host; a plugin with a func main;
// x_defs on a library, a plugin and a host; a PIE host; build tags, race
// and cgo files chosen by constraints. The host prints what it and the
// plugin see, so one run shows every setting reached user files.
func featureFiles() map[string]string {
	return map[string]string{
		"BUILD.bazel": "",
		"clib/BUILD.bazel": `load("@rules_cc//cc:defs.bzl", "cc_library")

cc_library(
    name = "clib",
    srcs = ["clib.c"],
    hdrs = ["clib.h"],
    defines = ["CLIB_BASE=40"],
    visibility = ["//visibility:public"],
)
`,
		"clib/clib.h": "int clib_add(int a, int b);\n",
		"clib/clib.c": "#include \"clib.h\"\nint clib_add(int a, int b) { return a + b + CLIB_BASE - 40; }\n",
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = [
        "api.go",
        "cgo_off.go",
        "cgo_on.go",
        "helper.c",
        "helper.h",
        "race_off.go",
        "race_on.go",
        "tag_off.go",
        "tag_on.go",
    ],
    cdeps = ["//clib"],
    copts = ["-DAPI_SCALE=2"],
    importpath = "example.com/api",
    visibility = ["//visibility:public"],
    x_defs = {
        "Stamp": "lib-stamp",
        "example.com/api.Other": "other-stamp",
    },
)
`,
		"api/api.go": `package api

import "runtime"

// Stamp and Other are set by the library's x_defs.
var Stamp, Other string

// Describe says what this build of the package is.
func Describe() string {
	_, file, _, _ := runtime.Caller(0)
	return "cgo=" + Cgo() + " race=" + Race + " tag=" + Tag + " stamp=" + Stamp + "," + Other + " file=" + file
}
`,
		"api/cgo_on.go": `//go:build cgo

package api

// #cgo CFLAGS: -DAPI_OFFSET=1
// #include "helper.h"
import "C"

import "strconv"

// Cgo calls C: helper.c (copts, #cgo CFLAGS) and clib (cdeps).
func Cgo() string { return strconv.Itoa(int(C.api_value(3))) }
`,
		"api/cgo_off.go": `//go:build !cgo

package api

func Cgo() string { return "off" }
`,
		"api/helper.h": "int api_value(int x);\n",
		"api/helper.c": `//go:build cgo

#include "helper.h"
#include "clib/clib.h"
int api_value(int x) { return clib_add(x * API_SCALE, API_OFFSET); }
`,
		"api/race_on.go":  "//go:build race\n\npackage api\n\nconst Race = \"on\"\n",
		"api/race_off.go": "//go:build !race\n\npackage api\n\nconst Race = \"off\"\n",
		"api/tag_on.go":   "//go:build featuretag\n\npackage api\n\nconst Tag = \"on\"\n",
		"api/tag_off.go":  "//go:build !featuretag\n\npackage api\n\nconst Tag = \"off\"\n",
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "cplug",
    srcs = ["cplug/cplug.go"],
    visibility = ["//visibility:public"],
    x_defs = {"Version": "plugin-v1"},
    deps = ["//api"],
)
`,
		"plugins/cplug/cplug.go": `package main

// static int twice(int x) { return 2 * x; }
import "C"

import "example.com/api"

// Version is set by x_defs ("Version" is main.Version, the plugin's own package).
var Version = "unset"

// Report is looked up by the host.
func Report() string {
	return "plugin: version=" + Version + " twice=" + itoa(int(C.twice(21))) + " " + api.Describe()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

// A func main is ignored in a plugin, as by the go command.
func main() { panic("a plugin's main must not run") }
`,
		"purehost/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library", "go_plugin_host")

go_plugin_host(
    name = "purehost",
    srcs = ["main.go"],
    deps = ["//api"],
)

# For TestSettings' cgo=false refusal of a PIE host ("manual": not in //...).
go_plugin_host(
    name = "purehost_pie",
    srcs = ["main.go"],
    linkmode = "pie",
    tags = ["manual"],
    deps = ["//api"],
)

go_library(
    name = "needsc",
    srcs = [
        "needsc.c",
        "needsc.go",
    ],
    importpath = "example.com/needsc",
)
`,
		"purehost/main.go":   "package main\n\nimport (\n\t\"fmt\"\n\t_ \"plugin\"\n\n\t\"example.com/api\"\n)\n\nfunc main() { fmt.Println(\"pure: \" + api.Describe()) }\n",
		"purehost/needsc.go": "package needsc\n\n// int needsc(void);\nimport \"C\"\n\nfunc N() int { return int(C.needsc()) }\n",
		"purehost/needsc.c":  "int needsc(void) { return 1; }\n",
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

[go_plugin_host(
    name = name,
    srcs = ["main.go"],
    linkmode = mode,
    plugins = ["//plugins:cplug"],
    x_defs = {"main.Build": "host-" + mode},
    deps = [
        "//api",
        "@rules_go_plugin//loader",
    ],
) for name, mode in [("host", "exe"), ("host_pie", "pie")]]
`,
		"host/main.go": `package main

// #include <stdlib.h>
// static int host_c(void) { return abs(-7); }
import "C"

import (
	"fmt"
	"os"

	"example.com/api"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

var Build = "unset"

func main() {
	fmt.Printf("host: build=%s c=%d %s\n", Build, int(C.host_c()), api.Describe())
	paths, err := loader.Paths()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, path := range paths {
		p, err := loader.Open(path)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		report, err := loader.Lookup[func() string](p, "Report")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(report())
	}
}
`,
	}
}

// Every feature in the default configuration: cgo with cdeps, copts and
// #cgo directives in a library, a plugin and hosts (exe and PIE), x_defs
// at every level, a plugin's func main ignored; build IDs and DWARF kept.
func TestFeatures(t *testing.T) {
	w := newWorkspace(t, featureFiles())
	w.mustRun("build", "//host:all", "//plugins:cplug")
	for _, host := range []string{"host", "host_pie"} {
		mode := strings.TrimPrefix(strings.TrimPrefix(host, "host"), "_")
		if mode == "" {
			mode = "exe"
		}
		out := w.mustRun("run", "//host:"+host)
		for _, want := range []string{
			"host: build=host-" + mode + " c=7 cgo=7 race=off tag=off stamp=lib-stamp,other-stamp file=example.com/api/api.go\n",
			"plugin: version=plugin-v1 twice=42 cgo=7 race=off tag=off stamp=lib-stamp,other-stamp file=example.com/api/api.go\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("bazel run //host:%s lacks %q:\n%s", host, want, out)
			}
		}
	}
	if f, err := elf.Open(w.path("bazel-bin/host/host_pie")); err != nil {
		t.Fatal(err)
	} else if f.Type != elf.ET_DYN {
		t.Errorf("host_pie is %v, want a position-independent executable (ET_DYN)", f.Type)
	}

	// A build ID as the go command writes one: four parts, the last the
	// file's content hash (stamped after the link, so no placeholder left).
	for _, f := range []string{"bazel-bin/plugins/cplug/cplug.so", "bazel-bin/host/host"} {
		id, err := exec.Command("go", "tool", "buildid", w.path(f)).CombinedOutput()
		if err != nil {
			t.Fatalf("go tool buildid %s: %v\n%s", f, err, id)
		}
		if !regexp.MustCompile(`^([A-Za-z0-9_-]{20}/){3}[A-Za-z0-9_-]{20}\n$`).Match(id) || strings.Contains(string(id), "contenthashplacehold") {
			t.Errorf("go tool buildid %s = %q, want four parts of 20 chars", f, id)
		}
	}

	// DWARF stays, as with go build: main.main in the host, the plugin's types.
	wantDWARF(t, w.path("bazel-bin/host/host"), "main.main")
	// The plugin's package is compiled as its plugin path, as by the go command.
	wantDWARF(t, w.path("bazel-bin/plugins/cplug/cplug.so"), "plugins/cplug.Report")
}

// wantDWARF fails t unless the file's DWARF names an entry.
func wantDWARF(t *testing.T, path, name string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := f.DWARF()
	if err != nil {
		t.Fatalf("%s: no DWARF: %v", path, err)
	}
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			t.Fatalf("%s: reading DWARF: %v", path, err)
		}
		if e == nil {
			break
		}
		if n, ok := e.Val(dwarf.AttrName).(string); ok && strings.HasSuffix(n, name) {
			return
		}
	}
	t.Errorf("%s: DWARF has no entry named %s", path, name)
}
