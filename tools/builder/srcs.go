package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// goFile is one Go source file that takes part in the build.
type goFile struct {
	path    string // as given, relative to the exec root
	pkgName string
	imports []fileImport
	embeds  []string // //go:embed patterns
	hasMain bool     // declares func main()
	cgo     bool     // imports "C"
}

type fileImport struct {
	path string
	pos  token.Position
}

// pkgSources is a package's files after build constraints are applied, as
// go/build classifies them, so that a file counts here exactly when it would
// count for the go command.
type pkgSources struct {
	goFiles   []goFile // every Go file, cgo files included
	asmFiles  []string // .s (and .S, .sx): Go assembler, or the C compiler in a cgo package
	cFiles    []string
	cxxFiles  []string
	hdrFiles  []string
	sysoFiles []string
	skipped   []string // excluded by build constraints, or cgo files with cgo off

	// From the #cgo directives of the cgo files.
	cgoCPPFLAGS, cgoCFLAGS, cgoCXXFLAGS, cgoLDFLAGS []string

	// The //go:debug lines of the files (a main package's GODEBUG defaults).
	godebug []goDebugDirective
}

func (ps *pkgSources) usesCgo() bool {
	for _, f := range ps.goFiles {
		if f.cgo {
			return true
		}
	}
	return false
}

// buildConfig is what decides which files count: the platform, the tags and
// whether cgo is on. The race detector adds the "race" tag, as in the go command.
type buildConfig struct {
	goos, goarch string
	tags         []string
	cgo          bool
	race         bool
}

// buildContext is the go/build context for the configuration.
func buildContext(cfg buildConfig) build.Context {
	ctxt := build.Default
	ctxt.GOOS = cfg.goos
	ctxt.GOARCH = cfg.goarch
	ctxt.CgoEnabled = cfg.cgo
	ctxt.Compiler = "gc"
	ctxt.BuildTags = append([]string(nil), cfg.tags...)
	if cfg.race {
		ctxt.BuildTags = append(ctxt.BuildTags, "race")
	}
	ctxt.GOPATH = ""
	return ctxt
}

// srcKinds are the extensions srcs may have, as go/build knows them.
var srcKinds = map[string]bool{
	".go": true, ".s": true, ".S": true, ".sx": true,
	".c": true, ".cc": true, ".cpp": true, ".cxx": true,
	".h": true, ".hh": true, ".hpp": true, ".hxx": true, ".inc": true,
	".syso": true,
}

