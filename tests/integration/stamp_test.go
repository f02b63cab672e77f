package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// stampFiles is a host and a plugin whose x_defs name workspace status
// keys: stable (STABLE_GIT_COMMIT, BUILD_EMBED_LABEL) and volatile
// (VOLATILE_NUM), on the host, the plugin, a go_library of this ruleset and
// a rules_go go_library (the stand-in); one key no status file has. Mixed
// pairs: a stamped host with an unstamped plugin and the reverse.
func stampFiles() map[string]string {
	return map[string]string{
		"BUILD.bazel": "",
		"status.sh":   "#!/bin/sh\ncat \"$(dirname \"$0\")/status-values.txt\"\n",
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go"],
    importpath = "example.com/api",
    visibility = ["//visibility:public"],
    x_defs = {"Commit": "{STABLE_GIT_COMMIT}"},
    deps = ["//rgo"],
)
`,
		"api/api.go": `package api

import "example.com/rgo"

var Commit = "dev"

func Describe() string { return "commit=" + Commit + " label=" + rgo.Label }
`,
		"rgo/BUILD.bazel": `load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = "rgo",
    srcs = ["rgo.go"],
    importpath = "example.com/rgo",
    visibility = ["//visibility:public"],
    x_defs = {"Label": "label-{BUILD_EMBED_LABEL}"},
)
`,
		"rgo/rgo.go": "package rgo\n\nvar Label = \"dev\"\n",
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

package(default_visibility = ["//visibility:public"])

go_plugin(
    name = "p",
    srcs = ["p.go"],
    x_defs = {"Version": "v-{STABLE_GIT_COMMIT}"},
    deps = ["//api"],
)

go_plugin(
    name = "stamped",
    srcs = ["p.go"],
    stamp = 1,
    x_defs = {"Version": "v-{STABLE_GIT_COMMIT}"},
    deps = ["//api"],
)

go_plugin(
    name = "unstamped",
    srcs = ["p.go"],
    stamp = 0,
    x_defs = {"Version": "v-{STABLE_GIT_COMMIT}"},
    deps = ["//api"],
)
`,
		"plugins/p.go": `package main

import "example.com/api"

var Version = "dev"

func Report() string { return "plugin: version=" + Version + " " + api.Describe() }
`,
		"host/BUILD.bazel": hostBuild(""),
		"host/main.go": `package main

import (
	"fmt"
	"os"

	"example.com/api"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

var Build, Missing, Plain = "dev", "dev", "dev"

func main() {
	fmt.Printf("host: build=%s missing=%s plain=%s %s\n", Build, Missing, Plain, api.Describe())
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

// hostBuild is host/BUILD.bazel; stamp is put as is into //host:host's attributes.
func hostBuild(stamp string) string {
	return `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_test")

_XDEFS = {
    "Build": "{VOLATILE_NUM}",
    "Missing": "{STABLE_NOT_SET}",
    "Plain": "plain",
}

_DEPS = [
    "//api",
    "@rules_go_plugin//loader",
]

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    plugins = ["//plugins:p"],
    x_defs = _XDEFS,
    deps = _DEPS,` + stamp + `
)

go_plugin_host(
    name = "stamped_host",
    srcs = ["main.go"],
    plugins = ["//plugins:unstamped"],
    stamp = 1,
    x_defs = _XDEFS,
    deps = _DEPS,
)

go_plugin_host(
    name = "unstamped_host",
    srcs = ["main.go"],
    plugins = ["//plugins:stamped"],
    stamp = 0,
    x_defs = _XDEFS,
    deps = _DEPS,
)

go_plugin_test(
    name = "host_test",
    host = ":host",
    symbols = {"Report": "func() string"},
)
`
}

func TestStamping(t *testing.T) {
	files := stampFiles()
	files["WORKSPACE"] = workspaceHeader(`go_plugin_register_toolchains(go_version = "host")`) + `
