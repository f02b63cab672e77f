package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// GODEBUG defaults, as the go command sets them: a main package gets the
// GODEBUG settings of the Go version its main module's go.mod says (a module
// that says go 1.22 keeps 1.22's behaviour on a newer toolchain), changed by
// the go.mod's godebug lines and the package's //go:debug lines, linked as
// runtime.godebugDefault and recorded in the build info. Which settings a
// version implies is the SDK's knowledge, so the builder asks its go command
// (`go list -f {{.DefaultGODEBUG}}`) about a scratch module with the same go
// line, godebug lines and directives, rather than keep a table of its own.

// mainModule is what the main module's go.mod says about GODEBUG.
type mainModule struct {
	goVersion string   // the go line, "" when no go.mod is configured
	godebug   []string // key=value of its godebug lines
}

// readGoModGodebug reads the go line and the godebug lines of a go.mod.
func readGoModGodebug(file string) (mainModule, error) {
	f, err := os.Open(file)
	if err != nil {
		return mainModule{}, err
	}
	defer f.Close()
	var mod mainModule
	inBlock := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		switch {
		case inBlock && line == ")":
			inBlock = false
		case inBlock && line != "":
			mod.godebug = append(mod.godebug, strings.Join(strings.Fields(line), ""))
		case line == "godebug (":
			inBlock = true
		case strings.HasPrefix(line, "godebug "):
			mod.godebug = append(mod.godebug, strings.Join(strings.Fields(strings.TrimPrefix(line, "godebug ")), ""))
		case strings.HasPrefix(line, "go "):
			mod.goVersion = strings.TrimSpace(strings.TrimPrefix(line, "go "))
		}
	}
	if err := sc.Err(); err != nil {
		return mainModule{}, err
	}
	if mod.goVersion == "" {
		return mainModule{}, fmt.Errorf("%s has no go line", file)
	}
	return mod, nil
}

// runGodebug reports, at SDK setup, what the main module's go.mod says and
// the default GODEBUG of a main package without //go:debug lines: three
// sections of lines (the go line; the default; the godebug lines).
func runGodebug(args []string) error {
	fs := flag.NewFlagSet("godebug", flag.ContinueOnError)
	goroot := fs.String("goroot", "", "GOROOT of the SDK")
	gomod := fs.String("gomod", "", "the main module's go.mod")
	out := fs.String("o", "", "file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *goroot == "" || *gomod == "" || *out == "" {
		return errors.New("godebug: -goroot, -gomod and -o are required")
	}
	abs, err := filepath.Abs(*goroot)
	if err != nil {
		return err
	}
	mod, err := readGoModGodebug(*gomod)
	if err != nil {
		return err
	}
	scratch, err := os.MkdirTemp("", "rules_go_plugin_godebug")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	def, err := askDefaultGODEBUG(abs, scratch, mod, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", *gomod, err)
	}
	text := mod.goVersion + "\n" + def + "\n" + strings.Join(mod.godebug, "\n") + "\n"
	return os.WriteFile(*out, []byte(text), 0o644)
}

// goDebugDirective is a //go:debug line of a main package's file.
type goDebugDirective struct {
	file, setting string
}

// mainPackageGODEBUG is a main package's default GODEBUG: the precomputed
// default of its main module when it has no //go:debug lines, else the go
// command's answer for them.
func mainPackageGODEBUG(sdk *sdkFlags, tmp string, mod mainModule, moduleDefault string, ps *pkgSources) (string, error) {
	if len(ps.godebug) == 0 {
		return moduleDefault, nil
	}
	return askDefaultGODEBUG(sdk.goroot, filepath.Join(tmp, "godebug"), mod, ps.godebug)
}

// askDefaultGODEBUG runs `go list` on a scratch main package with the main
// module's go and godebug lines and the directives.
func askDefaultGODEBUG(goroot, scratch string, mod mainModule, directives []goDebugDirective) (string, error) {
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return "", err
	}
	gomod := "module rules_go_plugin.godebug\n\ngo " + mod.goVersion + "\n"
	for _, g := range mod.godebug {
		gomod += "\ngodebug " + g + "\n"
	}
	var src strings.Builder
	for _, d := range directives {
		src.WriteString("//go:debug " + d.setting + "\n")
	}
	src.WriteString("\npackage main\n\nfunc main() {}\n")
	for name, text := range map[string]string{"go.mod": gomod, "main.go": src.String()} {
		if err := os.WriteFile(filepath.Join(scratch, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	env := []string{
		"GOROOT=" + goroot, "GOCACHE=" + filepath.Join(scratch, "cache"), "GOPATH=" + filepath.Join(scratch, "gopath"),
		"HOME=" + scratch, "GOTOOLCHAIN=local", "GOENV=off", "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off",
		"GOTELEMETRY=off", "GO111MODULE=on", "GOFIPS140=off",
	}
	out, err := goOutput(filepath.Join(goroot, "bin", "go"), scratch, env, false, "list", "-e", "-f", "{{with .Error}}error: {{.Err}}{{else}}{{.DefaultGODEBUG}}{{end}}", ".")
	if err != nil {
		return "", err
	}
	out = strings.TrimSpace(out)
	if msg, ok := strings.CutPrefix(out, "error: "); ok {
		return "", fmt.Errorf("the go command refuses the main module's go line or godebug lines (go %s; godebug %s): %s", mod.goVersion, strings.Join(mod.godebug, ", "), msg)
	}
	// The go command leaves out a setting it does not know (and fails the
	// build later): every setting asked for must be in its answer.
	got := map[string]bool{}
	for _, kv := range strings.Split(out, ",") {
		got[kv] = true
	}
	for _, g := range mod.godebug {
		if !got[g] && !strings.HasPrefix(g, "default=") {
			return "", fmt.Errorf("go.mod: godebug %s: the go command of this SDK does not know that setting or value (see https://go.dev/doc/godebug)", g)
		}
	}
	for _, d := range directives {
		if !got[d.setting] && !strings.HasPrefix(d.setting, "default=") {
			return "", fmt.Errorf("%s: //go:debug %s: the go command of this SDK does not know that setting or value (see https://go.dev/doc/godebug)", d.file, d.setting)
		}
	}
	return out, nil
}
