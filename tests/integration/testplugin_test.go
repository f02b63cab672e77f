package integration

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// The Go distribution's own plugin tests (cmd/cgo/internal/testplugin of the
// SDK in use), with every host and plugin built by the rules from
// tests/testplugin/BUILD.bazel, run as plugin_test.go runs them.
//
// The suite's sources come from the SDK, so the test follows Go versions: a
// test function of plugin_test.go that suiteCases does not know fails it.
// Everything is built in one Bazel invocation (--keep_going: a target that
// fails fails its cases, not the others); TestIssue75102's plugin, which
// needs other compiler flags, in a second one. The log ends with how many
// cases pass and why each other one does not.
func TestGoPluginSuite(t *testing.T) {
	suite := filepath.Join(goEnv(t, "GOROOT"), "src", "cmd", "cgo", "internal", "testplugin")
	files := map[string]string{"go.mod": "module testplugin\n"}
	copyInto(t, files, filepath.Join(suite, "testdata"), "")
	copyInto(t, files, filepath.Join(suite, "altpath", "testdata"), "altpath")
	copyOwnBuildFiles(t, files, filepath.Join(repoRoot, "tests", "testplugin"), filepath.Join(suite, "testdata"))
	tests := suiteTests(t, filepath.Join(suite, "plugin_test.go"))

	w := newNamedWorkspace(t, "TestGoPluginSuite", files)
	scratch := filepath.Join(baseDir, "testplugin")
	if err := os.RemoveAll(scratch); err != nil {
		t.Fatal(err)
	}
	settings := suiteSettings(t, w)
	builds := []*suiteBuild{
		w.buildSuite(t, filepath.Join(scratch, "build.bep.json"), slices.Concat(settings, []string{"--keep_going", "//..."})...),
	}
	// The files of the first build. (The second, with other gcflags, writes to
	// an output directory of its own: it replaces none of them.)
	dirs := map[string]*caseDir{}
	for _, c := range suiteCases {
		if tests[c.name] && c.skip == nil {
			dirs[c.name] = layOut(t, w, builds[0], c, filepath.Join(scratch, c.name))
		}
	}
	other := w.buildSuite(t, filepath.Join(scratch, "gcflags.bep.json"), slices.Concat(settings, []string{otherGcflags.flag, "//:" + otherGcflags.target})...)
	builds = append(builds, other)
	if d := dirs["TestIssue75102"]; d != nil {
		d.take(t, w, other, otherGcflags.file, otherGcflags.target)
	}

	var summary []string
	passed := 0
	for _, c := range suiteCases {
		var verdict string
		t.Run(c.name, func(t *testing.T) { runCase(t, c, tests[c.name], dirs[c.name], &verdict) })
		if verdict == "PASS" {
			passed++
		}
		summary = append(summary, c.name+": "+verdict)
	}
	t.Logf("Go plugin test suite (%s), built by rules_go_plugin: %d of %d cases pass\n%s\n%s",
		suite, passed, len(suiteCases), strings.Join(summary, "\n"), buildSummary(builds))
}

// suiteSettings are the settings of both invocations.
//
// plugin_test.go builds without -trimpath, and TestRunHost depends on it:
// plugin-mismatch.so's testplugin/common differs from the host's only in an
// init function, which is not in the package's export data, so only its
// source path (altpath/...) tells the two apart. With -trimpath (the rules'
// default, or `go build -trimpath`) both hash alike and plugin-mismatch.so
// loads.
//
// std_packages, from cmd/stdpackages on the workspace, changes no hash; it
// is a hint that compiles the suite's std packages once for the build, in
// each of the three variants no other test shares (normal and dynlink
// without -trimpath, and dynlink with -N -l), instead of in the std delta of
// each target that imports one.
func suiteSettings(t *testing.T, w *workspace) []string {
	cmd := exec.Command("go", "run", "./cmd/stdpackages", w.dir)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go run ./cmd/stdpackages %s: %v", w.dir, err)
	}
	return []string{"--@rules_go_plugin//go_plugin:trimpath=false", strings.TrimSpace(string(out))}
}

// runCase runs one case and sets its verdict for the summary: PASS, SKIP or
// FAIL with the reason.
func runCase(t *testing.T, c suiteCase, inSuite bool, d *caseDir, verdict *string) {
	switch {
	case !inSuite:
		*verdict = "SKIP: not in this SDK's plugin_test.go"
		t.Skipf("this SDK's plugin_test.go has no %s", c.name)
	case c.skip != nil:
		why := c.skip()
		*verdict = "SKIP: " + why
		t.Skip(why)
	}
	d.t = t
	err := d.problem
	if err == nil && c.run != nil {
		err = c.run(d)
	}
	if err != nil {
		*verdict = "FAIL: " + reason(err)
		t.Error(err)
		return
	}
	*verdict = "PASS"
}

// reason is the gist of a case's error for the summary: its first line and
// the first line of the build or program output that says what went wrong.
func reason(err error) string {
	lines := strings.Split(err.Error(), "\n")
	gist := lines[0]
	for _, l := range lines[1:] {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(gist, "//:") { // build errors have their gist
			gist += " | " + l
			break
		}
	}
	if len(gist) > 400 {
		gist = gist[:400] + "..."
	}
	return gist
}

