package loadcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// checkPlugin opens one plugin in a child process and turns what happened
// into test cases: open, then one per symbol, then the smoke call.
func checkPlugin(spec Spec, exe, path string, static plugincheck.Result) []testCase {
	name := shortName(path)
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), spec.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, childFlag)
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	elapsed := time.Since(start)

	var res childResult
	decodeErr := json.Unmarshal(stdout.Bytes(), &res)
	open := testCase{plugin: name, name: "open", elapsed: elapsed}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		open.failure = fmt.Sprintf("hung: no result within %v (killed); a plugin's init must return", spec.Timeout)
	case runErr != nil || decodeErr != nil:
		open.failure = died(runErr, stderr.String())
	case res.OpenError != "":
		open.failure = "plugin.Open failed: " + res.OpenError + staticFindings(static)
	}
	cases := []testCase{open}
	if open.failure != "" {
		return cases
	}
	for i, s := range res.Symbols {
		c := testCase{plugin: name, name: "symbol " + s.Name}
		want := spec.Symbols[i].Want
		switch {
		case s.Missing && s.Optional:
			c.skipped = "optional, not exported"
		case s.Missing:
			c.failure = fmt.Sprintf("not found: the plugin exports no symbol %s (want %s)", s.Name, want)
		case s.Found != "":
			c.failure = fmt.Sprintf("wrong type: want %s, found %s", want, s.Found)
		}
		cases = append(cases, c)
	}
	if res.Smoke != nil {
		c := testCase{plugin: name, name: "smoke " + res.Smoke.Name}
		if res.Smoke.Error != "" {
			c.failure = res.Smoke.Name + " " + res.Smoke.Error
		}
		cases = append(cases, c)
	}
	return cases
}

// died describes a child that ended without reporting: os.Exit, a panic in
// an init function, or a crash.
func died(err error, stderr string) string {
	msg := firstLine(stderr, "panic: ", "fatal error: ", "SIGSEGV", "signal ")
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 2 && strings.Contains(stderr, "panic: "):
		return "panicked while opening (in an init function): " + msg
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		detail := ""
		if msg != "" {
			detail = ": " + msg
		}
		return fmt.Sprintf("the process exited with status %d while opening (os.Exit or a fatal error in an init function)%s", exit.ExitCode(), detail)
	case err != nil:
		return fmt.Sprintf("crashed while opening: %v %s", err, msg)
	}
	return "the child reported nothing: " + strings.TrimSpace(stderr)
}

// firstLine returns the first line of text that starts with one of the
// prefixes, or else the last non-empty line.
func firstLine(text string, prefixes ...string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	for _, l := range lines {
		for _, p := range prefixes {
			if strings.HasPrefix(strings.TrimSpace(l), p) {
				return strings.TrimSpace(l)
			}
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// staticFindings explains an open failure with the static check's result.
func staticFindings(r plugincheck.Result) string {
	if len(r.Mismatches) == 0 && r.SamePluginPath == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("; the static check against the host says:")
	if r.SamePluginPath != "" {
		fmt.Fprintf(&b, " %s has the same pluginpath;", r.SamePluginPath)
	}
	if n := len(r.Mismatches); n > 0 {
		var pkgs []string
		for _, m := range r.Mismatches {
			pkgs = append(pkgs, fmt.Sprintf("%s (host %s, plugin %s)", m.Package, m.Loaded, m.Plugin))
		}
		fmt.Fprintf(&b, " %d package(s) differ: %s", n, strings.Join(pkgs, ", "))
	}
	for _, c := range r.Causes {
		b.WriteString("; likely cause: " + c)
	}
	return b.String()
}
