package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// runCompile checks one package's sources and compiles them into an archive.
//
// The checks come first so that a mistake in a BUILD file (a file of another
// package, an import no dep provides) is reported in Bazel's terms rather
// than the compiler's. Positions in the archive are rewritten to the import
// path (-trimpath), so the export data, and with it the package hash, is the
// same in every sandbox, in both variants and on every machine.
func runCompile(args []string) error {
	fs := flag.NewFlagSet("compile", flag.ContinueOnError)
	var sdk sdkFlags
	sdk.register(fs)
	kind := fs.String("kind", "library", "library, plugin, host or command (a tool of the ruleset)")
	importPath := fs.String("importpath", "", "import path, used for positions (-trimpath)")
	packagePath := fs.String("p", "", "package path given to the compiler (-p); defaults to -importpath")
	stdCfg := fs.String("stdimportcfg", "", "importcfg of the standard library")
	out := fs.String("o", "", "archive to write")
	dynlink := fs.Bool("dynlink", false, "compile for a plugin (-dynlink)")
	var cgoCfg cgoConfig
	fs.StringVar(&cgoCfg.cc, "cc", "", "C compiler, for cgo")
	fs.Var((*multiFlag)(&cgoCfg.cppopts), "cppopt", "preprocessor flag of the target for C, C++ and assembly files (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.copts), "copt", "C compiler flag of the target (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.conlyopts), "conlyopt", "C compiler flag of the target for C and assembly files, not C++ (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.cxxopts), "cxxopt", "C++ compiler flag of the target (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.clinkopts), "clinkopt", "external linker flag of the target (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.includes), "cdep-include", "include directory of a cdep (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.defines), "cdep-define", "define of a cdep (repeatable)")
	fs.Var((*multiFlag)(&cgoCfg.libs), "cdep-lib", "library of a cdep, for the trial link and the final link (repeatable)")
	stdMode := fs.Bool("std", false, "compile a package of the standard library, with the go command's flags for it (deps come as -dep; -stdimportcfg is not used)")
	bundlePath := fs.String("stdsrc", "", "the SDK's std source bundle: with -std it gives the package's files (instead of -src and -embedsrc); with -stddelta the sources of the std packages the delta compiles")
	planPath := fs.String("stdplan", "", "the SDK's std plan, which gives the go command's compiler and assembler flags for the std package (-std) or the delta's packages (-stddelta)")
	deltaDir := fs.String("stddelta", "", "directory (tree artifact) to compile the std packages into that the sources import and no -stdimportcfg, -stdpkg or -stdtree provides; it gets an importcfg naming them (see stddelta.go)")
	var mod mainModule
	fs.StringVar(&mod.goVersion, "maingo", "", "main packages: the go line of the main module's go.mod (or the SDK's version), for the GODEBUG defaults")
	fs.Var((*multiFlag)(&mod.godebug), "maingodebug", "main packages: a godebug key=value of the main module's go.mod (repeatable)")
	moduleGodebug := fs.String("maingodebugdefault", "", "main packages: the default GODEBUG of the main module, for a package without //go:debug lines")
	godebugOut := fs.String("godebugout", "", "main packages: file to write the package's default GODEBUG into, for the link")
	modulesPath := fs.String("modules", "", "the main module's module graph (the SDK's modules file): gives the package the go command's positions and -lang")
	var srcs, deps, importmaps, embedsrcs, stdTrees, stdPkgs multiFlag
	fs.Var(&stdTrees, "stdtree", "std delta directory (its importcfg names more std archives; repeatable)")
	fs.Var(&stdPkgs, "stdpkg", "importpath=archive of a std package (repeatable)")
	fs.Var(&srcs, "src", "source file (repeatable)")
	fs.Var(&deps, "dep", "importpath=archive of a direct dep (repeatable)")
	fs.Var(&importmaps, "importmap", "importpath=packagepath of a direct dep compiled under another package path (repeatable)")
	fs.Var(&embedsrcs, "embedsrc", "relpath=file that //go:embed may name (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := sdk.check(); err != nil {
		return err
	}
	prefix := sdk.label
	fail := func(err error) error { return fmt.Errorf("%s: %w", prefix, err) }
	if *importPath == "" || *out == "" || (*stdCfg == "" && !*stdMode) {
		return fail(fmt.Errorf("compile: -importpath, -o and -stdimportcfg are required"))
	}
	if *packagePath == "" {
		*packagePath = *importPath
	}
	// The module that provides the package, as `go build` sees it.
	var module *goModule
	if *modulesPath != "" {
		if *stdMode {
			return fail(errors.New("compile: -modules is for the user's packages, not std (-std)"))
		}
		g, err := readModuleGraph(*modulesPath)
		if err != nil {
			return fail(err)
		}
		module = g.packageModule(*importPath, *kind == "plugin" || *kind == "host")
	}
	// A std package's flags are the go command's (stdplan.go); the
	// builder's own are for the ruleset's packages.
	var planned *stdFlags
	if *stdMode {
		if *planPath == "" {
			return fail(errors.New("compile: -std needs -stdplan"))
		}
		plan, err := readStdPlan(*planPath)
		if err != nil {
			return fail(err)
		}
		planned, err = plan.flagsFor(&sdk, *importPath, *dynlink)
		if err != nil {
			return fail(err)
		}
	}
	var bundle *stdBundle
	if *stdMode && *deltaDir != "" {
		return fail(errors.New("compile: -stddelta is for the user's packages, not std (-std)"))
	}
	if *deltaDir != "" && (*bundlePath == "" || *planPath == "") {
		return fail(errors.New("compile: -stddelta needs -stdsrc and -stdplan"))
	}
	if *bundlePath != "" && *stdMode {
		b, err := openStdBundle(*bundlePath, sdk.goroot)
		if err != nil {
			return fail(err)
		}
		defer b.Close()
		files, err := b.packageSources(*importPath)
		if err != nil {
			return fail(err)
		}
		srcs = append(srcs, files...)
		bundle = b
	}

	ps, err := readSources(buildContext(sdk.config()), srcs)
	if err != nil {
		return fail(err)
	}
	if bundle != nil {
		if err := prepareStdPackage(bundle, *importPath, ps, &embedsrcs); err != nil {
			return fail(err)
		}
	}
	if err := checkPackage(*kind, ps); err != nil {
		return fail(err)
	}
	if err := checkSelfImport(ps, *packagePath); err != nil {
		return fail(err)
	}
	// //go:debug lines of other packages are ignored, as by the go command.
	std := map[string]string{}
	if !*stdMode {
		std, err = readStdConfigs(*stdCfg, stdPkgs, stdTrees)
		if err != nil {
			return fail(err)
		}
	}
	depMap, err := parsePairs("dep", deps)
	if err != nil {
		return fail(err)
	}
	if *deltaDir != "" {
		d := stdDelta{dir: *deltaDir, bundle: *bundlePath, plan: *planPath, cc: cgoCfg.cc, dynlink: *dynlink}
		if err := d.build(&sdk, ps, depMap, std); err != nil {
			return fail(err)
		}
	}
	if err := checkImports(ps, std, depMap); err != nil {
		return fail(err)
	}
	packagePaths, err := parsePairs("importmap", importmaps)
	if err != nil {
		return fail(err)
	}

	tmp, cleanup, err := scratchDir(*out)
	if err != nil {
		return err
	}
	defer cleanup()
	if *godebugOut != "" {
		def, err := mainPackageGODEBUG(&sdk, tmp, mod, *moduleGodebug, ps)
		if err != nil {
			return fail(err)
		}
		if err := os.WriteFile(*godebugOut, []byte(def), 0o644); err != nil {
			return err
		}
	}

	// Only the packages this one imports go into its importcfg: the compiler
	// needs nothing else, and a smaller file is faster to read.
	imported := map[string]string{}
	if ps.usesCgo() {
		// What cgo's generated files import.
		for _, p := range cgoImplicitImports(*importPath) {
			if file := std[p]; file != "" {
				imported[p] = file
			} else if file := depMap[p]; file != "" {
				imported[p] = file
			}
		}
	}
	mapped := map[string]bool{}
	var importmapLines []string
	var patterns []string
	for _, f := range ps.goFiles {
		for _, imp := range f.imports {
			if file := depMap[imp.path]; file != "" {
				// A dep compiled under another package path (rules_go's
				// importmap) is found through an importmap line.
				if pp := packagePaths[imp.path]; pp != "" {
					if !mapped[imp.path] {
						mapped[imp.path] = true
						importmapLines = append(importmapLines, "importmap "+imp.path+"="+pp)
					}
					imported[pp] = file
				} else {
					imported[imp.path] = file
				}
			} else if file := std[imp.path]; file != "" {
				imported[imp.path] = file
			}
		}
		patterns = append(patterns, f.embeds...)
	}
	cfgPath := filepath.Join(tmp, "importcfg")
	sort.Strings(importmapLines)
	if err := writeImportcfg(cfgPath, imported, importmapLines...); err != nil {
		return err
	}

	trim := trimpathRewrites(positionPath(*importPath, module), ps)
	if !sdk.trimpath {
		// Relative to the exec root: stable across sandboxes and machines,
		// but not the import path that go build -trimpath writes.
		wd, err := os.Getwd()
		if err != nil {
			return err
		}
		trim = wd + "=>"
		if *stdMode {
			// As the go command without -trimpath: std positions are
			// recorded under $GOROOT by the compiler itself.
			trim = ""
		}
	}
	objdir := filepath.Join(tmp, "obj")
	var cgoOut *cgoOutput
	var goAsm []string // Go assembly files of a cgo package (runtime/cgo only)
	if *stdMode && ps.usesCgo() {
		goAsm = splitGoAsm(*importPath, ps)
		cgoCfg.ldDefaults = []string{"-O2", "-g"}
	}
	if ps.usesCgo() {
		cgoOut, err = runCgo(&sdk, sdk.goEnv(tmp), objdir, *packagePath, ps.goFiles[0].pkgName, ps, cgoCfg)
		if err != nil {
			return fail(err)
		}
		// Positions in cgo's generated files say nothing of the sandbox or
		// the variant. The first matching rewrite wins, and objdir is inside
		// the exec root, so it must come before the source rewrites.
		if trim != "" {
			trim = objdir + "=>;" + trim
		} else {
			trim = objdir + "=>"
		}
	}
	gcArgs := []string{"-o", "", "-p", *packagePath, "-importcfg", cfgPath, "-pack", "-trimpath", trim, "-buildid", ""}
	if planned != nil {
		gcArgs = append(gcArgs, planned.compile...)
	} else {
		gcArgs = append(gcArgs, "-nolocalimports")
		if *dynlink {
			gcArgs = append(gcArgs, "-dynlink")
		}
		if sdk.race {
			gcArgs = append(gcArgs, "-race")
		}
		if module != nil {
			// The language version is in the export data, so it is part
			// of the package hash.
			gcArgs = append(gcArgs, "-lang="+module.Lang)
		}
	}
	gcArgs = append(gcArgs, sdk.gcflags...)
	if len(patterns) > 0 {
		files, err := parsePairs("embedsrc", embedsrcs)
		if err != nil {
			return fail(err)
		}
		cfg, err := resolveEmbeds(patterns, files)
		if err != nil {
			return fail(err)
		}
		data, err := cfg.marshal()
		if err != nil {
			return err
		}
		embedPath := filepath.Join(tmp, "embedcfg")
		if err := os.WriteFile(embedPath, data, 0o644); err != nil {
			return err
		}
		gcArgs = append(gcArgs, "-embedcfg", embedPath)
	}

	env := sdk.goEnv(tmp)
	if err := checkGcflags(sdk.tool("compile"), env, sdk.gcflags); err != nil {
		return fail(err)
	}
	var goFiles []string
	for _, f := range ps.goFiles {
		if !f.cgo {
			goFiles = append(goFiles, f.path)
		}
	}
	if cgoOut != nil && len(goAsm) > 0 {
		goFiles = append(goFiles, cgoOut.goFiles...)
		if err := compileWithAsm(&sdk, env, tmp, *packagePath, trim, asmFlags(&sdk, planned, *dynlink), gcArgs, goFiles, goAsm, ps.hdrFiles, append(cgoOut.objs, ps.sysoFiles...), *out); err != nil {
			return fail(err)
		}
		return nil
	}
	if cgoOut != nil {
		goFiles = append(goFiles, cgoOut.goFiles...)
		archive := filepath.Join(tmp, "go.a")
		gcArgs[1] = archive
		if err := run(env, "", sdk.tool("compile"), append(gcArgs, goFiles...)...); err != nil {
			return fail(err)
		}
		if err := appendObjects(archive, append(cgoOut.objs, ps.sysoFiles...)); err != nil {
			return err
		}
		return copyFile(archive, *out)
	}
	if len(ps.asmFiles) == 0 && len(ps.sysoFiles) == 0 {
		gcArgs[1] = *out
		if planned == nil {
			gcArgs = append(gcArgs, "-complete")
		}
		if err := run(env, "", sdk.tool("compile"), append(gcArgs, goFiles...)...); err != nil {
			return fail(err)
		}
		return nil
	}
	if err := compileWithAsm(&sdk, env, tmp, *packagePath, trim, asmFlags(&sdk, planned, *dynlink), gcArgs, goFiles, ps.asmFiles, ps.hdrFiles, ps.sysoFiles, *out); err != nil {
		return fail(err)
	}
	return nil
}