// suiteTests lists the test functions of plugin_test.go, and fails the test
// for any that suiteCases does not know: a new Go version added a case.
func suiteTests(t *testing.T, path string) map[string]bool {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the SDK has no plugin test suite: %v", err)
	}
	tests := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`).FindAllStringSubmatch(string(data), -1) {
		tests[m[1]] = true
	}
	known := map[string]bool{}
	for _, c := range suiteCases {
		known[c.name] = true
	}
	for name := range tests {
		if !known[name] {
			t.Errorf("%s has %s, which this test does not run: add it to suiteCases and its targets to tests/testplugin/BUILD.bazel", path, name)
		}
	}
	return tests
}

// copyInto adds the files below dir to files, under prefix.
func copyInto(t *testing.T, files map[string]string, dir, prefix string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(filepath.Join(prefix, rel))] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// copyOwnBuildFiles copies tests/testplugin into the workspace root. A
// subdirectory named for a case directory of the suite (issue81303/) holds
// the BUILD file of a case a newer Go release added: it is copied only when
// this SDK's suite has that directory, so the same files serve every Go
// release the tests run on.
func copyOwnBuildFiles(t *testing.T, files map[string]string, own, testdata string) {
	t.Helper()
	entries, err := os.ReadDir(own)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			data, err := os.ReadFile(filepath.Join(own, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[e.Name()] = string(data)
			continue
		}
		_, err := os.Stat(filepath.Join(own, e.Name(), "BUILD.bazel"))
		_, inSuite := os.Stat(filepath.Join(testdata, e.Name()))
		if err == nil && inSuite != nil {
			continue // a case of another Go release
		}
		copyInto(t, files, filepath.Join(own, e.Name()), e.Name())
	}
}

func goEnv(t *testing.T, key string) string {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", key, err)
	}
	return strings.TrimSpace(string(out))
}

// suiteBuild is one Bazel invocation, which targets it built and where.
type suiteBuild struct {
	args []string
	ok   bool
	log  string
	*buildEvents
}

// buildSuite runs `bazel build` with args and reads from the Build Event
// Protocol which targets were built, and their files, so that stale files
// from an earlier run never count and files built with settings (in an
// output directory of their own, not bazel-bin) are found.
func (w *workspace) buildSuite(t *testing.T, bep string, args ...string) *suiteBuild {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(bep), 0o755); err != nil {
		t.Fatal(err)
	}
	b := &suiteBuild{args: args}
	b.log, b.ok = w.run("build", append([]string{"--build_event_json_file=" + bep}, args...)...)
	t.Logf("bazel build %s: succeeded=%v", strings.Join(args, " "), b.ok)
	ev, err := readBuildEvents(bep)
	if err != nil {
		t.Fatalf("bazel build %s wrote no build events (%v):\n%s", strings.Join(args, " "), err, b.log)
	}
	b.buildEvents = ev
	return b
}

// built returns the output of a target of tests/testplugin/BUILD.bazel, or
// why there is none: hosts are named *.exe and are <name>, plugins
// <name>/<name>.so.
func (b *suiteBuild) built(target string) (string, error) {
	// A target of the root package by name, or one of a case's own package
	// by label (//issue81303:issue81303p1).
	label := "//:" + target
	if strings.HasPrefix(target, "//") {
		label = target
		_, target, _ = strings.Cut(target, ":")
	}
	if !b.status[label] {
		gist, blocks := b.errorsAbout(target)
		return "", fmt.Errorf("%s was not built: %s\n(bazel build %s)\n%s", label, gist, strings.Join(b.args, " "), blocks)
	}
	if strings.HasSuffix(target, ".exe") {
		return b.file(label, target)
	}
	return b.file(label, target+"/"+target+".so")
}

var (
	errorStart = regexp.MustCompile(`(?m)^ERROR: `)
	// Bazel's next message after an error; a failed action's output comes
	// after its "Use --sandbox_debug" line.
	errorEnd = regexp.MustCompile(`(?m)^(INFO: |WARNING: |ERROR: |Target |FAILED: )`)
)

// errorsAbout returns the errors of the build log that mention target (all
// of them when none does: a loading error, say), and the gist of the first:
// a rule's fail() message, or a failed action's first line of output.
func (b *suiteBuild) errorsAbout(target string) (gist, blocks string) {
	var all, mine []string
	for _, at := range errorStart.FindAllStringIndex(b.log, -1) {
		block := b.log[at[0]:]
		if end := errorEnd.FindStringIndex(block[len("ERROR: "):]); end != nil {
			block = block[:len("ERROR: ")+end[0]]
		}
		block = strings.TrimSpace(block)
		all = append(all, block)
		if strings.Contains(block, "//:"+target+" ") || strings.Contains(block, "//:"+target+":") || strings.Contains(block, "/"+target+".so") {
			mine = append(mine, block)
		}
	}
	if len(mine) == 0 {
		mine = all
	}
	if len(mine) == 0 {
		return "no ERROR in the build log", "the log ends:\n" + lastLines(b.log, 30)
	}
	return errorGist(mine[0]), strings.Join(mine, "\n")
}

func errorGist(block string) string {
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		if msg, ok := strings.CutPrefix(strings.TrimSpace(l), "Error in fail: "); ok {
			return msg
		}
		if strings.HasPrefix(l, "Use --sandbox_debug") {
			for _, out := range lines[i+1:] {
				if out = strings.TrimSpace(out); out != "" {
					return out
				}
			}
		}
	}
	return lines[0]
}

// buildSummary says which targets each invocation failed to build.
func buildSummary(builds []*suiteBuild) string {
	var lines []string
	for _, b := range builds {
		var failed []string
		for label, ok := range b.status {
			if !ok {
				failed = append(failed, label)
			}
		}
		sort.Strings(failed)
		lines = append(lines, fmt.Sprintf("bazel build %s: %d targets, not built: %s", strings.Join(b.args, " "), len(b.status), orNone(failed)))
	}
	return strings.Join(lines, "\n")
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// caseDir is a case's directory, laid out as plugin_test.go lays out its
// module root for it: the files it opens and runs, under their names.
type caseDir struct {
	t       *testing.T
	dir     string
	suite   string // the workspace: the suite's sources
	problem error  // a file the case needs is missing or wrong
}

// layOut copies the case's files out of the output directory (copies, not links:
// plugin.Open resolves links, and plugin2-dup.so must be another file).
func layOut(t *testing.T, w *workspace, b *suiteBuild, c suiteCase, dir string) *caseDir {
	d := &caseDir{dir: dir, suite: w.dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(c.files))
	for name := range c.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d.take(t, w, b, name, c.files[name])
	}
	for _, name := range names {
		if d.problem == nil && strings.HasSuffix(name, ".so") {
			d.problem = checkPlugin(filepath.Join(dir, name), c.pluginpaths[name])
		}
	}
	return d
}

// take copies the output of target to name in the case's directory; a
// target that was not built becomes the case's problem.
func (d *caseDir) take(t *testing.T, w *workspace, b *suiteBuild, name, target string) {
	src, err := b.built(target)
	if err == nil {
		err = copyFile(src, filepath.Join(d.dir, name))
	}
	if err != nil && d.problem == nil {
		d.problem = err
	}
}

// checkPlugin checks that a file is a Go plugin, with the given pluginpath
// when one is given.
func checkPlugin(path, pluginpath string) error {
	b, err := plugincheck.Read(path)
	if err != nil {
		return err
	}
	if b.Kind != plugincheck.Plugin {
		return fmt.Errorf("%s is a %s, not a plugin", path, b.Kind)
	}
	if pluginpath != "" && b.PluginPath != pluginpath {
		return fmt.Errorf("%s has pluginpath %q; the go command writes %q", path, b.PluginPath, pluginpath)
	}
	return nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o755)
}

// runExe runs ./name in the case's directory, as plugin_test.go's run does:
// it must exit 0.
func (d *caseDir) runExe(name string, args ...string) error {
	_, err := d.exe(0, name, args...)
	return err
}

// runExeWithin is runExe with a deadline.
func (d *caseDir) runExeWithin(limit time.Duration, name string, args ...string) error {
	_, err := d.exe(limit, name, args...)
	return err
}

// exe runs ./name in the case's directory, with LD_LIBRARY_PATH there as
// plugin_test.go sets it, and returns its output. limit 0 means a generous
// default, so that a hang fails the case instead of the whole test.
func (d *caseDir) exe(limit time.Duration, name string, args ...string) (string, error) {
	if limit == 0 {
		limit = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "./"+name, args...)
	cmd.Dir = d.dir
	cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH="+d.dir)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("no exit within %v (killed)", limit)
	}
	if err != nil {
		return string(out), fmt.Errorf("(cd %s; ./%s %s): %v\n%s", d.dir, name, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// goCmd runs the go command in the case's directory.
func (d *caseDir) goCmd(args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = d.dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("(cd %s; go %s): %v\n%s", d.dir, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// goRun is `go run` of a file of the suite, in the case's directory.
func (d *caseDir) goRun(file string, args ...string) (string, error) {
	return d.goCmd(append([]string{"run", filepath.Join(d.suite, file)}, args...)...)
}

// plugincheck builds cmd/plugincheck of this checkout (`go run` would hide
// its exit status), runs it on files of the case's directory and returns its
// output and exit status.
func (d *caseDir) plugincheck(files ...string) (string, int) {
	exe := filepath.Join(d.dir, "plugincheck")
	build := exec.Command("go", "build", "-o", exe, "./cmd/plugincheck")
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Sprintf("go build ./cmd/plugincheck: %v\n%s", err, out), -1
	}
	cmd := exec.Command(exe, files...)
	cmd.Dir = d.dir
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	default:
		return fmt.Sprintf("%v\n%s", err, out), -1
	}
}

func (d *caseDir) logf(format string, args ...any) { d.t.Logf(format, args...) }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