// readSources classifies srcs with go/build (constraints, cgo, #cgo
// directives) and parses the Go files. Bazel may put a package's files in
// several directories (sources and generated files), so go/build reads a
// virtual directory: the first Go file's, listing exactly srcs.
func readSources(ctxt build.Context, srcs []string) (*pkgSources, error) {
	byBase := map[string]string{}
	var dir string
	for _, src := range srcs {
		base := filepath.Base(src)
		ext := filepath.Ext(base)
		if !srcKinds[ext] {
			return nil, fmt.Errorf("%s: unsupported source file type %q; srcs takes .go, .s, .S, .c, .cc, .cpp, .cxx, .h, .hh, .hpp, .inc and .syso files", src, ext)
		}
		if strings.HasSuffix(base, "_test.go") {
			return nil, fmt.Errorf("%s: test files do not belong in srcs; put them in a test target", src)
		}
		if other, dup := byBase[base]; dup {
			return nil, fmt.Errorf("%s and %s: two srcs named %s; a Go package is one directory, so rename one", other, src, base)
		}
		byBase[base] = src
		if dir == "" && ext == ".go" {
			abs, err := filepath.Abs(filepath.Dir(src))
			if err != nil {
				return nil, err
			}
			dir = abs
		}
	}
	if dir == "" {
		return nil, fmt.Errorf("no Go files in srcs")
	}
	real := func(path string) (string, bool) {
		if filepath.Dir(path) != dir {
			return "", false
		}
		src, ok := byBase[filepath.Base(path)]
		return src, ok
	}
	ctxt.ReadDir = func(d string) ([]fs.FileInfo, error) {
		if d != dir {
			return nil, nil
		}
		var infos []fs.FileInfo
		for _, src := range byBase {
			fi, err := os.Stat(src)
			if err != nil {
				return nil, err
			}
			infos = append(infos, renamed{fi, filepath.Base(src)})
		}
		sort.Slice(infos, func(i, j int) bool { return infos[i].Name() < infos[j].Name() })
		return infos, nil
	}
	ctxt.OpenFile = func(path string) (io.ReadCloser, error) {
		src, ok := real(path)
		if !ok {
			return nil, fmt.Errorf("%s: not in srcs", path)
		}
		return os.Open(src)
	}
	ctxt.IsDir = func(path string) bool { return path == dir }
	ctxt.HasSubdir = func(root, d string) (string, bool) { return "", false }

	p, err := ctxt.ImportDir(dir, build.ImportComment)
	var noGo *build.NoGoError
	var multi *build.MultiplePackageError
	switch {
	case err == nil, errors.As(err, &noGo), errors.As(err, &multi):
		// checkPackage explains these in Bazel's terms.
	default:
		return nil, err
	}
	if len(p.CgoPkgConfig) > 0 {
		return nil, fmt.Errorf("%s: #cgo pkg-config: %s: pkg-config is not supported, since a Bazel action must not depend on the libraries installed on the machine; depend on a cc_library in cdeps, or put the flags in copts and clinkopts", cgoFileOf(p, byBase), strings.Join(p.CgoPkgConfig, " "))
	}
	for _, list := range [][]string{p.MFiles, p.FFiles, p.SwigFiles, p.SwigCXXFiles} {
		if len(list) > 0 {
			return nil, fmt.Errorf("%s: Objective-C, Fortran and SWIG files are not supported", byBase[list[0]])
		}
	}
	ps := &pkgSources{
		cgoCPPFLAGS: p.CgoCPPFLAGS,
		cgoCFLAGS:   p.CgoCFLAGS,
		cgoCXXFLAGS: p.CgoCXXFLAGS,
		cgoLDFLAGS:  p.CgoLDFLAGS,
	}
	paths := func(names []string) []string {
		var out []string
		for _, n := range names {
			out = append(out, byBase[n])
		}
		return out
	}
	for _, d := range p.Directives {
		if setting, ok := strings.CutPrefix(d.Text, "//go:debug"); ok && (setting == "" || setting[0] == ' ' || setting[0] == '\t') {
			src := byBase[filepath.Base(d.Pos.Filename)]
			ps.godebug = append(ps.godebug, goDebugDirective{file: src, setting: strings.Join(strings.Fields(setting), "")})
		}
	}
	ps.asmFiles = paths(p.SFiles)
	ps.cFiles = paths(p.CFiles)
	ps.cxxFiles = paths(p.CXXFiles)
	ps.hdrFiles = paths(p.HFiles)
	ps.sysoFiles = paths(p.SysoFiles)
	// .inc files are headers go/build does not know; keep them for -I.
	for base, src := range byBase {
		if filepath.Ext(base) == ".inc" {
			ps.hdrFiles = append(ps.hdrFiles, src)
		}
	}
	sort.Strings(ps.hdrFiles)
	ps.skipped = paths(append(append([]string{}, p.IgnoredGoFiles...), p.IgnoredOtherFiles...))
	goNames := append(append([]string{}, p.GoFiles...), p.CgoFiles...)
	if multi != nil {
		// go/build stopped classifying; parse what the constraints let in.
		goNames = nil
		for base := range byBase {
			if strings.HasSuffix(base, ".go") {
				if ok, _ := ctxt.MatchFile(dir, base); ok {
					goNames = append(goNames, base)
				}
			}
		}
	}
	sort.Strings(goNames)
	fset := token.NewFileSet()
	for _, n := range goNames {
		src := byBase[n]
		f, err := parser.ParseFile(fset, src, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		ps.goFiles = append(ps.goFiles, inspectFile(fset, src, f))
	}
	if !ps.usesCgo() && len(ps.cFiles)+len(ps.cxxFiles) > 0 {
		// As the go command: C files need a cgo file beside them.
		why := "no Go file imports \"C\"; add one, or remove them from srcs"
		for _, n := range p.IgnoredGoFiles {
			if !ctxt.CgoEnabled && importsC(byBase[n]) {
				why = "cgo is off (--@rules_go_plugin//go_plugin:cgo=false); turn it on, or remove them from srcs"
			}
		}
		return nil, fmt.Errorf("%s: C and C++ files are compiled only with cgo, and %s", strings.Join(append(ps.cFiles, ps.cxxFiles...), ", "), why)
	}
	return ps, nil
}

// renamed is a FileInfo under the name go/build should see.
type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

func importsC(path string) bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
	if err != nil {
		return false
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

func cgoFileOf(p *build.Package, byBase map[string]string) string {
	if len(p.CgoFiles) > 0 {
		return byBase[p.CgoFiles[0]]
	}
	return p.Dir
}

func inspectFile(fset *token.FileSet, path string, f *ast.File) goFile {
	gf := goFile{path: path, pkgName: f.Name.Name}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		if p == "C" {
			gf.cgo = true
		}
		gf.imports = append(gf.imports, fileImport{path: p, pos: fset.Position(imp.Pos())})
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "main" {
			gf.hasMain = true
		}
	}
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if rest, ok := strings.CutPrefix(c.Text, "//go:embed"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
				pats, _ := splitEmbedPatterns(rest)
				gf.embeds = append(gf.embeds, pats...)
			}
		}
	}
	return gf
}

