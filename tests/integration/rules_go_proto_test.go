package integration

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// protobufModule is the protobuf runtime the generated code imports and whose
// cmd/protoc-gen-go generates it, fetched through the module proxy.
const protobufModule = "google.golang.org/protobuf@v1.36.12"

// The runtime packages rules_go's go_proto compiler lists as its deps (the
// stand-in's //proto:go_proto).
var protobufRuntime = []string{"proto", "reflect/protoreflect", "runtime/protoiface", "runtime/protoimpl"}

// A protobuf API shared by a host and two plugins, as a rules_go
// go_proto_library of a proto_library (loaded from @io_bazel_rules_go, here
// the stand-in, which runs Debian's protoc with protoc-gen-go built from
// google.golang.org/protobuf by the go command). The deps aspect compiles the
// generated package and the protobuf runtime in this ruleset's one
// configuration: the host's validation passes and it loads both plugins,
// unmarshals a message one of them marshals and reads the *api.Greeting the
// other returns.
func TestRulesGoProto(t *testing.T) {
	w := newProtoMonorepo(t, fmt.Sprintf(`go_plugin_register_toolchains(go_version = "host")

local_repository(name = "io_bazel_rules_go", path = %q)
`, filepath.Join(repoRoot, "tests", "rules_go_standin")), "", "")
	w.mustRun("build", "//host", "//plugins:alpha", "//plugins:beta")
	out := w.mustRun("run", "//host")
	want := `alpha: monorepo.api.Greeting from alpha to host, 2 tags [proto marshalled], via a wire of 34 bytes
beta: monorepo.api.Greeting from beta to host, 1 tags [*api.Greeting], equal to the host's own: true
`
	if !strings.HasSuffix(out, want) {
		t.Fatalf("bazel run //host: want the output to end with\n%s\ngot:\n%s", want, out)
	}
	host := readBinary(t, w.path("bazel-bin/host/host"))
	for _, p := range []string{"alpha", "beta"} {
		so := readBinary(t, w.path("bazel-bin/plugins/"+p+"/"+p+".so"))
		for _, pkg := range []string{"example.com/monorepo/api", "example.com/monorepo/ids", "google.golang.org/protobuf/internal/impl", "google.golang.org/protobuf/proto"} {
			if h := host.Hashes[pkg]; h == "" || so.LinkHashes[pkg] != h {
				t.Errorf("package %s: hash %q in plugin %s, %q in the host; want one hash, in both", pkg, so.LinkHashes[pkg], p, h)
			}
		}
	}

	t.Run("refused", func(t *testing.T) {
		w := w.in(t)
		w.mustFail([]string{
			`//bad:gc_goopts: gc_goopts = ["-N"]: per-package compiler flags would give this package another hash`,
			"//bad:validate_only: every compiler of this go_proto_library (//bad:methods_only) has valid_archive = False, so rules_go builds no package of it; list a compiler whose output compiles on its own (such as @io_bazel_rules_go//proto:go_proto) in compilers.",
		}, "build", "--keep_going", "//bad:all")
	})
}

// The same workspace with the real rules_go 0.34.0 (the last release for
// Bazel 4), analysed only: its go_proto_library action (protoc through
// rules_go's go-protoc builder) cannot run with Go 1.20 or later, as
// TestRealRulesGo says. Analysis is where the deps aspect reads rules_go's
// go_proto_library (its attributes, its go_generated_srcs output group) and
// walks compilers into its go_proto_compiler's deps. The compiler is the
// workspace's own (deps: the protobuf runtime), since rules_go's default
// //proto:go_proto also wants github.com/golang/protobuf and the
// well-known types.
func TestRealRulesGoProto(t *testing.T) {
	repos, toolchains := realRulesGo(t)
	w := newProtoMonorepo(t, repos, toolchains, "//:go_proto")
	w.mustRun("build", "--nobuild", "//host", "//plugins:alpha", "//plugins:beta")
}

