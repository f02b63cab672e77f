package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// runStdDelta compiles the standard library packages that one target's
// sources import and that the build's standard library does not have yet:
// neither the predicted set (the go_stdlib target) nor the deltas of the
// target's deps. It writes them, and an importcfg naming them, into a
// directory (a tree artifact), which is empty but for an empty importcfg
// when the prediction covered the imports: the usual case.
//
// Bazel decides an action's inputs before any source is read, so the rules
// cannot know which std packages a target needs; this action makes the
// answer sound without declaring an action per std package for all of std.
func runStdDelta(args []string) error {
	fs := flag.NewFlagSet("stddelta", flag.ContinueOnError)
	var sdk sdkFlags
	sdk.register(fs)
	outDir := fs.String("o", "", "directory (tree artifact) to write <importpath>.a and importcfg into")
	stdCfg := fs.String("stdimportcfg", "", "importcfg of the build's predicted standard library")
	dynlink := fs.Bool("dynlink", false, "compile for plugins (-dynlink)")
	cc := fs.String("cc", "", "C compiler, for the cgo packages of std")
	plan := fs.String("stdplan", "", "the SDK's std plan (the go command's flags for std)")
	bundle := fs.String("stdsrc", "", "the SDK's std source bundle (zip)")
	var srcs, deps, trees multiFlag
	fs.Var(&srcs, "src", "source file of the target (repeatable)")
	fs.Var(&deps, "dep", "import path of a direct dep, not std (repeatable)")
	fs.Var(&trees, "stdtree", "std delta directory of a dep (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := sdk.check(); err != nil {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("%s: %w", sdk.label, err) }
	if *outDir == "" || *stdCfg == "" || *bundle == "" || *plan == "" {
		return fail(errors.New("stddelta: -o, -stdimportcfg, -stdsrc and -stdplan are required"))
	}
	source, err := openStdBundle(*bundle, sdk.goroot)
	if err != nil {
		return fail(err)
	}
	defer source.Close()
	have, err := readStdConfigs(*stdCfg, trees)
	if err != nil {
		return fail(err)
	}
	ps, err := readSources(buildContext(sdk.config()), srcs)
	if err != nil {
		return fail(err)
	}
	isDep := map[string]bool{}
	for _, d := range deps {
		isDep[d] = true
	}
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
	var missing []string
	for imp := range wanted {
		if imp == "C" || imp == "unsafe" || isDep[imp] || have[imp] != "" || !isStdPackage(source, imp) {
			continue // the compile reports imports that nothing provides
		}
		missing = append(missing, imp)
	}
	sort.Strings(missing)
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	compiled := map[string]string{}
	if len(missing) > 0 {
		g, err := loadStdGraph(&sdk, source, missing, have)
		if err != nil {
			return fail(err)
		}
		if err := source.prepareHeaders(); err != nil {
			return fail(err)
		}
		order, err := g.order()
		if err != nil {
			return fail(err)
		}
		archive := func(p string) string {
			if f := have[p]; f != "" {
				return f
			}
			return filepath.Join(*outDir, p+".a")
		}
		if err := compileStdGraph(&sdk, g, order, archive, *dynlink, *cc, *plan, runtime.NumCPU()); err != nil {
			return fail(err)
		}
		for _, p := range order {
			compiled[p] = archive(p)
		}
	}
	return writeImportcfg(filepath.Join(*outDir, "importcfg"), compiled)
}

// readStdConfigs reads the std importcfg and those of std delta directories
// into one map.
func readStdConfigs(stdCfg string, trees []string) (map[string]string, error) {
	std := map[string]string{}
	if stdCfg != "" {
		m, err := readImportcfg(stdCfg)
		if err != nil {
			return nil, err
		}
		std = m
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

// isStdPackage reports whether std has a directory for the import path: a
// std package (the compile explains a path that is neither std nor a dep).
func isStdPackage(source stdSource, path string) bool {
	first, _, _ := strings.Cut(path, "/")
	if strings.Contains(first, ".") || first == "cmd" || first == "vendor" {
		return false
	}
	return source.isDir(path)
}
