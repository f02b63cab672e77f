package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/internal/benchworkload"
	"github.com/rules-go-plugin/rules_go_plugin/internal/gorepos"
)

// realTreePlugins are the real tree's plugins (benchworkload.RealTreeDir).
var realTreePlugins = []string{"auth", "metrics", "store"}

// runRealTree measures the real tree's cold build: a server on a real web
// stack and three plugins, over the third-party modules of the checked-in
// go.mod, laid out as go_repository lays them out (internal/gorepos).
func runRealTree(repo, work string, runs int) ([]row, []extra) {
	dir := filepath.Join(work, "realtree")
	b := newBench(repo, dir, len(realTreePlugins), runs)
	fmt.Fprintf(os.Stderr, "== real tree: writing the workload in %s\n", b.ws)
	removeAll(b.ws)
	check(writeRealTree(b.ws, repo, dir))
	defer b.bazelIn(b.ws, "shutdown")
	targets := realTreeTargets()
	// A warm server with the SDK repository set up (its module graph listed
	// from the go.mod), as in the seed's cold row.
	b.bazelIn(b.ws, "build", append([]string{"--nobuild"}, targets...)...)
	b.measure("real tree: cold build, server + 3 plugins", func(int) time.Duration {
		b.goClean()
		cache := filepath.Join(dir, "gocache-cold")
		check(os.RemoveAll(cache))
		return b.goBuildRealTree(cache)
	}, func(int) time.Duration {
		b.bazelIn(b.ws, "clean")
		return b.bazel("build", targets...)
	})
	// Both builds work: each server loads its own build's plugins.
	goOut, bin := filepath.Join(b.ws, "go-out"), filepath.Join(b.ws, "bazel-bin")
	var goPlugins, bazelPlugins []string
	for _, p := range realTreePlugins {
		goPlugins = append(goPlugins, filepath.Join(goOut, p+".so"))
		bazelPlugins = append(bazelPlugins, filepath.Join(bin, "plugins", p, p, p+".so"))
	}
	b.checkServer(filepath.Join(goOut, "server"), goPlugins)
	b.checkServer(filepath.Join(bin, "server", "server"), bazelPlugins)
	return b.rows, b.extras
}

func realTreeTargets() []string {
	t := []string{"//server"}
	for _, p := range realTreePlugins {
		t = append(t, "//plugins/"+p)
	}
	return t
}

// goBuildRealTree builds the server, then the plugins two at a time, with
// the module cache as it is (the modules downloaded) and the given GOCACHE.
func (b *bench) goBuildRealTree(gocache string) time.Duration {
	out := filepath.Join(b.ws, "go-out")
	check(os.MkdirAll(out, 0o755))
	var plugins []*exec.Cmd
	for _, p := range realTreePlugins {
		plugins = append(plugins, b.goCmd(b.ws, gocache, "build", "-trimpath", "-buildmode=plugin", "-o", filepath.Join(out, p+".so"), "./plugins/"+p))
	}
	start := time.Now()
	parallel(1, []*exec.Cmd{b.goCmd(b.ws, gocache, "build", "-trimpath", "-o", filepath.Join(out, "server"), "./server")})
	parallel(2, plugins)
	return time.Since(start)
}

// checkServer runs a server with --check on its plugins.
func (b *bench) checkServer(server string, plugins []string) {
	out := string(b.must(exec.Command(server, "--check", "--plugins", strings.Join(plugins, ",")).CombinedOutput))
	if !strings.Contains(out, "plugins: "+strings.Join(realTreePlugins, ",")+"\n") || !strings.Contains(out, "/metrics/ping 200\n") {
		fail(fmt.Sprintf("%s did not serve its plugins:\n%s", server, out))
	}
}