// newProtoMonorepo writes the workspace and its external repositories:
// Debian's rules_proto, protoc and the protobuf module, declared after
// toolchains (which sets up @io_bazel_rules_go) and before tail. compilers,
// when set, is the compilers label of every go_proto_library.
func newProtoMonorepo(t *testing.T, toolchains, tail, compilers string) *workspace {
	t.Helper()
	protoc, err := exec.LookPath("protoc")
	if err != nil {
		t.Fatal("protoc is not on PATH; scripts/test.sh installs it (apt-get install protobuf-compiler)")
	}
	rulesProto := "/usr/share/bazel/rules/proto"
	if _, err := os.Stat(filepath.Join(rulesProto, "proto", "defs.bzl")); err != nil {
		t.Fatalf("%v; install Debian's bazel-rules-proto (scripts/test.sh does)", err)
	}
	// Bazel 4.2.3's proto_library runs @com_google_protobuf//:protoc
	// (--proto_compiler's default), as the stand-in's compiler does.
	protocRepo := filepath.Join(baseDir, "ws", t.Name()+"_protoc")
	writeTree(t, protocRepo, map[string]string{
		"WORKSPACE":    `workspace(name = "com_google_protobuf")` + "\n",
		"prebuilt.bzl": prebuiltBzl,
		"BUILD.bazel":  prebuiltBuild("protoc"),
	})
	if err := os.Symlink(protoc, filepath.Join(protocRepo, "protoc.bin")); err != nil {
		t.Fatal(err)
	}
	protobuf := protobufRepo(t, filepath.Join(baseDir, "ws", t.Name()+"_protobuf"))

	files := protoMonorepoFiles()
	if compilers != "" {
		for name, text := range files {
			files[name] = strings.ReplaceAll(text, "\n    protos = [\":", fmt.Sprintf("\n    compilers = [%q],\n    protos = [\":", compilers))
		}
		files["BUILD.bazel"] = protoCompilerBuild
	}
	files["WORKSPACE"] = workspaceHeader(toolchains) + fmt.Sprintf(`
local_repository(name = "rules_proto", path = %q)

local_repository(name = "com_google_protobuf", path = %q)

local_repository(name = "org_golang_google_protobuf", path = %q)
`, rulesProto, protocRepo, protobuf) + tail
	return newWorkspace(t, files)
}

// protoCompilerBuild is a root BUILD file with a go_proto_compiler of
// protoc-gen-go whose deps are the protobuf runtime.
var protoCompilerBuild = `load("@io_bazel_rules_go//proto:compiler.bzl", "go_proto_compiler")

go_proto_compiler(
    name = "go_proto",
    plugin = "@org_golang_google_protobuf//cmd/protoc-gen-go",
    visibility = ["//visibility:public"],
    deps = [` + func() string {
	var deps []string
	for _, p := range protobufRuntime {
		deps = append(deps, fmt.Sprintf("%q", "@org_golang_google_protobuf//"+p))
	}
	return strings.Join(deps, ", ")
}() + `],
)
`

// prebuiltBzl: a rule that makes a prebuilt file an executable target,
// which rules_go's plugin, protoc and reset targets take (not a file).
const prebuiltBzl = `def _impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = ctx.file.src, is_executable = True)
    return [DefaultInfo(executable = out, files = depset([out]))]

prebuilt = rule(
    implementation = _impl,
    attrs = {"src": attr.label(allow_single_file = True, mandatory = True)},
    executable = True,
)
`

// prebuiltBuild declares the executable target name of the file name.bin.
func prebuiltBuild(name string) string {
	return fmt.Sprintf(`load("//:prebuilt.bzl", "prebuilt")

prebuilt(
    name = %q,
    src = %q,
    visibility = ["//visibility:public"],
)
`, name, name+".bin")
}