// compileWithAsm builds a package that has assembly (or .syso) files the way the go
// command does: the assembler first lists the assembly symbols (symabis) for
// the compiler, the compiler writes go_asm.h for the assembler, and the assembled
// objects are appended to the compiler's archive.
func compileWithAsm(sdk *sdkFlags, env []string, tmp, packagePath, trim string, flags, gcArgs, goFiles, asmFiles, hdrFiles, extraObjs []string, out string) error {
	asmArgs := append([]string{"-p", packagePath, "-trimpath", trim, "-I", tmp}, flags...)
	for _, dir := range headerDirs(hdrFiles) {
		asmArgs = append(asmArgs, "-I", dir)
	}
	archive := filepath.Join(tmp, "go.a")
	gcArgs[1] = archive
	if len(asmFiles) > 0 {
		// The first pass runs before the compiler writes go_asm.h; as the
		// go command, give an #include of it an empty file to read.
		if err := os.WriteFile(filepath.Join(tmp, "go_asm.h"), nil, 0o644); err != nil {
			return err
		}
		symabis := filepath.Join(tmp, "symabis")
		if err := run(env, "", sdk.tool("asm"), append(append(append([]string{}, asmArgs...), "-gensymabis", "-o", symabis), asmFiles...)...); err != nil {
			return err
		}
		gcArgs = append(gcArgs, "-symabis", symabis, "-asmhdr", filepath.Join(tmp, "go_asm.h"))
	}
	if err := run(env, "", sdk.tool("compile"), append(gcArgs, goFiles...)...); err != nil {
		return err
	}
	var objs []string
	for i, s := range asmFiles {
		obj := filepath.Join(tmp, fmt.Sprintf("asm%d.o", i))
		if err := run(env, "", sdk.tool("asm"), append(append(append([]string{}, asmArgs...), "-o", obj), s)...); err != nil {
			return err
		}
		objs = append(objs, obj)
	}
	// .syso files (and a cgo package's C objects) go into the archive as
	// they are, as the go command packs them.
	if err := appendObjects(archive, append(objs, extraObjs...)); err != nil {
		return err
	}
	return copyFile(archive, out)
}

