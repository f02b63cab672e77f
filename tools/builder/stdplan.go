package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// The std plan: the compiler's and the assembler's flags for every package
// of the standard library, as the SDK's own go command passes them, read
// from `go build -n -a -trimpath` when the SDK repository is set up. A std
// compile takes its flags from here instead of from a list in the builder,
// so a flag a new Go release adds (1.27's -std for the assembler, say)
// reaches the action with no change to the ruleset. What stays the
// builder's: where files are (-o, -importcfg, -trimpath, -symabis, -asmhdr,
// -embedcfg, the sources), which it must decide inside a sandbox.

// stdPlan is the file the SDK repository writes (rules_go_plugin/std_plan.json).
type stdPlan struct {
	// GoVersion is the SDK's, to refuse a plan of another SDK.
	GoVersion string `json:"go_version"`
	// Flags holds each distinct flag list once: most packages share theirs.
	Flags [][]string `json:"flags"`
	// Configs maps a configuration (stdPlanConfig) to each package's flags.
	Configs map[string]map[string]stdPlanEntry `json:"configs"`
}

// stdPlanEntry indexes Flags; -1 for a package without assembly.
type stdPlanEntry struct {
	Compile int `json:"compile"`
	Asm     int `json:"asm"`
}

// goroot stands for the SDK's GOROOT in recorded flags (the assembler's
// -I GOROOT/pkg/include): the plan is written in the SDK repository and
// read in sandboxes.
const planGOROOT = "$GOROOT"

// stdPlanConfig names a configuration of the plan: the build modes that
// change std's flags (plugins' -dynlink, the race detector) and cgo, which
// changes which files, and so which flags, some packages have.
func stdPlanConfig(dynlink, race, cgo bool) string {
	parts := []string{"normal"}
	if dynlink {
		parts[0] = "dynlink"
	}
	if race {
		parts = append(parts, "race")
	}
	if !cgo {
		parts = append(parts, "nocgo")
	}
	return strings.Join(parts, ",")
}

// runStdPlan writes the std plan of an SDK (at repository setup).
func runStdPlan(args []string) error {
	fs := flag.NewFlagSet("stdplan", flag.ContinueOnError)
	goroot := fs.String("goroot", "", "GOROOT of the SDK")
	goos := fs.String("goos", "", "target GOOS")
	goarch := fs.String("goarch", "", "target GOARCH")
	out := fs.String("o", "", "plan to write (JSON)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *goroot == "" || *goos == "" || *goarch == "" || *out == "" {
		return errors.New("stdplan: -goroot, -goos, -goarch and -o are required")
	}
	abs, err := filepath.Abs(*goroot)
	if err != nil {
		return err
	}
	plan, err := readStdPlanFromGo(abs, *goos, *goarch)
	if err != nil {
		return err
	}
	data, err := json.Marshal(plan)
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(data, '\n'), 0o644)
}

// readStdPlanFromGo asks the SDK's go command for its plan in every
// configuration. `go build -n` prints the commands it would run without
// running any, in a fraction of a second per configuration.
func readStdPlanFromGo(goroot, goos, goarch string) (*stdPlan, error) {
	scratch, err := os.MkdirTemp("", "rules_go_plugin_stdplan")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	goCmd := filepath.Join(goroot, "bin", "go")
	env := func(cgo bool) []string {
		// Only what selects the configuration: GOAMD64, CGO_CFLAGS or
		// GOFLAGS of the machine that sets the SDK up must not reach the plan.
		return []string{
			"GOROOT=" + goroot, "GOOS=" + goos, "GOARCH=" + goarch,
			"CGO_ENABLED=" + map[bool]string{true: "1", false: "0"}[cgo],
			"GOCACHE=" + filepath.Join(scratch, "cache"), "GOPATH=" + filepath.Join(scratch, "gopath"),
			"HOME=" + scratch, "GOTOOLCHAIN=local", "GOENV=off", "GOFLAGS=-mod=mod", "GOPROXY=off",
			"GOWORK=off", "GOTELEMETRY=off", "GO111MODULE=on", "PATH=" + os.Getenv("PATH"),
		}
	}
	version, err := goOutput(goCmd, scratch, env(true), false, "env", "GOVERSION")
	if err != nil {
		return nil, err
	}
	plan := &stdPlan{GoVersion: strings.TrimSpace(version), Configs: map[string]map[string]stdPlanEntry{}}
	interned := map[string]int{}
	intern := func(flags []string) int {
		key := strings.Join(flags, "\x00")
		if i, ok := interned[key]; ok {
			return i
		}
		plan.Flags = append(plan.Flags, flags)
		interned[key] = len(plan.Flags) - 1
		return len(plan.Flags) - 1
	}
	for _, cgo := range []bool{true, false} {
		for _, race := range []bool{false, true} {
			if race && !cgo {
				continue // the race detector needs cgo
			}
			for _, dynlink := range []bool{false, true} {
				if dynlink && !cgo {
					continue // plugins need cgo
				}
				text, err := goBuildPlan(goCmd, scratch, env(cgo), dynlink, race)
				if err != nil {
					return nil, err
				}
				pkgs, err := parseGoBuildPlan(text, goroot)
				if err != nil {
					return nil, fmt.Errorf("reading the plan of `go build -n` (%s): %w", stdPlanConfig(dynlink, race, cgo), err)
				}
				entries := map[string]stdPlanEntry{}
				for p, f := range pkgs {
					if p == planPluginPath {
						continue // the scratch plugin's own package
					}
					e := stdPlanEntry{Compile: intern(f.compile), Asm: -1}
					if f.asm != nil {
						e.Asm = intern(f.asm)
					}
					entries[p] = e
				}
				plan.Configs[stdPlanConfig(dynlink, race, cgo)] = entries
			}
		}
	}
	return plan, nil
}

