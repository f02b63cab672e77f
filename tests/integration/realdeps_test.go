package integration

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// A host and a plugin on a real web framework: Echo v4 and the ten modules
// of its build list (golang.org/x/net, x/crypto, x/sys, x/text, x/time,
// labstack/gommon, mattn/go-isatty, ...), laid out as go_repository lays
// them out, with the BUILD files Gazelle writes there (go_library with
// select()s on @io_bazel_rules_go//go/platform, go_test, aliases), read by
// the deps aspect through the stand-in rules_go. The plugin registers a route
// on the host's *echo.Echo; the host serves one request through it.
func TestRulesGoRealDependencies(t *testing.T) {
	repos := goRepositories(t, "echotree", filepath.Join(repoRoot, "tests", "integration", "testdata", "echotree"))
	files := map[string]string{
		"WORKSPACE": workspaceHeader(`go_plugin_register_toolchains(go_version = "host")`) + fmt.Sprintf(`
local_repository(
    name = "io_bazel_rules_go",
    path = %q,
)

`, filepath.Join(repoRoot, "tests", "rules_go_standin")) + repos,
		"BUILD.bazel": "",
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "hello",
    srcs = ["hello.go"],
    deps = [
        "@com_github_labstack_echo_v4//:echo",
        "@com_github_labstack_echo_v4//middleware",
    ],
    visibility = ["//visibility:public"],
)
`,
		"plugins/hello.go": `package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Register adds the plugin's routes to the host's server.
func Register(e *echo.Echo) {
	g := e.Group("/hello", middleware.Recover())
	g.GET("/:name", func(c echo.Context) error {
		return c.String(http.StatusOK, "hello "+c.Param("name")+" from the plugin")
	})
}
`,
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host", "go_plugin_test")

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    plugins = ["//plugins:hello"],
    deps = [
        "@com_github_labstack_echo_v4//:echo",
        "@rules_go_plugin//loader",
    ],
)

go_plugin_test(
    name = "plugins_test",
    host = ":host",
    symbols = {"Register": "func(*echo.Echo)"},
    deps = ["@com_github_labstack_echo_v4//:echo"],
)
`,
		"host/main.go": `package main

import (
	"fmt"
	"net/http/httptest"
	"os"

	"github.com/labstack/echo/v4"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	e := echo.New()
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
		register, err := loader.Lookup[func(*echo.Echo)](p, "Register")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		register(e)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest("GET", "/hello/bazel", nil))
	fmt.Println(rec.Code, rec.Body.String())
}
`,
	}
	w := newWorkspace(t, files)
	out := w.mustRun("run", "//host")
	if !strings.Contains(out, "200 hello bazel from the plugin\n") {
		t.Errorf("bazel run //host: the plugin's route did not answer:\n%s", out)
	}
	w.mustRun("test", "//host:plugins_test")
}
