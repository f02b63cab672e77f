package integration

import (
	"strings"
	"testing"
)

// A Bazel 4.2.3 log of a --keep_going build with an analysis error and a
// failed action, as TestGoPluginSuite reports them per case.
const keepGoingLog = `INFO: Invocation ID: 2959b381-b97d-4670-aa3e-57cb3f290bde
ERROR: /ws/BUILD.bazel:455:10: in go_plugin rule //:mangle: 
Traceback (most recent call last):
	File "/root/external/rules_go_plugin/go_plugin/private/rules/library.bzl", line 42, column 17, in x_defs_of
		fail("%s: x_defs key %r names no variable; write \"Name\" or \"importpath.Name\"." % (ctx.label, k))
Error in fail: //:mangle: x_defs key "x." names no variable; write "Name" or "importpath.Name".
ERROR: /ws/BUILD.bazel:455:10: Analysis of target '//:mangle' failed
INFO: Analyzed 59 targets (0 packages loaded, 0 targets configured).
INFO: Found 58 targets...
ERROR: /ws/BUILD.bazel:422:10: Compiling Go package plugin/issue52937 (dynlink) for //:issue52937 failed: (Exit 1): builder failed: error executing command bazel-out/k8-opt-exec-2B5CBBC6/bin/external/rules_go_plugin/go_plugin/private/builder compile -label //:issue52937 ... (remaining 13 argument(s) skipped)

Use --sandbox_debug to see verbose messages from the sandbox
//:issue52937: no Go files left after build constraints (GOOS, GOARCH, tags, cgo) excluded unnamed1/main.go
INFO: Elapsed time: 9.674s, Critical Path: 4.71s
FAILED: Build did NOT complete successfully
`

func TestSuiteBuildErrors(t *testing.T) {
	b := &suiteBuild{log: keepGoingLog}
	for target, want := range map[string]string{
		"mangle":      `//:mangle: x_defs key "x." names no variable; write "Name" or "importpath.Name".`,
		"issue52937":  "//:issue52937: no Go files left after build constraints (GOOS, GOARCH, tags, cgo) excluded unnamed1/main.go",
		"issue.22295": `//:mangle: x_defs key "x." names no variable; write "Name" or "importpath.Name".`, // mentioned nowhere: every error, the first one's gist
	} {
		gist, blocks := b.errorsAbout(target)
		if gist != want {
			t.Errorf("gist of %s = %q, want %q", target, gist, want)
		}
		if strings.Contains(blocks, "INFO: ") || strings.Contains(blocks, "FAILED: ") {
			t.Errorf("errors about %s take in other messages:\n%s", target, blocks)
		}
	}
	if _, blocks := b.errorsAbout("mangle"); strings.Contains(blocks, "issue52937") {
		t.Errorf("errors about mangle include issue52937's:\n%s", blocks)
	}
}
