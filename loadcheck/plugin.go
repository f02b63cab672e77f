package loadcheck

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// checkPlugin opens one plugin in a child process and turns what happened
// into test cases: open, then one per symbol, then the smoke call. What the
// child wrote to stdout and stderr (the plugin's own output, or a panic) goes
// with the first case.
func checkPlugin(spec Spec, exe, path string, static plugincheck.Result, srcs []source) []testCase {
	name := shortName(path)
	start := time.Now()
	run, err := runChildProcess(exe, path, spec)
	elapsed := time.Since(start)
	open := testCase{plugin: name, name: "open", elapsed: elapsed}
	if err != nil {
		open.failure = "could not start the child process: " + err.Error()
		return []testCase{open}
	}
	cases := judge(spec, name, run, static, srcs)
	cases[0].elapsed, cases[0].output = elapsed, childOutput(run)
	return cases
}

// judge reads the child's report: a stage the child did not report did not
// happen, whatever the exit status, and every symbol asked for must be in it.
func judge(spec Spec, name string, run *childRun, static plugincheck.Result, srcs []source) []testCase {
	cases := judgeStages(spec, name, run, static, srcs)
	if run.stray > 0 {
		cases[0].failure = joinFailures(cases[0].failure, fmt.Sprintf("%d line(s) on the report pipe were not the checker's: the plugin wrote to file descriptor %d", run.stray, reportFD))
	}
	return cases
}

func judgeStages(spec Spec, name string, run *childRun, static plugincheck.Result, srcs []source) []testCase {
	open := testCase{plugin: name, name: "open"}
	opened, hasOpen := run.messages[stageOpen]
	_, done := run.messages[stageDone]
	switch {
	case !hasOpen && run.stopped:
		open.failure = stoppedFailure(spec)
	case !hasOpen && run.timedOut:
		open.failure = fmt.Sprintf("hung: no result within %v (killed); a plugin's init must return", spec.Timeout)
	case !hasOpen:
		open.failure = died(run, "while opening (in an init function)", false)
	case opened.OpenError != "":
		open.failure = "plugin.Open failed: " + opened.OpenError + staticFindings(static)
	case len(static.Mismatches) > 0 || static.SamePluginPath != "":
		// The child is the host, so the two must agree; a plugin the
		// files say the host refuses does not pass.
		open.failure = "the child opened it, but the static check against the host refuses it" + staticFindings(static)
	case len(static.Interposed) > 0:
		// It loads, and its symbols may even pass, but its own C code
		// is not what runs: the host's definitions took its place.
		open.failure = "it opens, but the static check against the host finds C symbols that the plugin defines and the host (or a plugin opened before) defines too: the plugin would silently use the other definitions" + staticFindings(static)
	}
	if open.failure != "" {
		return []testCase{open}
	}
	cases := []testCase{open}
	got := map[string]symbolCheck{}
	for _, s := range opened.Symbols {
		got[s.Name] = s
	}
	allOK := true
	for _, want := range spec.Symbols {
		c := testCase{plugin: name, name: "symbol " + want.Name}
		s, ok := got[want.Name]
		switch {
		case !ok:
			c.failure = "the child's report has no result for this symbol"
		case s.Missing && want.Optional:
			c.skipped = "optional, not exported"
		case s.Missing:
			c.failure = fmt.Sprintf("not found: the plugin exports no symbol %s (want %s)", want.Name, want.Want)
			if why := explainMissing(srcs, want.Name); why != "" {
				c.failure += ": " + why
			}
		case s.Found != "":
			c.failure = fmt.Sprintf("wrong type: want %s, found %s", want.Want, s.Found)
		}
		allOK = allOK && c.failure == ""
		cases = append(cases, c)
	}
	if len(opened.Symbols) != len(spec.Symbols) {
		cases[0].failure = fmt.Sprintf("the child reported %d symbol results for %d symbols", len(opened.Symbols), len(spec.Symbols))
	}
	if spec.Smoke != "" && allOK {
		c := testCase{plugin: name, name: "smoke " + spec.Smoke}
		sm, ok := run.messages[stageSmoke]
		switch {
		case !ok && run.stopped:
			c.failure = stoppedFailure(spec)
		case !ok && run.timedOut:
			c.failure = fmt.Sprintf("hung: %s did not return within %v (killed)", spec.Smoke, spec.Timeout)
		case !ok:
			c.failure = died(run, "in "+spec.Smoke, false)
		case sm.Smoke == nil || sm.Smoke.Name != spec.Smoke:
			c.failure = "the child's report has no result for " + spec.Smoke
		case sm.Smoke.Error != "":
			c.failure = spec.Smoke + " " + sm.Smoke.Error
		}
		cases = append(cases, c)
	}
	// Everything was reported, but the process did not end as the engine
	// ends it: a goroutine the plugin started crashed or exited (within
	// the settle time), or the check hung on the way out.
	last := &cases[len(cases)-1]
	switch {
	case last.failure != "":
	case !done && run.stopped:
		last.failure = stoppedFailure(spec)
	case !done && run.timedOut:
		last.failure = fmt.Sprintf("hung after the checks: the process did not exit within %v (killed)", spec.Timeout)
	case !done || run.exitCode() != exitReported:
		last.failure = died(run, "after the checks (a goroutine of the plugin?), within the settle time", true)
	}
	return cases
}