local_repository(
    name = "io_bazel_rules_go",
    path = "` + filepath.Join(repoRoot, "tests", "rules_go_standin") + `",
)
`
	w := newWorkspace(t, files)
	if err := os.Chmod(w.path("status.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	setStatus := func(t *testing.T, commit, num string) {
		t.Helper()
		text := "STABLE_GIT_COMMIT " + commit + "\nVOLATILE_NUM " + num + "\n"
		if err := os.WriteFile(w.path("status-values.txt"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The same status flags on every command; only --stamp (or the stamp
	// attribute) decides.
	status := []string{"--workspace_status_command=" + w.path("status.sh"), "--embed_label=rel-1"}
	stamp := append([]string{"--stamp"}, status...)
	runLines := func(t *testing.T, args []string, target string, want ...string) string {
		t.Helper()
		out := w.in(t).mustRun("run", append(append([]string{}, args...), target)...)
		for _, l := range want {
			if !strings.Contains(out, l+"\n") {
				t.Errorf("bazel run %s: no line %q in:\n%s", target, l, out)
			}
		}
		return out
	}
	setStatus(t, "abc123", "1")
	host := w.path("bazel-bin/host/host")

	var unstamped fileState
	t.Run("unstamped", func(t *testing.T) {
		// A value with a placeholder is not set, as by rules_go; the others are.
		runLines(t, status, "//host",
			"host: build=dev missing=dev plain=plain commit=dev label=dev",
			"plugin: version=dev commit=dev label=dev")
		unstamped = stateOf(t, host)
		// stamp = 0, and -1 without --stamp, are the same action as no
		// stamp attribute: the host is not even relinked.
		for _, attr := range []string{"\n    stamp = 0,", "\n    stamp = -1,", ""} {
			writeFile(t, w.path("host/BUILD.bazel"), hostBuild(attr))
			w.in(t).mustRun("build", append(status, "//host")...)
			if got := stateOf(t, host); got != unstamped {
				t.Errorf("with %q the unstamped host changed: %+v, was %+v", attr, got, unstamped)
			}
		}
	})

	t.Run("stamped", func(t *testing.T) {
		out := runLines(t, stamp, "//host",
			"host: build=1 missing=dev plain=plain commit=abc123 label=label-rel-1",
			// The plugin's own variable is its own; example.com/api is
			// the host's copy, which the plugin shares.
			"plugin: version=v-abc123 commit=abc123 label=label-rel-1")
		for _, want := range []string{"//host:host: warning: x_defs of main.Missing = \"{STABLE_NOT_SET}\": the workspace status has no STABLE_NOT_SET"} {
			if !strings.Contains(out, want) {
				t.Errorf("the stamped build does not warn %q:\n%s", want, out)
			}
		}
		if data, err := os.ReadFile(w.path("bazel-bin/plugins/p/p.so")); err != nil {
			t.Fatal(err)
		} else if !strings.Contains(string(data), "v-abc123") {
			t.Error("the stamped plugin does not carry v-abc123")
		}
	})

	t.Run("volatile change relinks nothing", func(t *testing.T) {
		before := stateOf(t, host)
		setStatus(t, "abc123", "2")
		runLines(t, stamp, "//host", "host: build=1 missing=dev plain=plain commit=abc123 label=label-rel-1")
		if got := stateOf(t, host); got != before {
			t.Errorf("a change of VOLATILE_NUM alone relinked the host: %+v, was %+v", got, before)
		}
		// A stable change relinks, and the link then takes the new volatile value.
		setStatus(t, "def456", "2")
		runLines(t, stamp, "//host",
			"host: build=2 missing=dev plain=plain commit=def456 label=label-rel-1",
			"plugin: version=v-def456 commit=def456 label=label-rel-1")
	})

	t.Run("mixed pairs load", func(t *testing.T) {
		// Built without --stamp: stamp = 1 stamps anyway. Building runs the
		// hosts' validation (plugincheck); running them, plugin.Open.
		w.in(t).mustRun("build", append(status, "//host:stamped_host", "//host:unstamped_host")...)
		runLines(t, status, "//host:stamped_host",
			"host: build=2 missing=dev plain=plain commit=def456 label=label-rel-1",
			"plugin: version=dev commit=def456 label=label-rel-1")
		runLines(t, status, "//host:unstamped_host",
			"host: build=dev missing=dev plain=plain commit=dev label=dev",
			"plugin: version=v-def456 commit=dev label=dev")
	})

	t.Run("go_plugin_test of a stamped host", func(t *testing.T) {
		// The test's child is unstamped by default (stamp = 0), and loads
		// the stamped plugin all the same.
		w.in(t).mustRun("test", append(stamp, "//host:host_test")...)
	})

	t.Run("unstamped again", func(t *testing.T) {
		// Back without --stamp: the action of the first build, so the same bytes.
		w.in(t).mustRun("build", append(status, "//host")...)
		if got := stateOf(t, host); got.sum != unstamped.sum {
			t.Errorf("the unstamped host differs from the first unstamped build")
		}
	})
}

// fileState tells whether a file was rewritten: Bazel leaves an output
// alone when its action did not run (a disk cache hit rewrites it too).
type fileState struct {
	sum   string
	mtime time.Time
	inode uint64
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	return fileState{sum: hex.EncodeToString(sum[:]), mtime: st.ModTime(), inode: st.Sys().(*syscall.Stat_t).Ino}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
