package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

// The module graph: what the main module's go.mod and go.sum say about
// every module of the build, recorded once at SDK setup (modgraph.go) and
// read by the compile and link actions of the user's packages. With it a
// package gets what `go build -trimpath` gives it: positions under
// module@version (the main module's under its path) and the -lang of its
// module's go line; a link gets the mod and dep lines of the build info.

// goModule is one module of the graph, as the modules file records it.
type goModule struct {
	Path    string `json:"path"`
	Version string `json:"version,omitempty"` // "" for the main module
	Main    bool   `json:"main,omitempty"`
	// Go is the go line of the module's go.mod (of its replacement when
	// replaced), "" when it has none.
	Go string `json:"go,omitempty"`
	// Lang is the compiler's -lang for its packages, as the go command
	// derives it from Go and the toolchain's version.
	Lang    string    `json:"lang"`
	Sum     string    `json:"sum,omitempty"`
	Replace *goModule `json:"replace,omitempty"`
}

// moduleGraph is the modules file.
type moduleGraph struct {
	// Toolchain is the SDK's Go version the langs were derived for.
	Toolchain string     `json:"toolchain"`
	Modules   []goModule `json:"modules"` // sorted by path, the main module among them
}

func readModuleGraph(file string) (*moduleGraph, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var g moduleGraph
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("reading the module graph %s: %v", file, err)
	}
	return &g, nil
}

// moduleOf is the module that provides a package: the one with the longest
// path that is the import path or a prefix of it at a slash, as the go
// command finds it (nested modules included). nil for a package of no
// module of the graph (the ruleset's own tools, say): it keeps the
// builder's defaults.
func (g *moduleGraph) moduleOf(importPath string) *goModule {
	var best *goModule
	for i := range g.Modules {
		m := &g.Modules[i]
		if importPath == m.Path || strings.HasPrefix(importPath, m.Path+"/") {
			if best == nil || len(m.Path) > len(best.Path) {
				best = m
			}
		}
	}
	return best
}

// mainModule is the graph's main module.
func (g *moduleGraph) mainModule() *goModule {
	for i := range g.Modules {
		if g.Modules[i].Main {
			return &g.Modules[i]
		}
	}
	return nil
}

// packageModule is moduleOf, except that the main package of a host or
// plugin whose path is in no module (a default pluginpath, a host's
// default importpath) is taken as the main module's, as every main package
// `go build` builds in the workspace is.
func (g *moduleGraph) packageModule(importPath string, mainPackage bool) *goModule {
	if m := g.moduleOf(importPath); m != nil || !mainPackage {
		return m
	}
	return g.mainModule()
}

// positionPath is what `go build -trimpath` rewrites a package's directory
// to: module@version/rest for a package of a dependency (the required
// version, also when a replacement provides it), the import path for the
// main module's.
func positionPath(importPath string, m *goModule) string {
	if m == nil || m.Version == "" {
		return importPath
	}
	return m.Path + "@" + m.Version + strings.TrimPrefix(importPath, m.Path)
}

// defaultGoModVersion is what the go command assumes for a go.mod without
// a go line (cmd/go/internal/gover.DefaultGoModVersion).
const defaultGoModVersion = "1.16"

// langFor is the go command's -lang for a module's packages: the language
// version of the module's go line (1.16 without one), or of the toolchain
// when the line is newer than the toolchain.
func langFor(goLine, toolchain string) string {
	v := goLine
	if v == "" {
		v = defaultGoModVersion
	}
	if compareGoVersions(v, toolchain) > 0 {
		v = toolchain
	}
	return "go" + goLang(v)
}

// goLang is the language version of a Go version: 1.21.3 and 1.21rc1 are
// 1.21.
func goLang(v string) string {
	p := goVersionParts(v)
	if p[1] < 0 {
		return strconv.Itoa(p[0])
	}
	return strconv.Itoa(p[0]) + "." + strconv.Itoa(p[1])
}

// compareGoVersions orders Go versions as the go command does: 1.21 (the
// language) before 1.21rc1 before 1.21.0 before 1.21.3.
func compareGoVersions(a, b string) int {
	pa, pb := goVersionParts(a), goVersionParts(b)
	for i := range pa {
		if pa[i] != pb[i] {
			if pa[i] < pb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// goVersionParts is major, minor (-1 if none), kind (0 the bare language
// version, 1 a prerelease, 2 a release) and the patch or prerelease number.
func goVersionParts(v string) [4]int {
	p := [4]int{0, -1, 0, 0}
	major, rest, _ := strings.Cut(v, ".")
	p[0], _ = strconv.Atoi(major)
	if rest == "" {
		return p
	}
	minor, patch, hasPatch := strings.Cut(rest, ".")
	digits := strings.IndexFunc(minor, func(r rune) bool { return r < '0' || r > '9' })
	switch {
	case hasPatch:
		p[2] = 2
		p[3], _ = strconv.Atoi(patch)
	case digits >= 0: // 1.21rc1, 1.21beta2
		p[2] = 1
		p[3], _ = strconv.Atoi(strings.TrimLeft(minor[digits:], "abcdefghijklmnopqrstuvwxyz"))
		minor = minor[:digits]
	}
	p[1], _ = strconv.Atoi(minor)
	return p
}

// debugModule is a module as the build info shows it: "(devel)" for a
// module without a version, the go.sum hash for a module version (a
// replaced one shows its replacement's).
func debugModule(m *goModule) debug.Module {
	dm := debug.Module{Path: m.Path, Version: m.Version}
	if dm.Version == "" {
		dm.Version = "(devel)"
	}
	if m.Replace != nil {
		r := debugModule(m.Replace)
		dm.Replace = &r
	} else if m.Version != "" {
		dm.Sum = m.Sum
	}
	return dm
}

// buildInfoModules are the mod line (the main package's module, see
// packageModule) and the dep
// lines (every other module that provides a linked package, by path) of a
// link, as the go command writes them.
func (g *moduleGraph) buildInfoModules(mainPath string, linked []string) (debug.Module, []*debug.Module) {
	var main debug.Module
	mainModule := g.packageModule(mainPath, true)
	if mainModule != nil {
		main = debugModule(mainModule)
	}
	seen := map[string]bool{}
	var deps []*debug.Module
	for _, p := range linked {
		m := g.moduleOf(p)
		if m == nil || m == mainModule || seen[m.Path] {
			continue
		}
		seen[m.Path] = true
		dm := debugModule(m)
		deps = append(deps, &dm)
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	return main, deps
}