func stoppedFailure(spec Spec) string {
	return fmt.Sprintf("stopped, not hung: the process was stopped by a signal (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU: the plugin stopped its process or process group) and was killed after %v", spec.Timeout)
}

func joinFailures(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// died describes a child that stopped reporting, or did not end with the
// engine's own exit status: os.Exit, a panic, a crash, a lost report. late:
// every check had reported, so only the settle time was left.
func died(run *childRun, when string, late bool) string {
	stderr := run.stderr.String()
	msg := firstLine(stderr, "panic: ", "fatal error: ", "SIGSEGV", "signal ")
	detail := ""
	if msg != "" {
		detail = ": " + msg
	}
	_, done := run.messages[stageDone]
	code := run.exitCode()
	switch {
	case code == exitReported && !done:
		return fmt.Sprintf("the checker ran to its end, but its report %s did not arrive: the plugin replaced file descriptor %d, the report pipe (dup2 onto it?)", when, reportFD)
	case code == exitNoReport:
		return fmt.Sprintf("the checker could not write its report %s: the plugin closed or replaced file descriptor %d, the report pipe%s", when, reportFD, detail)
	case code == 2 && strings.Contains(stderr, "panic: "):
		return "panicked " + when + ": " + msg
	case code == 0 && late:
		return fmt.Sprintf("the process exited with status 0 %s: the plugin ended the process (os.Exit(0) or syscall.Exit(0))", when)
	case code == 0:
		return fmt.Sprintf("the process exited with status 0 %s, before reporting: the plugin called os.Exit(0)", when)
	case code > 0 && late:
		return fmt.Sprintf("the process exited with status %d %s (os.Exit, or a fatal error)%s", code, when, detail)
	case code > 0:
		return fmt.Sprintf("the process exited with status %d %s, before reporting (os.Exit, or a fatal error)%s", code, when, detail)
	}
	return fmt.Sprintf("crashed %s: %v %s", when, run.err, msg)
}

// firstLine returns the first line of text that starts with one of the
// prefixes, or else the last non-empty line.
func firstLine(text string, prefixes ...string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
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
	if len(r.Mismatches) == 0 && r.SamePluginPath == "" && len(r.Interposed) == 0 {
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
			if m.LoadedFrom != "" {
				// The host opens its plugins in order; an earlier one
				// brought this package, which the host does not link.
				pkgs = append(pkgs, fmt.Sprintf("%s (%s loaded first by %s, which the host opens before this one; plugin %s)", m.Package, m.Loaded, filepath.Base(m.LoadedFrom), m.Plugin))
				continue
			}
			pkgs = append(pkgs, fmt.Sprintf("%s (host %s, plugin %s)", m.Package, m.Loaded, m.Plugin))
		}
		fmt.Fprintf(&b, " %d package(s) differ: %s", n, strings.Join(pkgs, ", "))
	}
	for _, c := range r.Causes {
		b.WriteString("; likely cause: " + c)
	}
	for _, line := range r.InterposedText() {
		b.WriteString("; " + line)
	}
	return b.String()
}