// goOutput runs the go command and returns what it prints on standard
// output, or on both streams with combined (`go build -n` prints its plan
// on standard error).
func goOutput(goCmd, dir string, env []string, combined bool, args ...string) (string, error) {
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if combined {
		cmd.Stderr = &stdout
	}
	if err := cmd.Run(); err != nil {
		detail := stderr.String()
		if combined {
			detail = stdout.String()
		}
		return "", fmt.Errorf("`go %s` failed: %v\n%s", strings.Join(args, " "), err, detail)
	}
	return stdout.String(), nil
}

// planPluginPath is the scratch plugin's package path; no std package has
// a dot in its first element.
const planPluginPath = "rules_go_plugin.stdplan"

// goBuildPlan prints what the go command would run to build all of std.
// For plugins it must build a plugin: a scratch main package that imports
// every std package user code can import (the rest are built as their deps).
func goBuildPlan(goCmd, scratch string, env []string, dynlink, race bool) (string, error) {
	args := []string{"build", "-n", "-a", "-trimpath"}
	if race {
		args = append(args, "-race")
	}
	if !dynlink {
		return goOutput(goCmd, scratch, env, true, append(args, "std")...)
	}
	dir := filepath.Join(scratch, "plugin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	list, err := goOutput(goCmd, scratch, env, false, "list", "-e", "-f", "{{if not .Incomplete}}{{.ImportPath}}{{end}}", "std")
	if err != nil {
		return "", err
	}
	var src strings.Builder
	src.WriteString("package main\n\nimport (\n")
	for _, p := range strings.Fields(list) {
		if p == "unsafe" || strings.HasPrefix(p, "vendor/") || p == "internal" || strings.HasPrefix(p, "internal/") ||
			strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal") {
			continue
		}
		fmt.Fprintf(&src, "\t_ %q\n", p)
	}
	src.WriteString(")\n")
	files := map[string]string{
		"go.mod":    "module " + planPluginPath + "\n",
		"plugin.go": src.String(),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	return goOutput(goCmd, dir, env, true, append(args, "-buildmode=plugin", "-o", filepath.Join(scratch, "plugin.so"), ".")...)
}

// plannedFlags are one package's flags in one configuration.
type plannedFlags struct {
	compile []string
	asm     []string // nil without assembly
}

// Flags the builder sets itself for every compile and assembly, with the
// value that follows them: they name files of the action.
var (
	builderCompileFlags = map[string]bool{"-o": true, "-p": true, "-trimpath": true, "-buildid": true, "-importcfg": true, "-symabis": true, "-asmhdr": true, "-embedcfg": true}
	builderCompileBools = map[string]bool{"-pack": true}
	builderAsmFlags     = map[string]bool{"-o": true, "-p": true, "-trimpath": true}
	builderAsmBools     = map[string]bool{"-gensymabis": true}
)

// parseGoBuildPlan reads the compile and asm commands of `go build -n`
// output, package by package (-p), keeping the flags that are not the
// builder's, in the go command's order, with GOROOT spelled planGOROOT.
func parseGoBuildPlan(text, goroot string) (map[string]plannedFlags, error) {
	out := map[string]plannedFlags{}
	for _, line := range strings.Split(text, "\n") {
		words, err := splitPlanLine(line)
		if err != nil {
			return nil, fmt.Errorf("%w in: %s", err, line)
		}
		if len(words) == 0 {
			continue
		}
		tool := filepath.Base(words[0])
		if tool != "compile" && tool != "asm" || filepath.Base(filepath.Dir(filepath.Dir(words[0]))) != "tool" {
			continue
		}
		// The files come last.
		ext := map[string]string{"compile": ".go", "asm": ".s"}[tool]
		end := len(words)
		for end > 1 && (strings.HasSuffix(words[end-1], ext) || strings.HasSuffix(words[end-1], ".S")) {
			end--
		}
		pkg, flags := "", []string{}
		valued, bools := builderCompileFlags, builderCompileBools
		if tool == "asm" {
			valued, bools = builderAsmFlags, builderAsmBools
		}
		for i := 1; i < end; i++ {
			w := words[i]
			switch {
			case valued[w] && i+1 < end:
				if w == "-p" {
					pkg = words[i+1]
				}
				i++
			case bools[w], strings.HasPrefix(w, "-c="):
				// -c is the compiler's concurrency, which the go command
				// picks for the machine; it changes no output.
			case tool == "asm" && w == "-I" && i+1 < end && strings.HasPrefix(words[i+1], "$WORK/"):
				i++ // the package's scratch directory (go_asm.h): the builder's own
			default:
				flags = append(flags, strings.ReplaceAll(w, goroot, planGOROOT))
			}
		}
		if pkg == "" {
			return nil, fmt.Errorf("a %s command without -p", tool)
		}
		if strings.Contains(strings.Join(flags, " "), "$WORK") {
			return nil, fmt.Errorf("%s of %s names the go command's scratch directory in a flag the builder does not know: %q", tool, pkg, flags)
		}
		entry := out[pkg]
		if tool == "compile" {
			if entry.compile != nil && !equalStrings(entry.compile, flags) {
				return nil, fmt.Errorf("two compiles of %s with different flags", pkg)
			}
			entry.compile = flags
		} else {
			if entry.asm != nil && !equalStrings(entry.asm, flags) {
				return nil, fmt.Errorf("two assemblies of %s with different flags: %q and %q", pkg, entry.asm, flags)
			}
			entry.asm = flags
		}
		out[pkg] = entry
	}
	for p, e := range out {
		if e.compile == nil {
			return nil, fmt.Errorf("%s is assembled but not compiled", p)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no compile command in it")
	}
	return out, nil
}

// splitPlanLine splits a line of `go build -n` into words: the go command
// prints each argument as is, or quoted as by strconv.Quote when it holds a
// space or a character a shell treats specially. Environment assignments
// before the command (TERM='dumb') are dropped.
func splitPlanLine(line string) ([]string, error) {
	var words []string
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' {
					j++
				}
			}
			if j >= len(line) {
				return nil, errors.New("an unterminated quote")
			}
			w, err := strconv.Unquote(line[i : j+1])
			if err != nil {
				return nil, err
			}
			words = append(words, w)
			i = j + 1
		default:
			j := strings.IndexAny(line[i:], " \t")
			if j < 0 {
				j = len(line) - i
			}
			words = append(words, line[i:i+j])
			i += j
		}
	}
	for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "/") {
		words = words[1:]
	}
	return words, nil
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// readStdPlan reads the plan the SDK repository wrote.
func readStdPlan(file string) (*stdPlan, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the SDK's std plan: %w", err)
	}
	var plan stdPlan
	if err := json.Unmarshal(data, &plan); err != nil {
		return nil, fmt.Errorf("the SDK's std plan %s is damaged: %w; set the SDK repository up again (bazel sync --configure, or bazel clean --expunge)", file, err)
	}
	return &plan, nil
}