// protobufRepo lays out google.golang.org/protobuf's runtime packages as
// go_repository would: one rules_go go_library per package (named for its
// last element, with the files go list selects for this platform, linked
// from the module cache), and protoc-gen-go, built with the go command, as
// cmd/protoc-gen-go:protoc-gen-go, an executable target of the binary.
func protobufRepo(t *testing.T, dir string) string {
	t.Helper()
	mod := downloadModule(t, protobufModule)
	modPath, _, _ := strings.Cut(protobufModule, "@")
	args := []string{"list", "-json", "-deps"}
	for _, p := range protobufRuntime {
		args = append(args, "./"+p)
	}
	out := goIn(t, mod, args...)
	writeTree(t, dir, map[string]string{
		"WORKSPACE":                     `workspace(name = "org_golang_google_protobuf")` + "\n",
		"BUILD.bazel":                   "",
		"prebuilt.bzl":                  prebuiltBzl,
		"cmd/protoc-gen-go/BUILD.bazel": prebuiltBuild("protoc-gen-go"),
	})
	goIn(t, mod, "build", "-trimpath", "-o", filepath.Join(dir, "cmd", "protoc-gen-go", "protoc-gen-go.bin"), "./cmd/protoc-gen-go")
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Dir              string
			Standard                     bool
			GoFiles, EmbedFiles, Imports []string
			CgoFiles, SFiles             []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		if p.Standard {
			continue
		}
		if len(p.CgoFiles)+len(p.SFiles) > 0 {
			t.Fatalf("%s has cgo or assembly files, which this layout does not handle", p.ImportPath)
		}
		rel := strings.TrimPrefix(p.ImportPath, modPath+"/")
		var deps []string
		for _, imp := range p.Imports {
			if r, ok := strings.CutPrefix(imp, modPath+"/"); ok {
				deps = append(deps, fmt.Sprintf("%q", "//"+r))
			}
		}
		sort.Strings(deps)
		for _, f := range append(append([]string{}, p.GoFiles...), p.EmbedFiles...) {
			dst := filepath.Join(dir, rel, f)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(p.Dir, f), dst); err != nil {
				t.Fatal(err)
			}
		}
		build := fmt.Sprintf(`load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = %q,
    srcs = %s,
    embedsrcs = %s,
    importpath = %q,
    visibility = ["//visibility:public"],
    deps = [%s],
)
`, path.Base(rel), starlarkList(p.GoFiles), starlarkList(p.EmbedFiles), p.ImportPath, strings.Join(deps, ", "))
		if err := os.WriteFile(filepath.Join(dir, rel, "BUILD.bazel"), []byte(build), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goIn runs the go command in dir (a module of the module cache) and
// returns its output.
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if e, ok := err.(*exec.ExitError); ok {
			stderr = string(e.Stderr)
		}
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), dir, err, stderr)
	}
	return string(out)
}

