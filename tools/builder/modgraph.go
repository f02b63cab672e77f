package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// runModgraph records, at SDK setup, the module graph of the main module's
// go.mod (modules.go): the SDK's own go command resolves it, offline and
// without touching the user's files (`go list -m -json all` with -modfile
// on a scratch copy of go.mod and go.sum, GOPROXY=off, -mod=readonly), so
// the graph is the one `go build` would use, not a second reading of
// go.mod's syntax.
func runModgraph(args []string) error {
	fs := flag.NewFlagSet("modgraph", flag.ContinueOnError)
	goroot := fs.String("goroot", "", "GOROOT of the SDK")
	gomod := fs.String("gomod", "", "the main module's go.mod (its go.sum beside it)")
	out := fs.String("o", "", "file to write")
	stdImports := fs.String("stdimports", "", "also write the std imports of the main module's packages into this file (see stdimports.go)")
	goos := fs.String("goos", "", "target GOOS, for -stdimports")
	goarch := fs.String("goarch", "", "target GOARCH, for -stdimports")
	bazelPkg := fs.String("bazelpackage", "", "the Bazel package of go.mod, for -stdimports' keys of the main module's packages")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *goroot == "" || *gomod == "" || *out == "" {
		return errors.New("modgraph: -goroot, -gomod and -o are required")
	}
	root, err := filepath.Abs(*goroot)
	if err != nil {
		return err
	}
	modFile, err := filepath.Abs(*gomod)
	if err != nil {
		return err
	}
	scratch, err := os.MkdirTemp("", "rules_go_plugin_modgraph")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	g, err := listModuleGraph(root, modFile, scratch)
	if err != nil {
		return fmt.Errorf("%s: %w", *gomod, err)
	}
	data, err := jsonIndent(g)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return err
	}
	if *stdImports == "" {
		return nil
	}
	m, err := listStdImports(root, modFile, scratch, *goos, *goarch, *bazelPkg)
	if err != nil {
		// Not fatal: without the list every package takes the predicted
		// std, and the std delta compiles what it lacks.
		fmt.Fprintf(os.Stderr, "%s: the std imports of the main module's packages could not be listed, so std packages outside the prediction may be compiled once per target that imports them: %v\n", *gomod, err)
		m = map[string][]string{}
	}
	return writeStdImports(*stdImports, m)
}

// jsonIndent is the modules file's text: indented, with a final newline.
func jsonIndent(g *moduleGraph) ([]byte, error) {
	data, err := json.MarshalIndent(g, "", "  ")
	return append(data, '\n'), err
}

// listedModule is what `go list -m -json` prints of a module.
type listedModule struct {
	Path, Version, GoVersion, Sum string
	Main                          bool
	Replace                       *listedModule
	Error                         *struct{ Err string }
}

func listModuleGraph(goroot, modFile, scratch string) (*moduleGraph, error) {
	copyMod := filepath.Join(scratch, "go.mod")
	if err := copyFile(modFile, copyMod); err != nil {
		return nil, err
	}
	sum := strings.TrimSuffix(modFile, ".mod") + ".sum"
	if _, err := os.Stat(sum); err == nil {
		if err := copyFile(sum, filepath.Join(scratch, "go.sum")); err != nil {
			return nil, err
		}
	}
	env := moduleEnv(goroot, scratch)
	goCmd := filepath.Join(goroot, "bin", "go")
	dir := filepath.Dir(modFile) // relative replace directories are relative to it
	version, err := goOutput(goCmd, dir, env, false, "env", "GOVERSION")
	if err != nil {
		return nil, err
	}
	toolchain := strings.TrimPrefix(strings.TrimSpace(version), "go")
	text, err := goOutput(goCmd, dir, env, true, "list", "-modfile="+copyMod, "-m", "-json", "all")
	if err != nil {
		return nil, fmt.Errorf("the go command cannot resolve the module graph offline (GOPROXY=off): %v\n"+
			"Run `go mod download && go list -m all` (and `go mod tidy` first if go.sum lacks entries) in %s, so that the module cache has every module's source and the go.mod of every module of the graph (`go mod download` alone skips those of pruned modules), then build again", err, dir)
	}
	mods, err := decodeListedModules(text)
	if err != nil {
		return nil, err
	}
	return moduleGraphOf(mods, toolchain)
}

// moduleEnv is the go command's environment for reading the graph: the
// machine's (its module cache is where go mod download put the modules),
// with nothing fetched and nothing written.
func moduleEnv(goroot, scratch string) []string {
	override := map[string]string{
		"GOROOT": goroot, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly", "GOPROXY": "off",
		"GOWORK": "off", "GOTELEMETRY": "off", "GO111MODULE": "on", "GOCACHE": filepath.Join(scratch, "cache"),
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := override[k]; !ok {
			env = append(env, kv)
		}
	}
	keys := make([]string, 0, len(override))
	for k := range override {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+override[k])
	}
	return env
}

func decodeListedModules(text string) ([]listedModule, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	var mods []listedModule
	for {
		var m listedModule
		if err := dec.Decode(&m); err == io.EOF {
			return mods, nil
		} else if err != nil {
			return nil, fmt.Errorf("reading `go list -m -json all`: %v", err)
		}
		mods = append(mods, m)
	}
}

// moduleGraphOf turns the go command's listing into the modules file.
func moduleGraphOf(listed []listedModule, toolchain string) (*moduleGraph, error) {
	g := &moduleGraph{Toolchain: toolchain}
	var broken []string
	for _, l := range listed {
		if l.Error != nil {
			broken = append(broken, fmt.Sprintf("%s@%s: %s", l.Path, l.Version, l.Error.Err))
			continue
		}
		m := goModule{Path: l.Path, Version: l.Version, Main: l.Main, Go: l.GoVersion, Sum: l.Sum}
		if l.Replace != nil {
			m.Sum = ""
			m.Replace = &goModule{Path: l.Replace.Path, Version: l.Replace.Version, Go: l.Replace.GoVersion, Sum: l.Replace.Sum}
			m.Replace.Lang = langFor(m.Replace.Go, toolchain)
			m.Go = m.Replace.Go
		}
		m.Lang = langFor(m.Go, toolchain)
		g.Modules = append(g.Modules, m)
	}
	if len(broken) > 0 {
		return nil, fmt.Errorf("the go command cannot read these modules offline:\n\t%s\nRun `go mod download && go list -m all` next to the go.mod, then build again", strings.Join(broken, "\n\t"))
	}
	sort.Slice(g.Modules, func(i, j int) bool { return g.Modules[i].Path < g.Modules[j].Path })
	return g, nil
}
