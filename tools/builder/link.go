package main

import (
	"debug/elf"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
)

// runLink links a plugin or a host. Both use the external linker: a plugin
// must (it is a shared object), and a host that imports "plugin" is
// dynamically linked against libc's dlopen.
func runLink(args []string) error {
	fs := flag.NewFlagSet("link", flag.ContinueOnError)
	var sdk sdkFlags
	sdk.register(fs)
	mode := fs.String("mode", "", "plugin, exe or pie")
	out := fs.String("o", "", "file to write")
	mainArchive := fs.String("main", "", "archive of the main package")
	stdCfg := fs.String("stdimportcfg", "", "importcfg of the standard library")
	extld := fs.String("extld", "", "C compiler used as the external linker")
	pluginPath := fs.String("pluginpath", "", "plugin path (-pluginpath), plugins only")
	requirePlugin := fs.Bool("require-plugin", false, "fail unless the executable imports package plugin (hosts)")
	infoPath := fs.String("buildinfo-path", "", "path that `go version -m` shows")
	godebugFile := fs.String("godebug", "", "file with the main package's default GODEBUG (written by its compile)")
	modulesPath := fs.String("modules", "", "the main module's module graph (the SDK's modules file): gives the build info the go command's mod and dep lines")
	var info multiFlag
	fs.Var(&info, "buildinfo", "key=value build setting that `go version -m` shows (repeatable, in order)")
	var pkgs, xdefs, stampXdefsFlag, stdTrees, stdPkgs, stamps multiFlag
	fs.Var(&stdTrees, "stdtree", "std delta directory (its importcfg names more std archives; repeatable)")
	fs.Var(&stdPkgs, "stdpkg", "importpath=archive of a std package beyond -stdimportcfg (repeatable)")
	fs.Var(&pkgs, "pkg", "importpath=archive of every non-standard package linked in (repeatable)")
	fs.Var(&xdefs, "X", "importpath.name=value string definition (repeatable)")
	fs.Var(&stampXdefsFlag, "Xstamp", "importpath.name=value definition whose {KEY} placeholders are replaced from the -stamp files (repeatable)")
	fs.Var(&stamps, "stamp", "workspace status file (stable-status.txt, volatile-status.txt) for -Xstamp (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := sdk.check(); err != nil {
		return err
	}
	fail := func(err error) error { return fmt.Errorf("%s: %w", sdk.label, err) }
	if *out == "" || *mainArchive == "" || *stdCfg == "" || *extld == "" {
		return fail(fmt.Errorf("link: -o, -main, -stdimportcfg and -extld are required"))
	}
	std, err := readStdConfigs(*stdCfg, stdPkgs, stdTrees)
	if err != nil {
		return fail(err)
	}
	own, err := parsePairs("pkg", pkgs)
	if err != nil {
		return fail(err)
	}
	for p := range own {
		if std[p] != "" {
			return fail(fmt.Errorf("a go_library has importpath %q, which is a standard library package; choose another importpath", p))
		}
		std[p] = own[p]
	}

	tmp, cleanup, err := scratchDir(*out)
	if err != nil {
		return err
	}
	defer cleanup()
	cfgPath := filepath.Join(tmp, "importcfg.link")
	godebug := ""
	if *godebugFile != "" {
		data, err := os.ReadFile(*godebugFile)
		if err != nil {
			return fail(err)
		}
		godebug = strings.TrimSpace(string(data))
	}
	if godebug != "" {
		// Where the go command records it: after the build flags, before
		// the environment (CGO_ENABLED, GOARCH, ...).
		at := len(info)
		for i, kv := range info {
			if !strings.HasPrefix(kv, "-") {
				at = i
				break
			}
		}
		info = append(info[:at:at], append([]string{"DefaultGODEBUG=" + godebug}, info[at:]...)...)
	}
	var mainMod debug.Module
	var depMods []*debug.Module
	if *modulesPath != "" {
		g, err := readModuleGraph(*modulesPath)
		if err != nil {
			return fail(err)
		}
		linked := make([]string, 0, len(own))
		for p := range own {
			linked = append(linked, p)
		}
		mainMod, depMods = g.buildInfoModules(*infoPath, linked)
	}
	modinfo, err := modinfoLine(*infoPath, mainMod, depMods, info)
	if err != nil {
		return fail(err)
	}
	if err := writeImportcfg(cfgPath, std, modinfo); err != nil {
		return err
	}

	idArgs := args
	if len(stampXdefsFlag) > 0 {
		status, err := readStatus(stamps)
		if err != nil {
			return fail(err)
		}
		stamped := stampXdefs(sdk.label, stampXdefsFlag, status)
		xdefs = append(xdefs, stamped...)
		// The build ID (and the ELF build ID made from it) follows the
		// stamped values, not only the placeholders of the arguments.
		idArgs = append(append([]string{}, args...), stamped...)
	}
	buildID, err := linkBuildID(cfgPath, *mainArchive, idArgs)
	if err != nil {
		return fail(err)
	}
	ldArgs := []string{"-o", *out, "-importcfg", cfgPath, "-buildid=" + buildID, "-tmpdir", tmp}
	if sdk.cgo || *mode != "exe" {
		ldArgs = append(ldArgs, "-linkmode=external", "-extld", *extld)
	} else {
		// Without cgo there is no runtime/cgo, which the external link needs.
		ldArgs = append(ldArgs, "-linkmode=internal")
	}
	switch *mode {
	case "plugin":
		if *pluginPath == "" {
			return fail(fmt.Errorf("link: -pluginpath is required for a plugin"))
		}
		// Naming the shared object keeps the linker from recording the
		// output's sandbox path in it, which would differ from build to build.
		soname := filepath.Base(*out)
		ldArgs = append(ldArgs, "-buildmode=plugin", "-pluginpath", *pluginPath, "-extldflags", "-Wl,-soname="+soname)
	case "exe":
		ldArgs = append(ldArgs, "-buildmode=exe")
	case "pie":
		// Linked from the -dynlink archives, which are position independent.
		ldArgs = append(ldArgs, "-buildmode=pie")
	default:
		return fail(fmt.Errorf("link: -mode must be plugin, exe or pie, not %q", *mode))
	}
	if sdk.race {
		ldArgs = append(ldArgs, "-race")
	}
	if godebug != "" {
		ldArgs = append(ldArgs, "-X=runtime.godebugDefault="+godebug)
	}
	for _, x := range xdefs {
		if strings.ContainsRune(x, 0) { // argv would cut it there
			name, _, _ := strings.Cut(x, "=")
			return fail(fmt.Errorf("link: the x_defs value of %s holds a NUL character, which no command line can carry; remove it", name))
		}
		ldArgs = append(ldArgs, "-X", x)
	}
	ldArgs = append(ldArgs, *mainArchive)
	// An empty GOROOT keeps the linker from embedding the SDK's path (the
	// sandbox's) as runtime.GOROOT, as the go command does with -trimpath:
	// that path differs from build to build.
	if err := run(sdk.goEnv(tmp, "GOROOT="), "", sdk.tool("link"), ldArgs...); err != nil {
		os.Remove(*out) // never leave a half-written output behind
		return fail(err)
	}
	if *requirePlugin {
		if err := checkLoadsPlugins(*out); err != nil {
			os.Remove(*out)
			return fail(err)
		}
	}
	if err := stampContentID(*out, buildID); err != nil {
		os.Remove(*out)
		return fail(err)
	}
	return nil
}

// checkLoadsPlugins refuses a host that cannot load plugins: the linker
// writes the package hashes (go:link.pkghash.*) into the dynamic symbol
// table only of binaries that import package plugin.
func checkLoadsPlugins(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if err != nil {
		return fmt.Errorf("reading %s: %v", path, err)
	}
	for _, s := range syms {
		if strings.HasPrefix(s.Name, "go:link.pkghash") {
			return nil
		}
	}
	return fmt.Errorf("the host does not import package \"plugin\" (directly or through a dep), so it cannot load plugins; import \"plugin\", or the loader package @rules_go_plugin//loader")
}
