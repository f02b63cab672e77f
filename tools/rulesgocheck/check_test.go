package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
)

var (
	schemaPath = filepath.Join("..", "..", "go_plugin", "private", "rules_go", "schema.bzl")
	standInDir = filepath.Join("..", "..", "tests", "rules_go_standin")
)

// rulesGo downloads a rules_go release once per test binary.
var rulesGoDirs = map[string]string{}

func rulesGo(t *testing.T, version string) (string, string) {
	t.Helper()
	if d := rulesGoDirs[version]; d != "" {
		return d, version
	}
	d, v, err := downloadRulesGo(version)
	if err != nil {
		t.Fatal(err)
	}
	rulesGoDirs[version] = d
	return d, v
}

// The aspect's schema and the stand-in agree with the newest rules_go and
// with 0.34.0, the last release for Bazel 4, where go_library is a macro,
// for go_library, go_proto_library and go_proto_compiler.
func TestReleases(t *testing.T) {
	for _, version := range []string{"latest", "v0.34.0"} {
		dir, v := rulesGo(t, version)
		problems, summary, err := check("rules_go "+v, dir, schemaPath, standInDir)
		if err != nil {
			t.Fatal(err)
		}
		if len(problems) > 0 {
			t.Errorf("rules_go %s:\n%s", v, strings.Join(problems, "\n"))
		}
		if !strings.Contains(summary, "has the 15 attributes the aspect reads") || !strings.Contains(summary, "go_proto_library (proto/def.bzl:") {
			t.Errorf("summary: %s", summary)
		}
	}
}

// copyTree copies the .bzl files of a tree, which is all the check reads.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".bzl") {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

// editAttrs changes the attrs dict of go_library in a copied tree.
func editAttrs(t *testing.T, dir string, edit func(d *build.DictExpr)) {
	t.Helper()
	editRuleAttrs(t, dir, "go/def.bzl", "go_library", edit)
}

// editRuleAttrs changes the attrs dict of the rule found as symbol of entry.
func editRuleAttrs(t *testing.T, dir, entry, symbol string, edit func(d *build.DictExpr)) {
	t.Helper()
	def, err := findRule(dir, entry, symbol)
	if err != nil {
		t.Fatal(err)
	}
	edit(def.Dict)
	if err := os.WriteFile(filepath.Join(dir, def.File), build.Format(def.Tree), 0o644); err != nil {
		t.Fatal(err)
	}
}

func entry(d *build.DictExpr, key string) (int, *build.KeyValueExpr) {
	for i, kv := range d.List {
		if s, ok := kv.Key.(*build.StringExpr); ok && s.Value == key {
			return i, kv
		}
	}
	return -1, nil
}

