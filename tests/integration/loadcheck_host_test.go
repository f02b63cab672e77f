package integration

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// hostMain is a host that opens its plugins in order, calls SelfTest where
// a plugin has one, and exits 1 at the first refusal: the verdict
// go_plugin_test must agree with. imports are more std imports.
func hostMain(imports string) string {
	return `package main

import (
	"fmt"
	"os"
	"plugin"
` + imports + `
	"example.com/api"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
)

func main() {
	fmt.Println("host mode", api.Mode)
	paths, err := loader.Paths()
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, path := range paths {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Println("host refuses:", err)
			os.Exit(1)
		}
		if s, err := p.Lookup("SelfTest"); err == nil {
			if err := s.(func() error)(); err != nil {
				fmt.Println("host: SelfTest:", err)
				os.Exit(1)
			}
		}
		fmt.Println("host loaded", path)
	}
}
`
}

// goPlugin is a plugin package of the workspace's module that imports pkg.
func goPlugin(pkg, use string) string {
	return "package main\n\nimport \"" + pkg + "\"\n\nvar _ = " + use + "\n\n// Greet is looked up by the host.\nfunc Greet(name string) string { return name }\n"
}

// What go_plugin_test opens, the host opens (issue 19, item 1): the child
// that opens the plugins has exactly the host's packages and x_defs, so the
// test agrees with `bazel run` of the host in each case, and with the
// static check. Each case passed or failed the wrong way when the child
// linked loadcheck, the symbols' deps and the host's direct deps instead.
func TestPluginTestIsHost(t *testing.T) {
	hostLoads := []string{"go_plugin_host", "go_plugin_import", "go_plugin", "go_plugin_test"}
	files := withFiles(userFiles(), map[string]string{
		"go.mod": "module example.com\n\ngo 1.26\n",
		"api/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "api",
    srcs = ["api.go", "mode.go"],
    importpath = "example.com/api",
    visibility = ["//visibility:public"],
)
`,
		"other/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_library")

go_library(
    name = "other",
    srcs = ["other.go"],
    importpath = "example.com/other",
    visibility = ["//visibility:public"],
)
`,
		"other/other.go":      "package other\n\n// Greet is a type no host links.\ntype Greet = func(string) string\n",
		"api/mode.go":         "package api\n\n// Mode is set by the host's x_defs.\nvar Mode = \"dev\"\n",
		"hosts/tmpl.go":       hostMain("\t\"text/template\"\n\n") + "\nvar _ = template.New\n",
		"hosts/plain.go":      hostMain(""),
		"gplugins/tmpl/p.go":  goPlugin("text/template", "template.New"),
		"gplugins/tmpl2/p.go": goPlugin("text/template", "template.New"),
		"gplugins/ast/p.go":   goPlugin("go/ast", "ast.NewIdent"),
		"hosts/prodcheck/p.go": `package main

import (
	"errors"

	"example.com/api"
)

// Greet is looked up by the host.
func Greet(name string) string { return name }

// SelfTest refuses to run in production.
func SelfTest() error {
	if api.Mode == "prod" {
		return errors.New("refuses to run in prod")
	}
	return nil
}
`,
		"hosts/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "` + strings.Join(hostLoads, `", "`) + `")

# Built by go build: text/template with -l, go/ast with -l, and two plugins
# sharing text/template, the second with -l.
go_plugin_import(name = "tmpl_l", so = "tmpl_l.so")

go_plugin_import(name = "ast_l", so = "ast_l.so")

go_plugin_import(name = "t1", so = "t1.so")

go_plugin_import(name = "t2", so = "t2.so")

go_plugin(
    name = "prodcheck",
    srcs = ["prodcheck/p.go"],
    deps = ["//api"],
)

DEPS = ["//api", "@rules_go_plugin//loader"]

go_plugin_host(name = "tmpl_host", srcs = ["tmpl.go"], plugins = [":tmpl_l"], deps = DEPS)

go_plugin_host(name = "ast_host", srcs = ["plain.go"], plugins = [":ast_l"], deps = DEPS)

go_plugin_host(
    name = "prod_host",
    srcs = ["plain.go"],
    plugins = [":prodcheck"],
    x_defs = {"example.com/api.Mode": "prod"},
    deps = DEPS,
)

go_plugin_host(name = "pair_host", srcs = ["plain.go"], plugins = [":t1", ":t2"], deps = DEPS)

# Sets a variable of a package the host links: lost at run time.
go_plugin(
    name = "setsmode",
    srcs = ["prodcheck/p.go"],
    x_defs = {"example.com/api.Mode": "plugin"},
    deps = ["//api"],
)

go_plugin_host(name = "xdefs_host", srcs = ["plain.go"], plugins = [":setsmode"], deps = DEPS)

go_plugin_test(name = "xdefs_test", host = ":prod_host", plugins = [":setsmode"])

# A type from a package no host links.
go_plugin_test(
    name = "foreign_test",
    host = ":ast_host",
    symbols = {"Greet": "other.Greet"},
    deps = ["//other"],
)

[go_plugin_test(
    name = h + "_test",
    host = ":" + h + "_host",
    smoke = "SelfTest" if h == "prod" else "",
    symbols = {"Greet": "api.Greet"},
    deps = ["//api"],
) for h in ["tmpl", "ast", "prod", "pair"]]
`,
	})
	w := newWorkspace(t, files)
	for _, b := range []struct{ out, pkg, gcflags string }{
		{"tmpl_l.so", "./gplugins/tmpl", "-gcflags=text/template=-l"},
		{"ast_l.so", "./gplugins/ast", "-gcflags=go/ast=-l"},
		{"t1.so", "./gplugins/tmpl", ""},
		{"t2.so", "./gplugins/tmpl2", "-gcflags=text/template=-l"},
	} {
		args := []string{"build", "-trimpath", "-buildmode=plugin", "-o", "hosts/" + b.out}
		if b.gcflags != "" {
			args = append(args, b.gcflags)
		}
		cmd := exec.Command("go", append(args, b.pkg)...)
		cmd.Dir = w.dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b.out, err, out)
		}
	}
	// The validation action would refuse some of these hosts; the test must
	// stand on its own.
	noValidation := "--noexperimental_run_validations"

	type verdict struct {
		pass bool
		log  []string // in the test's log
		host string   // in bazel run's output of the host
	}
	for _, c := range []struct {
		name string
		want verdict
	}{
		// The host links text/template, the plugin another version of it.
		{"tmpl", verdict{false, []string{"FAIL  tmpl_l.so: open: plugin.Open failed: ", "text/template"}, "host refuses: "}},
		// The plugin's go/ast is its own: the host links none.
		{"ast", verdict{true, []string{"PASS  ast_l.so: open\n", "PASS  ast_l.so: symbol Greet\n"}, "host loaded "}},
		// The host's x_defs are the child's: SelfTest sees prod.
		{"prod", verdict{false, []string{"FAIL  prodcheck.so: smoke SelfTest: SelfTest returned error: refuses to run in prod\n"}, "host: SelfTest: refuses to run in prod"}},
		// Each opens alone, but the host opens t1 first, whose
		// text/template t2 does not match: the static check says so, and
		// the test no longer ignores it because the child opened t2.
		{"pair", verdict{false, []string{"PASS  t1.so: open\n", "FAIL  t2.so: open: the child opened it, but the static check against the host refuses it; ", "text/template (", " loaded first by t1.so, which the host opens before this one; plugin "}, "host refuses: "}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := w.in(t)
			target := "//hosts:" + c.name + "_test"
			out, ok := w.run("test", noValidation, target)
			log := w.readFile(t, "bazel-testlogs/hosts/"+c.name+"_test/test.log")
			if ok != c.want.pass {
				t.Errorf("bazel test %s: passed = %v, want %v:\n%s\n%s", target, ok, c.want.pass, out, log)
			}
			for _, s := range c.want.log {
				if !strings.Contains(log, s) {
					t.Errorf("%s log lacks %q:\n%s", target, s, log)
				}
			}
			out, ok = w.run("run", noValidation, "//hosts:"+c.name+"_host")
			if ok != c.want.pass || !strings.Contains(out, c.want.host) {
				t.Errorf("bazel run of the host: succeeded = %v, want %v, with %q:\n%s", ok, c.want.pass, c.want.host, out)
			}
		})
	}

	// Issue 19, item 5: a plugin's x_defs on a package the host links is
	// the host's copy's at run time; refused at analysis, by host and test.
	w.mustFail([]string{
		`//hosts:xdefs_host: plugin //hosts:setsmode sets example.com/api.Mode to "plugin" (its x_defs, or those of a library it links), but the host //hosts:xdefs_host links package example.com/api too, and at run time the plugin uses the host's copy, where it keeps its value from the source: the plugin's value is lost. Set it where the host gets it: in the host's x_defs, or on a go_library both link.`,
	}, "build", "//hosts:xdefs_host")
	w.mustFail([]string{
		"//hosts:foreign_test: the type of symbol Greet uses package example.com/other (//other:other), which the host //hosts:ast_host does not link: no host of these plugins can assert it, and go_plugin_test opens plugins with exactly the host's packages. Add //other:other to the host's deps (directly or through a library), or drop the symbol from symbols.",
	}, "build", "//hosts:foreign_test")
	w.mustFail([]string{`//hosts:xdefs_test: plugin //hosts:setsmode sets example.com/api.Mode to "plugin"`, `where it is "prod"`}, "build", "//hosts:xdefs_test")
}
