// Command rulesgocheck checks statically that rules_go's go_library,
// go_proto_library and go_proto_compiler still have every attribute
// rules_go_plugin's deps aspect reads, with the type the aspect expects, and
// that the stand-in rules_go the tests run on Bazel 4.2.3 has rules_go's
// public attributes of them (exactly, for go_library).
//
//	go run ./tools/rulesgocheck                      # the newest rules_go the module proxy serves
//	go run ./tools/rulesgocheck -version v0.34.0     # another release
//	go run ./tools/rulesgocheck -rules_go DIR        # a rules_go checkout
//
// rules_go's .bzl files ship in its Go module, so `go mod download` fetches
// them. The check parses them with buildtools, follows go_library from
// go/def.bzl (go_proto_library from proto/def.bzl, _go_proto_compiler from
// proto/compiler.bzl) through loads, aliases and macros to its rule(...) declaration,
// and compares its attrs with go_plugin/private/rules_go/schema.bzl. Run it
// from the repository root. It exits 1 and lists every problem when there
// is any.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

const rulesGoModule = "github.com/bazelbuild/rules_go"

func main() {
	version := flag.String("version", "latest", "rules_go release to check against, as a Go module version")
	dir := flag.String("rules_go", "", "a rules_go tree to check against instead of a downloaded release")
	schemaPath := flag.String("schema", "go_plugin/private/rules_go/schema.bzl", "the aspect's schema")
	standIn := flag.String("standin", "tests/rules_go_standin", "the tests' stand-in rules_go; empty to skip")
	flag.Parse()

	name := "rules_go tree " + *dir
	if *dir == "" {
		d, v, err := downloadRulesGo(*version)
		if err != nil {
			fmt.Fprintln(os.Stderr, "rulesgocheck:", err)
			os.Exit(2)
		}
		*dir, name = d, "rules_go "+v
	}
	problems, summary, err := check(name, *dir, *schemaPath, *standIn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "rulesgocheck:", err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Println(summary)
}

// check runs every comparison and returns the problems and, when there is
// none, a line that says what was checked.
func check(name, rulesGoDir, schemaPath, standInDir string) ([]string, string, error) {
	rules, err := readSchema(schemaPath)
	if err != nil {
		return nil, "", err
	}
	var problems, found []string
	for _, want := range rules {
		def, err := findRule(rulesGoDir, want.Entry, want.Symbol)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %v", name, err)
		}
		problems = append(problems, checkRule(name, def, want)...)
		found = append(found, fmt.Sprintf("%s (%s:%d) has the %d attributes the aspect reads", want.Symbol, def.File, def.Line, len(want.Attrs)))
		if standInDir == "" {
			continue
		}
		standIn, err := findRule(standInDir, want.Entry, want.Symbol)
		if err != nil {
			return nil, "", fmt.Errorf("stand-in %s: %v", standInDir, err)
		}
		problems = append(problems, checkStandIn(name, want, def, standIn)...)
	}
	summary := fmt.Sprintf("%s: %s, with their types", name, strings.Join(found, ", "))
	if standInDir != "" {
		summary += fmt.Sprintf("; the stand-in in %s has exactly go_library's public attributes and every public one of the others", standInDir)
	}
	return problems, summary, nil
}

// downloadRulesGo fetches a rules_go release through the Go module proxy
// (or finds it in the module cache) and returns its directory and version.
func downloadRulesGo(version string) (string, string, error) {
	tmp, err := os.MkdirTemp("", "rulesgocheck")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "mod", "download", "-json", rulesGoModule+"@"+version)
	cmd.Dir = tmp // outside any module, so no go.mod is read or changed
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOTOOLCHAIN=local")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var info struct{ Dir, Version, Error string }
	if jerr := json.Unmarshal(out, &info); jerr != nil && err == nil {
		err = jerr
	}
	if err != nil || info.Error != "" || info.Dir == "" {
		return "", "", fmt.Errorf("go mod download %s@%s: %v %s", rulesGoModule, version, err, info.Error)
	}
	return info.Dir, info.Version, nil
}
