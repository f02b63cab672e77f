package loadcheck

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/loader"
	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// Main runs the check and returns the exit status: 0 when every plugin
// passes. The generated main function of a go_plugin_test calls it.
func Main(spec Spec) int {
	if spec.Timeout <= 0 {
		spec.Timeout = 10 * time.Second
	}
	log := &streamLog{w: os.Stdout}
	stop := log.watchSignals()
	defer stop()
	cases, err := run(spec, log)
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_plugin_test:", err)
		return 1
	}
	failed := log.summary(cases)
	if xmlPath := os.Getenv("XML_OUTPUT_FILE"); xmlPath != "" {
		if err := writeXML(xmlPath, os.Getenv("TEST_TARGET"), cases); err != nil {
			fmt.Fprintln(os.Stderr, "go_plugin_test: writing test XML:", err)
			return 1
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// testCase is one line of the report and one <testcase> of the XML.
type testCase struct {
	plugin  string // short name of the plugin file
	name    string // "open", "symbol New", "smoke SelfTest"
	failure string // empty when it passed
	skipped string // a reason, for an optional symbol that is absent
	elapsed time.Duration
	output  string // what the child printed, on the first case of a plugin
}

func run(spec Spec, log *streamLog) ([]testCase, error) {
	paths, err := loader.Paths()
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 { // a test of nothing must not pass
		return nil, fmt.Errorf("no plugin to check: the test's plugins attribute is empty and %s names none", loader.EnvPaths)
	}
	hostPath, err := loader.Runfile(hostRlocation)
	if err != nil {
		return nil, fmt.Errorf("the host: %w", err)
	}
	child, err := loader.Runfile(childRlocation)
	if err != nil {
		return nil, fmt.Errorf("the child (the host's copy that opens the plugins): %w", err)
	}
	if err := sameAsHost(hostPath, child); err != nil {
		return nil, err
	}
	static, err := staticCheck(hostPath, paths)
	if err != nil {
		return nil, err
	}
	return checkAll(spec, child, paths, static, log), nil
}

// checkAll checks each plugin in turn and writes its lines to the log as
// soon as it is done, so that a test killed midway leaves a log of what it
// checked.
func checkAll(spec Spec, exe string, paths []string, static []staticVerdict, log *streamLog) []testCase {
	var cases []testCase
	for i, path := range paths {
		log.checking(shortName(path), i, len(paths))
		var pc []testCase
		if static[i].err != nil {
			// Not opened: loader.Open refuses it too, and dlopen of a
			// damaged file can do anything.
			pc = []testCase{{plugin: shortName(path), name: "open", failure: "the static check refuses the file, so it was not opened: " + static[i].err.Error()}}
		} else {
			pc = checkPlugin(spec, exe, path, static[i].result, pluginSources(spec, i))
		}
		log.cases(pc)
		cases = append(cases, pc...)
	}
	return cases
}

// pluginSources resolves the Go files of the i-th plugin, when the plugins
// are the ones the rule listed (not GO_PLUGIN_PATHS).
func pluginSources(spec Spec, i int) []source {
	if _, set := os.LookupEnv(loader.EnvPaths); set || i >= len(spec.Sources) {
		return nil
	}
	var srcs []source
	for _, rloc := range spec.Sources[i] {
		if p, err := loader.Runfile(rloc); err == nil {
			_, name, _ := strings.Cut(rloc, "/") // the path in its workspace
			srcs = append(srcs, source{path: p, name: name})
		}
	}
	return srcs
}

// sameAsHost refuses a child whose packages are not the host's, by the
// package hashes both files carry: the promise is that what the test opens,
// the host opens.
func sameAsHost(hostPath, childPath string) error {
	host, err := plugincheck.Read(hostPath)
	if err != nil {
		return err
	}
	child, err := plugincheck.Read(childPath)
	if err != nil {
		return err
	}
	var diff []string
	for pkg, h := range child.Hashes {
		switch hh, ok := host.Hashes[pkg]; {
		case pkg == "main": // the one package a plugin cannot share
		case !ok:
			diff = append(diff, pkg+" (only in the child)")
		case hh != h:
			diff = append(diff, pkg+" (another hash)")
		}
	}
	for pkg := range host.Hashes {
		if _, ok := child.Hashes[pkg]; !ok && pkg != "main" {
			diff = append(diff, pkg+" (only in the host)")
		}
	}
	if len(diff) > 0 {
		sort.Strings(diff)
		return fmt.Errorf("the child that opens the plugins does not link the host's packages, so the test would not say what the host does (a bug of go_plugin_test; please report it): %s", strings.Join(diff, ", "))
	}
	return nil
}

// staticVerdict is the static check's word on one plugin: the file cannot
// be read as a sound plugin (err), or what plugin.Open would decide.
type staticVerdict struct {
	err    error
	result plugincheck.Result
}

// staticCheck reads the host and plugins and replays plugin.Open's checks,
// to explain an open failure by the packages that differ.
func staticCheck(hostPath string, paths []string) ([]staticVerdict, error) {
	host, err := plugincheck.Read(hostPath)
	if err != nil {
		return nil, err
	}
	verdicts := make([]staticVerdict, len(paths))
	var plugins []*plugincheck.Binary
	var index []int
	for i, p := range paths {
		b, err := plugincheck.Read(p)
		if err == nil && b.Kind != plugincheck.Plugin {
			err = fmt.Errorf("%s is an executable, not a plugin", p)
		}
		if err != nil {
			verdicts[i].err = err
			continue
		}
		plugins = append(plugins, b)
		index = append(index, i)
	}
	for j, r := range plugincheck.Check(host, plugins).Plugins {
		for k, m := range r.Mismatches {
			if m.LoadedFrom == host.Path {
				r.Mismatches[k].LoadedFrom = "" // staticFindings says "host"
			}
		}
		verdicts[index[j]].result = r
	}
	return verdicts, nil
}

func shortName(path string) string { return filepath.Base(path) }

// writeLog prints one line per case and the count, and returns the number
// of failures.
func writeLog(w io.Writer, cases []testCase) int {
	writeCases(w, cases)
	return writeCount(w, cases)
}

// writeCases prints one line per case, with the child's output.
func writeCases(w io.Writer, cases []testCase) {
	for _, c := range cases {
		switch {
		case c.failure != "":
			fmt.Fprintf(w, "FAIL  %s: %s: %s\n", c.plugin, c.name, c.failure)
		case c.skipped != "":
			fmt.Fprintf(w, "SKIP  %s: %s: %s\n", c.plugin, c.name, c.skipped)
		default:
			fmt.Fprintf(w, "PASS  %s: %s\n", c.plugin, c.name)
		}
		if c.output != "" {
			fmt.Fprint(w, indent(c.output, "      "))
		}
	}
}

// writeCount prints the closing count and returns the number of failures.
func writeCount(w io.Writer, cases []testCase) int {
	passed, failed, skipped := 0, 0, 0
	for _, c := range cases {
		switch {
		case c.failure != "":
			failed++
		case c.skipped != "":
			skipped++
		default:
			passed++
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	return failed
}