// A rules_go release that removes, renames or retypes an attribute the
// aspect reads, or renames the rule, fails the check with a message that
// names it.
func TestRulesGoDrift(t *testing.T) {
	latest, _ := rulesGo(t, "latest")
	for _, tc := range []struct {
		name string
		edit func(t *testing.T, dir string)
		want string
	}{
		{"removed", func(t *testing.T, dir string) {
			editAttrs(t, dir, func(d *build.DictExpr) {
				i, _ := entry(d, "importmap")
				d.List = append(d.List[:i], d.List[i+1:]...)
			})
		}, `go_library has no attribute "importmap", which the aspect reads as attr.string (RULES_GO_LIBRARY_ATTRS)`},
		{"renamed", func(t *testing.T, dir string) {
			editAttrs(t, dir, func(d *build.DictExpr) {
				_, kv := entry(d, "x_defs")
				kv.Key.(*build.StringExpr).Value = "xdefs"
			})
		}, `go_library has no attribute "x_defs", which the aspect reads as attr.string_dict`},
		{"retyped", func(t *testing.T, dir string) {
			editAttrs(t, dir, func(d *build.DictExpr) {
				_, kv := entry(d, "cgo")
				kv.Value.(*build.CallExpr).X.(*build.DotExpr).Name = "string"
			})
		}, `go_library's attribute "cgo" is attr.string, but the aspect reads it as attr.bool`},
		{"rule renamed", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "go", "private", "rules", "library.bzl")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			s := strings.Replace(string(data), "\ngo_library = go_rule(", "\ngo_library_rule = go_rule(", 1)
			if s == string(data) {
				t.Fatal("go_library = go_rule( not found in library.bzl")
			}
			if err := os.WriteFile(p, []byte(s+"\ngo_library = go_library_rule\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, `go_library is declared as go_library_rule, so Bazel reports its kind as "go_library_rule", but the aspect compiles targets of kind "go_library"`},
		{"proto removed", func(t *testing.T, dir string) {
			editRuleAttrs(t, dir, "proto/def.bzl", "go_proto_library", func(d *build.DictExpr) {
				i, _ := entry(d, "compilers")
				d.List = append(d.List[:i], d.List[i+1:]...)
			})
		}, `go_proto_library has no attribute "compilers", which the aspect reads as attr.label_list (RULES_GO_PROTO_LIBRARY_ATTRS)`},
		{"output group renamed", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "proto", "def.bzl")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			s := strings.ReplaceAll(string(data), `"go_generated_srcs"`, `"generated_srcs"`)
			if s == string(data) {
				t.Fatal(`"go_generated_srcs" not found in proto/def.bzl`)
			}
			if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
		}, `go_proto_library's file never names the output group "go_generated_srcs"`},
		{"compiler retyped", func(t *testing.T, dir string) {
			editRuleAttrs(t, dir, "proto/compiler.bzl", "_go_proto_compiler", func(d *build.DictExpr) {
				_, kv := entry(d, "valid_archive")
				kv.Value.(*build.CallExpr).X.(*build.DotExpr).Name = "string"
			})
		}, `_go_proto_compiler's attribute "valid_archive" is attr.string, but the aspect reads it as attr.bool (RULES_GO_PROTO_COMPILER_ATTRS)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTree(t, latest)
			tc.edit(t, dir)
			problems, _, err := check("edited rules_go", dir, schemaPath, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || !strings.Contains(problems[0], tc.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", strings.Join(problems, "\n"), tc.want)
			}
		})
	}
}

// A stand-in that drifts from rules_go's attributes fails the check.
func TestStandInDrift(t *testing.T) {
	latest, _ := rulesGo(t, "latest")
	for _, tc := range []struct {
		name, entry, symbol string
		edit                func(d *build.DictExpr)
		want                string
	}{
		{"missing", "go/def.bzl", "go_library", func(d *build.DictExpr) {
			i, _ := entry(d, "importpath_aliases")
			d.List = append(d.List[:i], d.List[i+1:]...)
		}, `go_library lacks attribute "importpath_aliases" (attr.string_list in edited rules_go)`},
		{"extra", "go/def.bzl", "go_library", func(d *build.DictExpr) {
			_, kv := entry(d, "cgo")
			d.List = append(d.List, &build.KeyValueExpr{Key: &build.StringExpr{Value: "pure"}, Value: kv.Value})
		}, `attribute "pure" is not in edited rules_go's go_library`},
		{"retyped", "go/def.bzl", "go_library", func(d *build.DictExpr) {
			_, kv := entry(d, "embedsrcs")
			kv.Value.(*build.CallExpr).X.(*build.DotExpr).Name = "label"
		}, `attribute "embedsrcs" is attr.label; attr.label_list in edited rules_go`},
		{"proto missing", "proto/def.bzl", "go_proto_library", func(d *build.DictExpr) {
			i, _ := entry(d, "embed")
			d.List = append(d.List[:i], d.List[i+1:]...)
		}, `go_proto_library lacks attribute "embed" (attr.label_list in edited rules_go)`},
		{"compiler retyped", "proto/compiler.bzl", "_go_proto_compiler", func(d *build.DictExpr) {
			_, kv := entry(d, "suffixes")
			kv.Value.(*build.CallExpr).X.(*build.DotExpr).Name = "string"
		}, `attribute "suffixes" is attr.string; attr.string_list in edited rules_go`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			standIn := copyTree(t, standInDir)
			editRuleAttrs(t, standIn, tc.entry, tc.symbol, tc.edit)
			problems, _, err := check("edited rules_go", latest, schemaPath, standIn)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != 1 || !strings.Contains(problems[0], tc.want) {
				t.Errorf("problems:\n%s\nwant one containing %q", strings.Join(problems, "\n"), tc.want)
			}
		})
	}
}
