package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/internal/benchworkload"
)

// writeWorkload lays out the seed's shape in dir, buildable both by the go
// command (a module) and by Bazel (a workspace using this checkout): a
// shared API package, a host, and n plugins that import it and a handful of
// std packages.
func writeWorkload(dir, repo string, n int) error {
	files := map[string]string{
		"go.mod":      fmt.Sprintf("module bench.example\n\ngo 1.26\n\nrequire github.com/rules-go-plugin/rules_go_plugin v0.0.0\n\nreplace github.com/rules-go-plugin/rules_go_plugin => %s\n", repo),
		"WORKSPACE":   workspaceFile(repo, `go_plugin_register_toolchains(go_version = "host")`),
		".bazelrc":    bazelrc,
		"BUILD.bazel": "",
		"api/api.go":  benchworkload.API,
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(name = "api", srcs = ["api.go"], importpath = "bench.example/api", visibility = ["//visibility:public"])
`,
		"host/main.go": `// Command host loads every plugin and calls it.
package main

import (
	"fmt"
	"os"

	"bench.example/api"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
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
		newPlugin, err := loader.Lookup[func() api.Plugin](p, "New")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		out, err := newPlugin().Handle(api.Request{Name: "bench", Count: 3})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println(out)
	}
}
`,
	}
	var labels []string
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("p%d", i)
		labels = append(labels, fmt.Sprintf("%q", "//plugins:"+name))
		files["plugins/"+name+"/"+name+".go"] = benchworkload.Plugin(name, "v0")
	}
	var pluginRules strings.Builder
	pluginRules.WriteString("load(\"@rules_go_plugin//go_plugin:defs.bzl\", \"go_plugin\")\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&pluginRules, "\ngo_plugin(name = \"p%d\", srcs = [\"p%d/p%d.go\"], visibility = [\"//visibility:public\"], deps = [\"//api\"])\n", i, i, i)
	}
	files["plugins/BUILD.bazel"] = pluginRules.String()
	files["host/BUILD.bazel"] = fmt.Sprintf(`load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_test")

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    plugins = [%s],
    deps = ["//api", "@rules_go_plugin//loader"],
)

go_plugin_test(
    name = "plugins_test",
    host = ":host",
    symbols = {"New": "func() api.Plugin"},
    deps = ["//api"],
)
`, strings.Join(labels, ", "))
	return writeFiles(dir, files)
}

// editAPI adds a declaration to the shared package, which changes its
// export data: every plugin and the host must be rebuilt.
func editAPI(dir string, round int) error {
	p := filepath.Join(dir, "api", "api.go")
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return os.WriteFile(p, append(data, []byte(fmt.Sprintf("\n// Edit%d changes the package.\nconst Edit%d = %d\n", round, round, round))...), 0o644)
}

// editPlugin changes the body of plugin p0 only.
func editPlugin(dir string, round int) error {
	return os.WriteFile(filepath.Join(dir, "plugins", "p0", "p0.go"), []byte(benchworkload.Plugin("p0", fmt.Sprintf("v%d", round))), 0o644)
}
