package main

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// stdDelta is how a compile builds the standard library packages that its
// package imports and that no input provides: neither the build's predicted
// std, nor the std packages the main module's listing says the package
// imports (the SDK's package_std), nor the deltas of its deps. That happens
// when the sources import a std package the setup did not see (an edit
// since, a package outside the main module's go list). The compile writes
// them, and an importcfg naming them, into a directory of its own (a tree
// artifact), which dependent compiles and links take; in the usual case it
// holds only an empty importcfg.
//
// Bazel decides an action's inputs before any source is read; deciding
// inside the compile keeps this correct without an action of its own on
// every edit's critical path.
type stdDelta struct {
	dir     string // the tree to write
	bundle  string // the SDK's std source bundle
	plan    string // the SDK's std plan
	cc      string
	dynlink bool
}

// build compiles what the package's imports miss from have, adds it to
// have, and writes the tree's importcfg.
func (d *stdDelta) build(sdk *sdkFlags, ps *pkgSources, deps, have map[string]string) error {
	wanted := map[string]bool{}
	for _, f := range ps.goFiles {
		for _, imp := range f.imports {
			wanted[imp.path] = true
		}
	}
	if ps.usesCgo() {
		for _, p := range cgoImplicitImports("") {
			wanted[p] = true
		}
	}
	var candidates []string
	for imp := range wanted {
		if imp == "C" || imp == "unsafe" || deps[imp] != "" || have[imp] != "" || !mayBeStd(imp) {
			continue // the compile reports imports that nothing provides
		}
		candidates = append(candidates, imp)
	}
	sort.Strings(candidates)
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return err
	}
	compiled := map[string]string{}
	if len(candidates) > 0 {
		if err := d.compile(sdk, candidates, have, compiled); err != nil {
			return err
		}
	}
	for p, f := range compiled {
		have[p] = f
	}
	return writeImportcfg(filepath.Join(d.dir, "importcfg"), compiled)
}

func (d *stdDelta) compile(sdk *sdkFlags, candidates []string, have, compiled map[string]string) error {
	source, err := openStdBundle(d.bundle, sdk.goroot)
	if err != nil {
		return err
	}
	defer source.Close()
	var missing []string
	for _, p := range candidates {
		if source.isDir(p) {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	g, err := loadStdGraph(sdk, source, missing, have)
	if err != nil {
		return err
	}
	if err := source.prepareHeaders(); err != nil {
		return err
	}
	order, err := g.order()
	if err != nil {
		return err
	}
	archive := func(p string) string {
		if f := have[p]; f != "" {
			return f
		}
		return filepath.Join(d.dir, p+".a")
	}
	if err := compileStdGraph(sdk, g, order, archive, d.dynlink, d.cc, d.plan, runtime.NumCPU()); err != nil {
		return err
	}
	for _, p := range order {
		if have[p] == "" {
			compiled[p] = archive(p)
		}
	}
	return nil
}

// readStdConfigs reads the std importcfg, the importpath=archive pairs of
// the std packages given one by one, and the importcfg of std delta
// directories into one map.
func readStdConfigs(stdCfg string, pairs, trees []string) (map[string]string, error) {
	std := map[string]string{}
	if stdCfg != "" {
		m, err := readImportcfg(stdCfg)
		if err != nil {
			return nil, err
		}
		std = m
	}
	given, err := parsePairs("stdpkg", pairs)
	if err != nil {
		return nil, err
	}
	for p, f := range given {
		std[p] = f
	}
	for _, dir := range trees {
		m, err := readImportcfg(filepath.Join(dir, "importcfg"))
		if err != nil {
			return nil, err
		}
		for p, f := range m {
			if std[p] == "" {
				std[p] = f
			}
		}
	}
	return std, nil
}

// mayBeStd reports whether an import path can name a std package (the
// bundle then says whether it does): no dot in its first element.
func mayBeStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") && first != "cmd" && first != "vendor"
}
