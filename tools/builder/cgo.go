package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cgoConfig is what a cgo package needs beyond its sources: the C compiler
// (from Bazel's C++ toolchain) and the target's C flags and cdeps.
type cgoConfig struct {
	cc        string
	cppopts   []string // preprocessor: C, C++ and assembly (rules_go's cppopts)
	copts     []string // C, C++ and assembly
	conlyopts []string // C and assembly, not C++ (rules_go's copts)
	cxxopts   []string // C++ only
	clinkopts []string // recorded in the archive for the external link
	includes  []string // -I dirs of cdeps, relative to the exec root
	defines   []string // -D of cdeps
	libs      []string // libraries of cdeps, relative to the exec root

	// Linker flags before the package's own, as the go command's default
	// CGO_LDFLAGS ("-O2 -g"); set for standard library packages.
	ldDefaults []string
}

// cgoOutput is what the cgo step adds to a package: Go files for the
// compiler and objects for the archive.
type cgoOutput struct {
	goFiles []string
	objs    []string
}

// runCgo does what the go command does for a package that imports "C":
// cgo translates the cgo files, the C compiler builds the C, C++ and
// assembly files, and `cgo -dynimport` lists the dynamic imports. Paths of
// the sandbox never reach an output: C objects map them with
// -ffile-prefix-map, and the compiler's -trimpath maps objdir to nothing, as
// `go build -trimpath` does.
func runCgo(sdk *sdkFlags, env []string, objdir, importPath, pkgName string, ps *pkgSources, cfg cgoConfig) (*cgoOutput, error) {
	if cfg.cc == "" {
		return nil, fmt.Errorf("%s imports \"C\", but no C compiler is configured; Bazel needs a C++ toolchain (install gcc, or register one)", firstCgoFile(ps))
	}
	execRoot, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	srcDir, err := filepath.Abs(filepath.Dir(ps.goFiles[0].path))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(objdir, 0o755); err != nil {
		return nil, err
	}
	objdir += string(filepath.Separator)

	// The target's flags first, then the #cgo ones, as the go command puts
	// CGO_CPPFLAGS before a package's #cgo CPPFLAGS.
	cppflags := append(append(append([]string{}, cfg.cppopts...), ps.cgoCPPFLAGS...), "-I", objdir)
	// cgo runs in the package's directory, the C compiler in the exec
	// root: cgo gets the cdeps' include directories as absolute paths, so
	// that a Go file's preamble finds their headers too. (No output
	// records them; objects get the relative ones.)
	cgoCppflags := append([]string{}, cppflags...)
	for _, inc := range cfg.includes {
		cppflags = append(cppflags, "-I", inc)
		if !filepath.IsAbs(inc) {
			inc = filepath.Join(execRoot, inc)
		}
		cgoCppflags = append(cgoCppflags, "-I", inc)
	}
	for _, d := range cfg.defines {
		cppflags = append(cppflags, "-D"+d)
		cgoCppflags = append(cgoCppflags, "-D"+d)
	}
	// The go command's default CGO_CFLAGS, then the target's, then the #cgo ones.
	cflags := append(append(append([]string{"-O2", "-g"}, cfg.copts...), cfg.conlyopts...), ps.cgoCFLAGS...)
	cxxflags := append(append(append([]string{"-O2", "-g"}, cfg.copts...), cfg.cxxopts...), ps.cgoCXXFLAGS...)
	ldflags := append(append(append(append([]string{}, cfg.ldDefaults...), ps.cgoLDFLAGS...), cfg.clinkopts...), cfg.libs...)
	if len(ps.cxxFiles) > 0 {
		ldflags = append(ldflags, "-lstdc++")
	}

	var cgoFiles []string
	out := &cgoOutput{goFiles: []string{objdir + "_cgo_gotypes.go"}}
	cFiles := []string{objdir + "_cgo_export.c"}
	for _, f := range ps.goFiles {
		if !f.cgo {
			continue
		}
		abs, err := filepath.Abs(f.path)
		if err != nil {
			return nil, err
		}
		cgoFiles = append(cgoFiles, abs)
		stem := strings.TrimSuffix(filepath.Base(f.path), ".go")
		out.goFiles = append(out.goFiles, objdir+stem+".cgo1.go")
		cFiles = append(cFiles, objdir+stem+".cgo2.c")
	}

	cgoArgs := []string{"-objdir", objdir, "-importpath", importPath}
	if importPath == "runtime/cgo" {
		cgoArgs = append(cgoArgs, "-import_runtime_cgo=false")
	}
	if importPath == "runtime/cgo" || importPath == "runtime/race" {
		cgoArgs = append(cgoArgs, "-import_syscall=false")
	}
	if len(ldflags) > 0 {
		quoted := make([]string, len(ldflags))
		for i, f := range ldflags {
			quoted[i] = strconv.Quote(f)
		}
		cgoArgs = append(cgoArgs, "-ldflags="+strings.Join(quoted, " "))
	}
	cgoArgs = append(cgoArgs, "--")
	cgoArgs = append(append(append(cgoArgs, cgoCppflags...), cflags...), cgoFiles...)
	cenv := append(append([]string{}, env...), "CC="+cfg.cc, "CGO_LDFLAGS=")
	if err := run(cenv, srcDir, sdk.tool("cgo"), cgoArgs...); err != nil {
		return nil, err
	}

	base := gccBase(sdk, cfg.cc, srcDir, execRoot, objdir)
	compile := func(src string, flags []string, lang string) error {
		obj := fmt.Sprintf("%s_x%03d.o", objdir, len(out.objs)+1)
		args := append(append([]string{}, base...), flags...)
		args = append(args, "-frandom-seed="+seed(src), "-o", obj, "-c")
		if lang != "" {
			args = append(args, "-x", lang)
		}
		args = append(args, src)
		if err := run(cenv, "", cfg.cc, args...); err != nil {
			return err
		}
		out.objs = append(out.objs, obj)
		return nil
	}
	cAll := append(append([]string{}, cppflags...), cflags...)
	for _, f := range append(cFiles, ps.cFiles...) {
		if err := compile(f, cAll, ""); err != nil {
			return nil, err
		}
	}
	for _, f := range ps.cxxFiles {
		if err := compile(f, append(append([]string{}, cppflags...), cxxflags...), "c++"); err != nil {
			return nil, err
		}
	}
	for _, f := range ps.asmFiles {
		// In a cgo package the C compiler assembles .s and .S files.
		if err := compile(f, cAll, "assembler-with-cpp"); err != nil {
			return nil, err
		}
	}

	imp, obj, err := cgoDynimport(sdk, cenv, base, cAll, ldflags, objdir, importPath, pkgName, cfg.cc, out.objs)
	if err != nil {
		return nil, err
	}
	if imp != "" {
		out.goFiles = append(out.goFiles, imp)
	}
	if obj != "" {
		out.objs = append(out.objs, obj)
	}
	return out, nil
}

