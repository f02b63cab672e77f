package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// runStdlib compiles the standard library in one variant: normal (for hosts)
// or -dynlink (for plugins), always with -trimpath so that both variants have
// the same package hashes. It writes one archive per package into -out and an
// importcfg that names them by their path relative to the exec root.
func runStdlib(args []string) error {
	fs := flag.NewFlagSet("stdlib", flag.ContinueOnError)
	var sdk sdkFlags
	sdk.register(fs)
	out := fs.String("out", "", "directory for the archives")
	importcfg := fs.String("importcfg", "", "importcfg file to write")
	dynlink := fs.Bool("dynlink", false, "compile for plugins (-buildmode=plugin)")
	cc := fs.String("cc", "", "C compiler for runtime/cgo and friends")
	var pkgs multiFlag
	fs.Var(&pkgs, "package", "package pattern to build (repeatable; default std)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := sdk.check(); err != nil {
		return err
	}
	if *out == "" || *importcfg == "" {
		return fmt.Errorf("stdlib: -out and -importcfg are required")
	}
	// Build std from the SDK's real directory, not the sandbox's symlinks:
	// std embeds files (//go:embed), and the go command refuses to embed a
	// symlink. The files are the same inputs, and -trimpath records std
	// positions as $GOROOT/src/..., so the archives do not depend on it.
	real, err := filepath.EvalSymlinks(filepath.Join(sdk.goroot, "bin", "go"))
	if err != nil {
		return fmt.Errorf("stdlib: finding the SDK: %v", err)
	}
	sdk.goroot = filepath.Dir(filepath.Dir(real))
	if len(pkgs) == 0 {
		pkgs = multiFlag{"std"}
	}
	tmp, cleanup, err := scratchDir()
	if err != nil {
		return err
	}
	defer cleanup()

	listArgs := []string{"list", "-export", "-deps", "-trimpath"}
	if *dynlink {
		listArgs = append(listArgs, "-buildmode=plugin")
	}
	if sdk.tags != "" {
		listArgs = append(listArgs, "-tags="+sdk.tags)
	}
	listArgs = append(listArgs, "-f", "{{if .Export}}{{.ImportPath}}={{.Export}}{{end}}")
	listArgs = append(listArgs, pkgs...)
	var extra []string
	if *cc != "" {
		extra = append(extra, "CC="+*cc)
	}
	cmd := exec.Command(filepath.Join(sdk.goroot, "bin", "go"), listArgs...)
	cmd.Env = sdk.goEnv(tmp, extra...)
	cmd.Dir = tmp // outside any module, so std is all the go command sees
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("compiling the standard library failed: %v\n%s", err, stderr.String())
	}

	var lines []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		importPath, export, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		rel := filepath.Join(*out, filepath.FromSlash(importPath)+".a")
		if err := copyFile(export, rel); err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("packagefile %s=%s", importPath, rel))
	}
	if len(lines) == 0 {
		return fmt.Errorf("compiling the standard library produced no archives")
	}
	sort.Strings(lines)
	return os.WriteFile(*importcfg, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}

func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
