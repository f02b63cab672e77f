package integration

// userFiles is a small user workspace in the seed's shared-API layout: an
// API library, a plugin at //plugins:alpha and a host that loads it.
func userFiles() map[string]string {
	return map[string]string{
		"BUILD.bazel": "",
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go"],
    importpath = "example.com/api",
    visibility = ["//visibility:public"],
)
`,
		"api/api.go": `package api

// Greet is the type of the plugin's Greet symbol.
type Greet = func(string) string
`,
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "alpha",
    srcs = ["alpha/alpha.go"],
    visibility = ["//visibility:public"],
    deps = ["//api"],
)
`,
		"plugins/alpha/alpha.go": `package main

import "example.com/api"

var _ api.Greet = Greet

// Greet is looked up by the host.
func Greet(name string) string { return "alpha greets " + name }
`,
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    plugins = ["//plugins:alpha"],
    deps = [
        "//api",
        "@rules_go_plugin//loader",
    ],
)
`,
		"host/main.go": `package main

import (
	"fmt"
	"os"
	"plugin"

	"example.com/api"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	paths, err := loader.Paths()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, path := range paths {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		sym, err := p.Lookup("Greet")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(sym.(api.Greet)("the host"))
	}
}
`,
	}
}

// withFiles returns files with more added.
func withFiles(files map[string]string, more map[string]string) map[string]string {
	for k, v := range more {
		files[k] = v
	}
	return files
}
