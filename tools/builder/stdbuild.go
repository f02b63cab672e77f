package main

import (
	"errors"
	"flag"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// runStd compiles packages of the standard library and what they import,
// one `compile -std` per package, in dependency order and in parallel, into
// a directory, and writes the importcfg of everything it compiled.
//
// Which files and imports a package has is decided here, by go/build with
// the build's configuration (GOOS, GOARCH, tags, cgo, race), as the go
// command decides it; the SDK's recorded package graph only tells Bazel
// which packages exist.
func runStd(args []string) error {
	fs := flag.NewFlagSet("std", flag.ContinueOnError)
	var sdk sdkFlags
	sdk.register(fs)
	outDir := fs.String("o", "", "directory to write <importpath>.a into")
	cfgOut := fs.String("importcfg", "", "importcfg to write, naming the archives relative to the exec root")
	dynlink := fs.Bool("dynlink", false, "compile for plugins (-dynlink)")
	cc := fs.String("cc", "", "C compiler, for the cgo packages of std")
	plan := fs.String("stdplan", "", "the SDK's std plan (the go command's flags for std)")
	jobs := fs.Int("jobs", runtime.NumCPU(), "packages compiled at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := sdk.check(); err != nil {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("%s: %w", sdk.label, err) }
	if *outDir == "" || *cfgOut == "" || *plan == "" || fs.NArg() == 0 {
		return fail(errors.New("std: -o, -importcfg, -stdplan and at least one package (or \"std\") are required"))
	}
	g, err := loadStdGraph(&sdk, gorootSource(sdk.goroot), fs.Args(), nil)
	if err != nil {
		return fail(err)
	}
	order, err := g.order()
	if err != nil {
		return fail(err)
	}
	archive := func(p string) string { return filepath.Join(*outDir, p+".a") }
	if err := compileStdGraph(&sdk, g, order, archive, *dynlink, *cc, *plan, *jobs); err != nil {
		return fail(err)
	}
	cfg := map[string]string{}
	for _, p := range order {
		cfg[p] = archive(p)
	}
	return writeImportcfg(*cfgOut, cfg)
}

// stdPackage is one package of std as go/build sees it in the configuration.
type stdPackage struct {
	path    string
	dir     string
	srcs    []string          // files of the package that take part, absolute
	imports map[string]string // import as written -> package path (vendor/... for vendored ones)
	deps    []string          // package paths of the imports, sorted
	embeds  []string          // relpath=file of every file under dir, when it has //go:embed
}

type stdGraph struct {
	pkgs map[string]*stdPackage
}

// stdSource is where std's files come from: GOROOT as it is, or the SDK's
// std source bundle (stdbundle.go), which writes a package's files into
// GOROOT before it is read.
type stdSource interface {
	// isDir reports whether GOROOT/src/<rel> is a directory.
	isDir(rel string) bool
	// prepare makes the files of GOROOT/src/<rel> readable, those of its
	// subdirectories too when withSubdirs.
	prepare(rel string, withSubdirs bool) error
}

// gorootSource is GOROOT itself: the std verb runs where all of std's
// files are inputs.
type gorootSource string

func (g gorootSource) isDir(rel string) bool {
	fi, err := os.Stat(filepath.Join(string(g), "src", filepath.FromSlash(rel)))
	return err == nil && fi.IsDir()
}

func (gorootSource) prepare(string, bool) error { return nil }

// loadStdGraph reads the packages named (or all of std for "std") and
// everything they import, implicit imports of cgo included, except those
// that have archives already.
func loadStdGraph(sdk *sdkFlags, source stdSource, roots []string, have map[string]string) (*stdGraph, error) {
	ctxt := buildContext(sdk.config())
	ctxt.GOROOT = sdk.goroot
	src := filepath.Join(sdk.goroot, "src")
	g := &stdGraph{pkgs: map[string]*stdPackage{}}
	var queue []string
	for _, r := range roots {
		if r == "std" {
			all, err := allStdPackages(&ctxt, src)
			if err != nil {
				return nil, err
			}
			queue = append(queue, all...)
			continue
		}
		queue = append(queue, r)
	}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if g.pkgs[path] != nil || have[path] != "" {
			continue
		}
		p, err := readStdPackage(&ctxt, source, src, path)
		if err != nil {
			return nil, err
		}
		g.pkgs[path] = p
		queue = append(queue, p.deps...)
	}
	return g, nil
}

// allStdPackages lists what `go list std` lists: every directory of GOROOT/src
// outside cmd and testdata with Go files for the configuration.
func allStdPackages(ctxt *build.Context, src string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		rel, _ := filepath.Rel(src, path)
		if rel == "cmd" || name == "testdata" || (path != src && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_"))) {
			return filepath.SkipDir
		}
		if rel == "." {
			return nil
		}
		if _, err := ctxt.ImportDir(path, 0); err == nil {
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func readStdPackage(ctxt *build.Context, source stdSource, src, path string) (*stdPackage, error) {
	dir := filepath.Join(src, filepath.FromSlash(path))
	if err := source.prepare(path, false); err != nil {
		return nil, err
	}
	bp, err := ctxt.ImportDir(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("standard library package %q: %w", path, err)
	}
	p := &stdPackage{path: path, dir: dir, imports: map[string]string{}}
	for _, list := range [][]string{bp.GoFiles, bp.CgoFiles, bp.SFiles, bp.HFiles, bp.CFiles, bp.CXXFiles, bp.SysoFiles} {
		for _, f := range list {
			p.srcs = append(p.srcs, filepath.Join(dir, f))
		}
	}
	imports := append([]string{}, bp.Imports...)
	if len(bp.CgoFiles) > 0 {
		imports = append(imports, cgoImplicitImports(path)...)
	}
	seen := map[string]bool{}
	for _, imp := range imports {
		if imp == "C" || imp == "unsafe" {
			continue
		}
		target := imp
		// std's copies of golang.org/x packages live in GOROOT/src/vendor.
		if first, _, _ := strings.Cut(imp, "/"); strings.Contains(first, ".") {
			if source.isDir("vendor/" + imp) {
				target = "vendor/" + imp
			}
		}
		p.imports[imp] = target
		if !seen[target] {
			seen[target] = true
			p.deps = append(p.deps, target)
		}
	}
	sort.Strings(p.deps)
	if len(bp.EmbedPatterns) > 0 {
		if err := source.prepare(path, true); err != nil {
			return nil, err
		}
		err := filepath.WalkDir(dir, func(f string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, f)
			p.embeds = append(p.embeds, filepath.ToSlash(rel)+"="+f)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// order lists the packages so that each comes after what it imports, and
// refuses an import cycle.
func (g *stdGraph) order() ([]string, error) {
	var names []string
	for p := range g.pkgs {
		names = append(names, p)
	}
	sort.Strings(names)
	state := map[string]int{} // 1 visiting, 2 done
	var out []string
	var visit func(p string, stack []string) error
	visit = func(p string, stack []string) error {
		switch state[p] {
		case 1:
			return fmt.Errorf("import cycle in the standard library: %s", strings.Join(append(stack, p), " -> "))
		case 2:
			return nil
		}
		state[p] = 1
		for _, d := range g.pkgs[p].deps {
			if g.pkgs[d] == nil {
				continue // provided, not built here
			}
			if err := visit(d, append(stack, p)); err != nil {
				return err
			}
		}
		state[p] = 2
		out = append(out, p)
		return nil
	}
	for _, p := range names {
		if err := visit(p, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// compileStdPackage runs the compile verb in -std mode for one package.
func compileStdPackage(sdk *sdkFlags, p *stdPackage, archive func(string) string, dynlink bool, cc, plan string) error {
	if err := os.MkdirAll(filepath.Dir(archive(p.path)), 0o755); err != nil {
		return err
	}
	args := []string{
		"-label", sdk.label, "-goroot", sdk.goroot, "-goos", sdk.goos, "-goarch", sdk.goarch,
		"-std", "-stdplan", plan, "-kind", "library", "-importpath", p.path, "-o", archive(p.path), "-cc", cc,
		"-cgo=" + strconv.FormatBool(sdk.cgo), "-race=" + strconv.FormatBool(sdk.race), "-trimpath=" + strconv.FormatBool(sdk.trimpath),
	}
	if sdk.tags != "" {
		args = append(args, "-tags", sdk.tags)
	}
	if dynlink {
		args = append(args, "-dynlink")
	}
	for _, f := range sdk.gcflags {
		args = append(args, "-gcflag", f)
	}
	for _, f := range p.srcs {
		args = append(args, "-src", f)
	}
	for imp, target := range p.imports {
		args = append(args, "-dep", imp+"="+archive(target))
		if imp != target {
			args = append(args, "-importmap", imp+"="+target)
		}
	}
	for _, e := range p.embeds {
		args = append(args, "-embedsrc", e)
	}
	if err := runCompile(args); err != nil {
		return fmt.Errorf("compiling standard library package %s: %w", p.path, err)
	}
	return nil
}

// compileStdGraph compiles the packages of g in order, each once the
// packages it imports are done, at most jobs at a time; archive names the
// archive of every package, built here or provided.
func compileStdGraph(sdk *sdkFlags, g *stdGraph, order []string, archive func(string) string, dynlink bool, cc, plan string, jobs int) error {
	done := map[string]chan struct{}{}
	for _, p := range order {
		done[p] = make(chan struct{})
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, max(jobs, 1))
	for _, p := range order {
		wg.Add(1)
		go func(p string) {
			defer wg.Done()
			defer close(done[p])
			for _, d := range g.pkgs[p].deps {
				if ch := done[d]; ch != nil {
					<-ch
				}
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			mu.Lock()
			failed := firstErr != nil
			mu.Unlock()
			if failed {
				return
			}
			if err := compileStdPackage(sdk, g.pkgs[p], archive, dynlink, cc, plan); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}(p)
	}
	wg.Wait()
	return firstErr
}