// protoMonorepoFiles: a proto API in two packages (api imports ids, a
// go_library that embeds its go_proto_library), a host and two plugins of
// this ruleset that depend on them, and go_proto_library targets the deps
// aspect refuses.
func protoMonorepoFiles() map[string]string {
	return map[string]string{
		"BUILD.bazel": "",
		"ids/BUILD.bazel": `load("@io_bazel_rules_go//go:def.bzl", "go_library")
load("@io_bazel_rules_go//proto:def.bzl", "go_proto_library")
load("@rules_proto//proto:defs.bzl", "proto_library")

proto_library(
    name = "ids_proto",
    srcs = ["ids.proto"],
    visibility = ["//visibility:public"],
)

go_proto_library(
    name = "ids_go_proto",
    importpath = "example.com/monorepo/ids",
    protos = [":ids_proto"],
)

# As Gazelle writes a directory with .go and .proto files.
go_library(
    name = "ids",
    srcs = ["ids.go"],
    embed = [":ids_go_proto"],
    importpath = "example.com/monorepo/ids",
    visibility = ["//visibility:public"],
)
`,
		"ids/ids.go": `package ids

// Named is a Name with the value v.
func Named(v string) *Name { return &Name{Value: v} }
`,
		"ids/ids.proto": `syntax = "proto3";

package monorepo.ids;

option go_package = "example.com/monorepo/ids";

message Name {
  string value = 1;
}
`,
		"api/BUILD.bazel": `load("@io_bazel_rules_go//proto:def.bzl", "go_proto_library")
load("@rules_proto//proto:defs.bzl", "proto_library")

proto_library(
    name = "api_proto",
    srcs = ["api.proto"],
    deps = ["//ids:ids_proto"],
)

go_proto_library(
    name = "api_go_proto",
    importpath = "example.com/monorepo/api",
    protos = [":api_proto"],
    visibility = ["//visibility:public"],
    deps = ["//ids"],
)
`,
		"api/api.proto": `syntax = "proto3";

package monorepo.api;

import "ids/ids.proto";

option go_package = "example.com/monorepo/api";

// What the host and its plugins exchange.
message Greeting {
  monorepo.ids.Name from = 1;
  string to = 2;
  repeated string tags = 3;
}
`,
		"plugins/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

go_plugin(
    name = "alpha",
    srcs = ["alpha/alpha.go"],
    visibility = ["//visibility:public"],
    deps = [
        "//api:api_go_proto",
        "//ids",
        "@org_golang_google_protobuf//proto",
    ],
)

go_plugin(
    name = "beta",
    srcs = ["beta/beta.go"],
    visibility = ["//visibility:public"],
    deps = [
        "//api:api_go_proto",
        "//ids",
    ],
)
`,
		"plugins/alpha/alpha.go": `package main

import (
	"example.com/monorepo/api"
	"example.com/monorepo/ids"
	"google.golang.org/protobuf/proto"
)

// Greet is looked up by the host: a Greeting on the wire.
func Greet(to string) ([]byte, error) {
	return proto.Marshal(&api.Greeting{From: ids.Named("alpha"), To: to, Tags: []string{"proto", "marshalled"}})
}
`,
		"plugins/beta/beta.go": `package main

import (
	"example.com/monorepo/api"
	"example.com/monorepo/ids"
)

// Hello is looked up by the host: a Greeting as a Go value.
func Hello(to string) *api.Greeting {
	return &api.Greeting{From: &ids.Name{Value: "beta"}, To: to, Tags: []string{"*api.Greeting"}}
}
`,
		"host/BUILD.bazel": `load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin_host")

go_plugin_host(
    name = "host",
    srcs = ["main.go"],
    plugins = [
        "//plugins:alpha",
        "//plugins:beta",
    ],
    deps = [
        "//api:api_go_proto",
        "//ids",
        "@org_golang_google_protobuf//proto",
        "@rules_go_plugin//loader",
    ],
)
`,
		"host/main.go": `// Command host loads the plugins and reads the Greeting each gives.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"plugin"
	"strings"

	"example.com/monorepo/api"
	"example.com/monorepo/ids"
	"github.com/rules-go-plugin/rules_go_plugin/loader"
	"google.golang.org/protobuf/proto"
)

func main() {
	if err := run(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
}

func describe(name string, g *api.Greeting) string {
	return fmt.Sprintf("%s: %s from %s to %s, %d tags %v", name, g.ProtoReflect().Descriptor().FullName(), g.GetFrom().GetValue(), g.GetTo(), len(g.GetTags()), g.GetTags())
}

func run() error {
	paths, err := loader.Paths()
	if err != nil {
		return err
	}
	for _, path := range paths {
		p, err := plugin.Open(path)
		if err != nil {
			return err
		}
		name := strings.TrimSuffix(filepath.Base(path), ".so")
		if sym, err := p.Lookup("Greet"); err == nil {
			wire, err := sym.(func(string) ([]byte, error))("host")
			if err != nil {
				return err
			}
			var g api.Greeting
			if err := proto.Unmarshal(wire, &g); err != nil {
				return err
			}
			fmt.Printf("%s, via a wire of %d bytes\n", describe(name, &g), len(wire))
			continue
		}
		sym, err := p.Lookup("Hello")
		if err != nil {
			return err
		}
		g := sym.(func(string) *api.Greeting)("host")
		own := &api.Greeting{From: ids.Named("beta"), To: "host", Tags: []string{"*api.Greeting"}}
		fmt.Printf("%s, equal to the host's own: %v\n", describe(name, g), proto.Equal(g, own))
	}
	return nil
}
`,
		"bad/BUILD.bazel": `# go_proto_library targets the deps aspect refuses, each used by a plugin.
load("@io_bazel_rules_go//proto:compiler.bzl", "go_proto_compiler")
load("@io_bazel_rules_go//proto:def.bzl", "go_proto_library")
load("@rules_go_plugin//go_plugin:defs.bzl", "go_plugin")

[go_plugin(
    name = "uses_" + lib,
    srcs = ["main.go"],
    deps = [":" + lib],
) for lib in [
    "gc_goopts",
    "validate_only",
]]

go_proto_library(
    name = "gc_goopts",
    gc_goopts = ["-N"],
    importpath = "example.com/bad/p",
    protos = ["//ids:ids_proto"],
)

# A compiler that only adds methods to what another generates.
go_proto_compiler(
    name = "methods_only",
    plugin = "@org_golang_google_protobuf//cmd/protoc-gen-go",
    valid_archive = False,
)

go_proto_library(
    name = "validate_only",
    compilers = [":methods_only"],
    importpath = "example.com/bad/q",
    protos = ["//ids:ids_proto"],
)
`,
		"bad/main.go": "package main\n",
	}
}