// checkPackage enforces what each kind of target requires of its package,
// with messages that say which file is wrong and how to fix it.
func checkPackage(kind string, ps *pkgSources) error {
	if len(ps.goFiles) == 0 {
		if len(ps.skipped) > 0 {
			return fmt.Errorf("no Go files left after build constraints (GOOS, GOARCH, tags, cgo) excluded %s", strings.Join(ps.skipped, ", "))
		}
		return fmt.Errorf("no Go files in srcs")
	}
	first := ps.goFiles[0]
	for _, f := range ps.goFiles[1:] {
		if f.pkgName != first.pkgName {
			return fmt.Errorf("%s: package %s, but %s is package %s; a target is one Go package, so move %s to a target of its own",
				f.path, f.pkgName, first.path, first.pkgName, f.path)
		}
	}
	hasMain := false
	for _, f := range ps.goFiles {
		hasMain = hasMain || f.hasMain
	}
	switch kind {
	case "library":
		if first.pkgName == "main" {
			return fmt.Errorf("%s: package main cannot be a go_library; build it with go_plugin or go_plugin_host", first.path)
		}
	case "plugin":
		// A func main is allowed and ignored, as by the go command: the
		// host's main runs; the plugin's init and exported symbols load.
		if first.pkgName != "main" {
			return fmt.Errorf("%s: package %s; a plugin must be package main", first.path, first.pkgName)
		}
	case "host", "command":
		if first.pkgName != "main" {
			return fmt.Errorf("%s: package %s; a %s must be package main", first.path, first.pkgName, kind)
		}
		if !hasMain {
			return fmt.Errorf("no func main in %s; a %s is an executable and needs one", joinPaths(ps.goFiles), kind)
		}
	default:
		return fmt.Errorf("unknown kind %q", kind)
	}
	return nil
}

// checkImports makes sure every import is provided by the standard library
// or by a direct dep, and names the file, the import and the fix otherwise.
func checkImports(ps *pkgSources, std, deps map[string]string) error {
	var problems []string
	for _, f := range ps.goFiles {
		for _, imp := range f.imports {
			switch {
			case imp.path == "C" || imp.path == "unsafe" || std[imp.path] != "" || deps[imp.path] != "":
			default:
				// The dep cannot be added when that library depends on this
				// one (Bazel refuses the cycle); the builder cannot tell, so
				// the message says what to do then.
				problems = append(problems, fmt.Sprintf("%s:%d: import %q is not provided by any dep; add the go_library with importpath = %q to deps, or, if that library depends on this one, the two packages import each other, which Go forbids: move what both need into a third package",
					f.path, imp.pos.Line, imp.path, imp.path))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}

func joinPaths(files []goFile) string {
	var ps []string
	for _, f := range files {
		ps = append(ps, f.path)
	}
	return strings.Join(ps, ", ")
}