// stdFlags are a std package's compiler and assembler flags from the plan.
type stdFlags struct {
	compile, asm []string
}

// flagsFor returns a package's planned compiler and assembler flags, with
// GOROOT filled in.
func (p *stdPlan) flagsFor(sdk *sdkFlags, pkg string, dynlink bool) (*stdFlags, error) {
	config := stdPlanConfig(dynlink, sdk.race, sdk.cgo)
	entries, ok := p.Configs[config]
	if !ok {
		return nil, fmt.Errorf("the SDK's std plan has no configuration %q (it has %s)", config, strings.Join(p.planConfigs(), ", "))
	}
	e, ok := entries[pkg]
	if !ok {
		return nil, fmt.Errorf("the go command of %s would not build standard library package %s in configuration %q, so the SDK's std plan has no flags for it", p.GoVersion, pkg, config)
	}
	fill := func(i int) ([]string, error) {
		if i < 0 {
			return nil, nil
		}
		if i >= len(p.Flags) {
			return nil, fmt.Errorf("the SDK's std plan is damaged (flag list %d of %d)", i, len(p.Flags))
		}
		out := make([]string, len(p.Flags[i]))
		for j, f := range p.Flags[i] {
			out[j] = strings.ReplaceAll(f, planGOROOT, sdk.goroot)
		}
		return out, nil
	}
	compile, err := fill(e.Compile)
	if err != nil {
		return nil, err
	}
	asm, err := fill(e.Asm)
	if err != nil {
		return nil, err
	}
	return &stdFlags{compile: compile, asm: asm}, nil
}

// planConfigs lists the plan's configurations, for messages and tests.
func (p *stdPlan) planConfigs() []string {
	var out []string
	for c := range p.Configs {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
