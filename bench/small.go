package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/internal/benchworkload"
)

// smallEdits is how many edits the small plugin's edit row times (median).
const smallEdits = 5

// runSmall measures the small workspace (benchworkload's Small*): editing
// its plugin and rebuilding the .so, and (unless quick) a cold build of the
// host and the plugin.
func runSmall(repo, work string, runs int, quick bool) ([]row, []extra) {
	b := newBench(repo, filepath.Join(work, "small"), 1, runs)
	fmt.Fprintf(os.Stderr, "== small workspace: writing it in %s\n", b.ws)
	removeAll(b.ws)
	check(writeSmall(b.ws, repo))
	defer b.bazelIn(b.ws, "shutdown")
	targets := []string{"//host", "//plugins/square"}
	b.bazelIn(b.ws, "build", append([]string{"--nobuild"}, targets...)...)
	if !quick {
		b.measure("small: cold build, host + 1 plugin", func(int) time.Duration {
			b.goClean()
			cache := filepath.Join(b.dir, "gocache-cold")
			check(os.RemoveAll(cache))
			return b.goBuildSmall(cache, true)
		}, func(int) time.Duration {
			b.bazelIn(b.ws, "clean")
			return b.bazel("build", targets...)
		})
	}
	gocache := filepath.Join(b.dir, "gocache")
	b.goBuildSmall(gocache, true)
	b.bazel("build", targets...)
	// Each side first catches up with the other's edit (not timed).
	b.measureRuns("small: edit one plugin, rebuild its .so", smallEdits, func(r int) time.Duration {
		b.goBuildSmall(gocache, false)
		check(editSmall(b.ws, 100+r))
		return b.goBuildSmall(gocache, false)
	}, func(r int) time.Duration {
		b.bazel("build", "//plugins/square")
		check(editSmall(b.ws, 200+r))
		return b.bazel("build", "//plugins/square")
	})
	// Both builds load: each host opens its own build's plugin.
	for _, run := range [][2]string{
		{filepath.Join(b.ws, "go-out", "host"), filepath.Join(b.ws, "go-out", "square.so")},
		{filepath.Join(b.ws, "bazel-bin", "host", "host"), filepath.Join(b.ws, "bazel-bin", "plugins", "square", "square", "square.so")},
	} {
		out := string(b.must(exec.Command(run[0], run[1]).CombinedOutput))
		if !strings.Contains(out, "Area of 3: 9.00") {
			fail(fmt.Sprintf("%s %s: %s", run[0], run[1], out))
		}
	}
	return b.rows, b.extras
}

// goBuildSmall builds the plugin, and the host too when withHost (two at a
// time, as the seed's rows do).
func (b *bench) goBuildSmall(gocache string, withHost bool) time.Duration {
	out := filepath.Join(b.ws, "go-out")
	check(os.MkdirAll(out, 0o755))
	cmds := []*exec.Cmd{b.goCmd(b.ws, gocache, "build", "-trimpath", "-buildmode=plugin", "-o", filepath.Join(out, "square.so"), "./plugins/square")}
	if withHost {
		cmds = append([]*exec.Cmd{b.goCmd(b.ws, gocache, "build", "-trimpath", "-o", filepath.Join(out, "host"), "./host")}, cmds...)
	}
	start := time.Now()
	parallel(2, cmds)
	return time.Since(start)
}

func editSmall(ws string, round int) error {
	return os.WriteFile(filepath.Join(ws, "plugins", "square", "square.go"), []byte(benchworkload.SmallPlugin(fmt.Sprintf("v%d", round))), 0o644)
}

// writeSmall writes the small workspace, a Go module (std only) and a
// Bazel workspace whose SDK is registered with go_mod.
func writeSmall(ws, repo string) error {
	return writeFiles(ws, map[string]string{
		"go.mod":      "module bench.example/small\n\ngo 1.26\n",
		"WORKSPACE":   workspaceFile(repo, `go_plugin_register_toolchains(go_version = "host", go_mod = "//:go.mod")`),
		".bazelrc":    bazelrc,
		"BUILD.bazel": "exports_files([\"go.mod\"])\n",
		"api/api.go":  benchworkload.SmallAPI,
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(name = "api", srcs = ["api.go"], importpath = "bench.example/small/api", visibility = ["//visibility:public"])
`,
		"internal/geom/geom.go": benchworkload.SmallHelper,
		"internal/geom/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(name = "geom", srcs = ["geom.go"], importpath = "bench.example/small/internal/geom", visibility = ["//plugins:__subpackages__"])
`,
		"plugins/square/square.go":  benchworkload.SmallPlugin("v0"),
		"plugins/square/square.txt": benchworkload.SmallEmbedded,
		"plugins/square/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "square",
    srcs = ["square.go"],
    embedsrcs = ["square.txt"],
    pluginpath = "bench.example/small/plugins/square",
    visibility = ["//visibility:public"],
    deps = ["//api", "//internal/geom"],
)
`,
		"host/main.go": benchworkload.SmallHost,
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

go_plugin_host(name = "host", srcs = ["main.go"], importpath = "bench.example/small/host", plugins = ["//plugins/square"], deps = ["//api"])
`,
	})
}