// asmFlags are the assembler's flags after -p, -trimpath and the scratch
// directory: a std package's from the plan, else the go command's defaults
// for the ruleset's packages.
func asmFlags(sdk *sdkFlags, planned *stdFlags, dynlink bool) []string {
	if planned != nil {
		return planned.asm
	}
	flags := []string{"-I", filepath.Join(sdk.goroot, "pkg", "include"), "-D", "GOOS_" + sdk.goos, "-D", "GOARCH_" + sdk.goarch}
	if sdk.goarch == "amd64" {
		flags = append(flags, "-D", "GOAMD64_v1")
	}
	if dynlink {
		flags = append(flags, "-dynlink")
	}
	return flags
}

// trimpathRewrites maps every directory the sources sit in (a source tree,
// or bazel-out for generated files) to where `go build -trimpath` puts the
// package: its import path, or module@version/... (positionPath).
func trimpathRewrites(importPath string, ps *pkgSources) string {
	dirs := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(filepath.Dir(p)); err == nil {
			dirs[abs] = true
		}
	}
	for _, f := range ps.goFiles {
		add(f.path)
	}
	for _, f := range ps.asmFiles {
		add(f)
	}
	var rewrites []string
	for d := range dirs {
		rewrites = append(rewrites, d+"=>"+importPath)
	}
	sort.Strings(rewrites)
	return strings.Join(rewrites, ";")
}

func headerDirs(hdrs []string) []string {
	seen := map[string]bool{}
	var dirs []string
	for _, h := range hdrs {
		if d := filepath.Dir(h); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	return dirs
}
