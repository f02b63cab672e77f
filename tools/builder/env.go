package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// multiFlag collects a flag that may be repeated.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// sdkFlags are the flags every verb takes: which SDK, for which platform,
// and which Bazel target the action belongs to (for error messages).
type sdkFlags struct {
	label  string
	goroot string
	goos   string
	goarch string
	tags   string

	// Build settings every verb must agree on (see settings.bzl).
	race     bool
	cgo      bool
	trimpath bool
	gcflags  multiFlag
}

func (s *sdkFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.label, "label", "", "Bazel label of the target, for messages")
	fs.StringVar(&s.goroot, "goroot", "", "GOROOT of the SDK, relative to the exec root")
	fs.StringVar(&s.goos, "goos", "", "target GOOS")
	fs.StringVar(&s.goarch, "goarch", "", "target GOARCH")
	fs.StringVar(&s.tags, "tags", "", "comma-separated build tags")
	fs.BoolVar(&s.race, "race", false, "build with the race detector")
	fs.BoolVar(&s.cgo, "cgo", true, "cgo is enabled")
	fs.BoolVar(&s.trimpath, "trimpath", true, "rewrite positions to import paths (else to paths relative to the exec root)")
	fs.Var(&s.gcflags, "gcflag", "compiler flag for every package (repeatable; compile only)")
}

// config is the build configuration files are selected by.
func (s *sdkFlags) config() buildConfig {
	cfg := buildConfig{goos: s.goos, goarch: s.goarch, cgo: s.cgo, race: s.race}
	if s.tags != "" {
		cfg.tags = strings.Split(s.tags, ",")
	}
	return cfg
}

func (s *sdkFlags) check() error {
	if s.goroot == "" || s.goos == "" || s.goarch == "" {
		return fmt.Errorf("-goroot, -goos and -goarch are required")
	}
	abs, err := filepath.Abs(s.goroot)
	if err != nil {
		return err
	}
	s.goroot = abs
	return nil
}

// tool is the path of a tool of the SDK, such as "compile" or "link". The
// tools run where the builder runs, so their directory is named for the
// builder's own platform, whatever the target platform is.
func (s *sdkFlags) tool(name string) string {
	return filepath.Join(s.goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH, name)
}

// goEnv is the environment of every Go tool the builder runs: only what the
// tools need, so the settings of the machine (GOFLAGS, GOPATH, a go.env
// toolchain switch, HOME) can never leak into an output. tmp is a private
// scratch directory of the action; extra entries come last and win.
func (s *sdkFlags) goEnv(tmp string, extra ...string) []string {
	env := []string{
		"GOROOT=" + s.goroot,
		"GOOS=" + s.goos,
		"GOARCH=" + s.goarch,
		"GOCACHE=" + filepath.Join(tmp, "gocache"),
		"GOPATH=" + filepath.Join(tmp, "gopath"),
		"GOTMPDIR=" + tmp,
		"TMPDIR=" + tmp,
		"HOME=" + tmp,
		"GOTOOLCHAIN=local",
		"GOENV=off",
		"GOFLAGS=",
		"GOPROXY=off",
		"GOWORK=off",
		"GOTELEMETRY=off",
		"GO111MODULE=on",
	}
	if p := os.Getenv("PATH"); p != "" {
		env = append(env, "PATH="+p)
	}
	return append(env, extra...)
}

// traceRun, when set (by tests), sees every tool the builder runs, so the
// builder's commands can be compared with the go command's.
var traceRun func(name string, args []string)

// run runs a command and returns its combined output in the error when it
// fails, so that the compiler's own message reaches the user.
func run(env []string, dir string, name string, args ...string) error {
	if traceRun != nil {
		traceRun(name, args)
	}
	cmd := exec.Command(name, args...)
	cmd.Env = env
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		text := strings.TrimSpace(string(out))
		if text == "" {
			text = err.Error()
		}
		return fmt.Errorf("%s failed:\n%s", filepath.Base(name), text)
	}
	return nil
}

// scratchDir makes a private directory for one action beside its output,
// inside the action's sandbox (or output tree), never in the system's
// temporary directory: a killed action leaves nothing behind there, and a
// leftover from a killed unsandboxed run is removed by the next one.
func scratchDir(out string) (string, func(), error) {
	dir := filepath.Join(filepath.Dir(out), "_tmp_"+filepath.Base(out))
	if err := os.RemoveAll(dir); err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil, err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, err
	}
	return abs, func() { os.RemoveAll(abs) }, nil
}