// cgoDynimport links the package's objects with a stub main and asks cgo
// which dynamic symbols they import, as the go command does. The list only
// matters to the internal linker; when the trial link fails (a library
// that resolves only in the final link), the go command marks the package
// as needing the external linker with an empty "dynimportfail" member, and
// so does this.
func cgoDynimport(sdk *sdkFlags, env, base, cflags, ldflags []string, objdir, importPath, pkgName, cc string, objs []string) (goFile, obj string, err error) {
	mainObj := objdir + "_cgo_main.o"
	args := append(append(append([]string{}, base...), cflags...), "-o", mainObj, "-c", objdir+"_cgo_main.c")
	if err := run(env, "", cc, args...); err != nil {
		return "", "", err
	}
	dynobj := objdir + "_cgo_.o"
	args = append(append(append([]string{}, base...), "-o", dynobj, mainObj), objs...)
	args = append(args, ldflags...)
	if err := run(env, "", cc, args...); err != nil {
		fail := objdir + "dynimportfail"
		if err := os.WriteFile(fail, nil, 0o644); err != nil {
			return "", "", err
		}
		return "", fail, nil
	}
	goFile = objdir + "_cgo_import.go"
	cgoArgs := []string{"-dynpackage", pkgName, "-dynimport", dynobj, "-dynout", goFile}
	if importPath == "runtime/cgo" {
		cgoArgs = append(cgoArgs, "-dynlinker")
	}
	if err := run(env, "", sdk.tool("cgo"), cgoArgs...); err != nil {
		return "", "", err
	}
	return goFile, "", nil
}

// gccBase is the start of every C compiler command line: the go command's
// flags for the platform, and the prefix maps that keep sandbox paths out of
// objects (debug info names sources relative to the exec root).
func gccBase(sdk *sdkFlags, cc, srcDir, execRoot, objdir string) []string {
	args := []string{"-I", srcDir, "-fPIC"}
	switch sdk.goarch {
	case "amd64", "s390x":
		args = append(args, "-m64")
	case "386":
		args = append(args, "-m32")
	case "arm":
		args = append(args, "-marm")
	}
	// GCC and clang try the last map first: objdir, inside the exec root,
	// must come after it, or objects name the output tree they were built in.
	args = append(args, "-pthread", "-fmessage-length=0",
		"-ffile-prefix-map="+execRoot+"=.",
		"-ffile-prefix-map="+strings.TrimSuffix(objdir, string(filepath.Separator))+"=/tmp/go-build",
		"-gno-record-gcc-switches")
	return args
}

// seed makes -frandom-seed depend on the file's name only, so objects are
// the same from build to build.
func seed(src string) string {
	sum := sha256.Sum256([]byte(filepath.Base(src)))
	return hex.EncodeToString(sum[:8])
}

func firstCgoFile(ps *pkgSources) string {
	for _, f := range ps.goFiles {
		if f.cgo {
			return f.path
		}
	}
	return "the package"
}
