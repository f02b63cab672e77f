package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The std imports of the main module's build: which std packages each
// package of `go list -deps ./...` imports directly, as the SDK's own go
// command resolves them for the target platform (offline, on the scratch
// copy of go.mod that modgraph uses). The rules give each compile the std
// archives its package imports and compile each of those once per variant
// for the whole build, where a miss would otherwise be compiled by every
// target that imports it (the std delta). Recorded at setup, so it can be
// stale after an edit; the delta keeps a stale list correct.

// stdImportsFormat prints, per package: import path, whether it is std,
// whether it is in the main module, its directory, and its imports
// (vendor-resolved, as the compiler sees them).
const stdImportsFormat = "{{.ImportPath}}\t{{.Standard}}\t{{with .Module}}{{.Main}}{{end}}\t{{.Dir}}\t{{join .Imports \" \"}}"

// listStdImports runs the listing in the module's directory. A package the
// go command cannot load (a module missing from the module cache) still
// lists the imports it could read; the build's std delta covers the rest.
//
// Each package is keyed by its import path; a package of the main module
// also by "//" and its Bazel package (bazelPkg is go.mod's), which is how
// the rules find main packages, whose import path they do not know.
func listStdImports(goroot, modFile, scratch, goos, goarch, bazelPkg string) (map[string][]string, error) {
	env := append(moduleEnv(goroot, scratch),
		// -mod as the go command decides (vendor/ when the module vendors).
		"GOFLAGS=", "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=1")
	goCmd := filepath.Join(goroot, "bin", "go")
	text, err := goOutput(goCmd, filepath.Dir(modFile), env, false,
		"list", "-modfile="+filepath.Join(scratch, "go.mod"), "-e", "-deps", "-f", stdImportsFormat, "./...")
	if err != nil {
		return nil, err
	}
	root, err := filepath.EvalSymlinks(filepath.Dir(modFile))
	if err != nil {
		return nil, err
	}
	return parseStdImports(text, root, bazelPkg), nil
}

// parseStdImports keeps the std imports of each non-std package; a package
// that imports "C" imports what cgo's generated files import too.
func parseStdImports(text, root, bazelPkg string) map[string][]string {
	standard := map[string]bool{}
	type listed struct {
		path, key string
		imports   []string
	}
	var pkgs []listed
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		fields := strings.Split(line, "\t")
		if len(fields) != 5 {
			continue
		}
		if fields[1] == "true" {
			standard[fields[0]] = true
			continue
		}
		p := listed{path: fields[0], imports: strings.Fields(fields[4])}
		if fields[2] == "true" {
			p.key = bazelPackageKey(root, fields[3], bazelPkg)
		}
		pkgs = append(pkgs, p)
	}
	out := map[string][]string{}
	for _, p := range pkgs {
		set := map[string]bool{}
		for _, imp := range p.imports {
			switch {
			case imp == "C":
				for _, c := range cgoImplicitImports("") {
					set[c] = true
				}
			case imp != "unsafe" && standard[imp]:
				set[imp] = true
			}
		}
		std := make([]string, 0, len(set))
		for imp := range set {
			std = append(std, imp)
		}
		sort.Strings(std)
		out[p.path] = std
		if p.key != "" {
			out[p.key] = std
		}
		// A vendored package is imported, and named in BUILD files, by the
		// path after vendor/.
		if _, after, ok := strings.Cut(p.path, "/vendor/"); ok {
			if _, seen := out[after]; !seen {
				out[after] = std
			}
		}
	}
	return out
}

// bazelPackageKey is "//" and the Bazel package of a main-module package's
// directory, or "" when it is not under the module root.
func bazelPackageKey(root, dir, bazelPkg string) string {
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return ""
	}
	return "//" + strings.Trim(path.Join(bazelPkg, filepath.ToSlash(rel)), "/.")
}

// writeStdImports writes one line per package, sorted: the import path,
// then its std imports, separated by spaces (read by sdk/repository.bzl).
func writeStdImports(path string, m map[string][]string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintln(&b, strings.Join(append([]string{k}, m[k]...), " "))
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