// writeRealTree copies the real tree's sources and go.mod into ws, lays out
// its modules under dir/gorepos (reused while the go.sum is unchanged) and
// writes the workspace: BUILD files whose deps are resolved as Gazelle
// resolves them (each import to the go_library of that import path), and a
// WORKSPACE that registers the SDK with go_mod.
func writeRealTree(ws, repo, dir string) error {
	if err := copyDir(filepath.Join(repo, benchworkload.RealTreeDir), ws); err != nil {
		return err
	}
	reposRoot := filepath.Join(dir, "gorepos")
	repos, err := gorepos.Repositories(reposRoot, ws, func() (string, error) {
		return gorepos.BuildGazelle(repo, filepath.Join(dir, "gazelle-bin"))
	})
	if err != nil {
		return err
	}
	// The SDK setup resolves the module graph offline (go list -m all with
	// GOPROXY=off): that needs the go.mod of every module of the graph,
	// more than go mod download fetches (it stops at the build list).
	list := exec.Command("go", "list", "-m", "all")
	list.Dir = ws
	list.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local", "GOWORK=off")
	if out, err := list.CombinedOutput(); err != nil {
		return fmt.Errorf("go list -m all in %s: %v\n%s", ws, err, out)
	}
	labels, err := gorepos.Labels(reposRoot)
	if err != nil {
		return err
	}
	imports, err := packageImports(ws)
	if err != nil {
		return err
	}
	deps := func(pkg string) (string, error) {
		var ds []string
		for _, imp := range imports[pkg] {
			switch {
			case strings.HasPrefix(imp, benchworkload.RealTreeModule+"/"):
				ds = append(ds, "//"+strings.TrimPrefix(imp, benchworkload.RealTreeModule+"/"))
			case labels[imp] != "":
				ds = append(ds, labels[imp])
			case !strings.Contains(strings.Split(imp, "/")[0], "."):
				// std
			default:
				return "", fmt.Errorf("%s imports %s, which no repository of the layout provides", pkg, imp)
			}
		}
		sort.Strings(ds)
		return starlarkList(ds), nil
	}
	files := map[string]string{
		"WORKSPACE":   workspaceFile(repo, `go_plugin_register_toolchains(go_version = "host", go_mod = "//:go.mod")`) + realTreeRulesGo(repo) + repos,
		".bazelrc":    bazelrc,
		"BUILD.bazel": "exports_files([\"go.mod\"])\n",
	}
	mod := benchworkload.RealTreeModule
	apiDeps, err := deps(mod + "/api")
	if err != nil {
		return err
	}
	files["api/BUILD.bazel"] = fmt.Sprintf(`load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go"],
    importpath = "%s/api",
    visibility = ["//visibility:public"],
    deps = %s,
)
`, mod, apiDeps)
	var pluginLabels []string
	for _, p := range realTreePlugins {
		d, err := deps(mod + "/plugins/" + p)
		if err != nil {
			return err
		}
		pluginLabels = append(pluginLabels, "//plugins/"+p)
		files["plugins/"+p+"/BUILD.bazel"] = fmt.Sprintf(`load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = %q,
    srcs = [%q],
    pluginpath = "%s/plugins/%s",
    visibility = ["//visibility:public"],
    deps = %s,
)
`, p, p+".go", mod, p, d)
	}
	serverDeps, err := deps(mod + "/server")
	if err != nil {
		return err
	}
	files["server/BUILD.bazel"] = fmt.Sprintf(`load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

go_plugin_host(
    name = "server",
    srcs = ["main.go"],
    importpath = "%s/server",
    plugins = %s,
    deps = %s,
)
`, mod, starlarkList(pluginLabels), serverDeps)
	return writeFiles(ws, files)
}

// realTreeRulesGo declares @io_bazel_rules_go, which Gazelle's BUILD files
// load go_library from: this repository's stand-in, as in the integration
// tests (the real rules_go needs a newer Bazel than this machine's).
func realTreeRulesGo(repo string) string {
	return fmt.Sprintf("\nlocal_repository(\n    name = \"io_bazel_rules_go\",\n    path = %q,\n)\n\n", filepath.Join(repo, "tests", "rules_go_standin"))
}

// packageImports lists each package of the module in ws with its imports,
// as the go command sees them on this platform.
func packageImports(ws string) (map[string][]string, error) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...")
	cmd.Dir = ws
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list in %s: %v", ws, err)
	}
	imports := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		imports[f[0]] = f[1:]
	}
	return imports, nil
}
