package loadcheck

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// testSpec is what the tests check: the test binary is the parent, and the
// child (testExe) is a small host with the template's file, checking Greet.
var testSpec = Spec{
	Symbols: []Symbol{{Name: "Greet", Want: "func(string) string"}},
	Smoke:   "SelfTest",
	Timeout: 20 * time.Second,
	Settle:  300 * time.Millisecond,
}

// parentEnv makes the test binary a checker of the plugins it lists (":"),
// as a go_plugin_test is, for tests that signal the checker itself;
// childExeEnv names the child.
const (
	parentEnv   = "LOADCHECK_TEST_PARENT"
	childExeEnv = "LOADCHECK_TEST_CHILD"
)

func TestMain(m *testing.M) {
	if paths := os.Getenv(parentEnv); paths != "" {
		exe := os.Getenv(childExeEnv)
		log := &streamLog{w: os.Stdout}
		stop := log.watchSignals()
		ps := strings.Split(paths, ":")
		log.summary(checkAll(testSpec, exe, ps, make([]staticVerdict, len(ps)), log))
		stop()
		os.Exit(0)
	}
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

const greet = "\n// Greet is what the checker looks up.\nfunc Greet(name string) string { return name }\n"

// The test plugins: each misbehaves in one way a real plugin might.
var testPlugins = map[string]string{
	// Exports Greet as a variable of another type: the child names it.
	"wrongtype": `package main

// Greet is not a function.
var Greet = "hello"
`,
	// Prints in init and in its smoke function, and loads fine.
	"chatty": `package main

import "fmt"

func init() { fmt.Println("chatty: hello from init") }

// SelfTest prints, and passes.
func SelfTest() error { fmt.Println("chatty: self test"); return nil }
` + greet,
	// Logs one JSON line to stdout, as slog does, then exits 0 in init:
	// it never loaded, and must not pass.
	"jsonexit": `package main

import (
	"log/slog"
	"os"
)

func init() {
	slog.New(slog.NewJSONHandler(os.Stdout, nil)).Info("starting", "stage", "done")
	os.Exit(0)
}
` + greet,
	// Writes a forged report to the report pipe and exits 0.
	"forger": `package main

import "os"

func init() {
	f := os.NewFile(3, "report")
	f.WriteString("{\"nonce\":\"guess\",\"stage\":\"open\",\"symbols\":[{\"name\":\"Greet\"}]}\n{\"nonce\":\"guess\",\"stage\":\"done\"}\n")
	os.Exit(0)
}
` + greet,
	// Starts a process that inherits stdout, then hangs: the timeout must
	// kill both, on time.
	"spawner": `package main

import (
	"os"
	"os/exec"
	"strconv"
)

func init() {
	cmd := exec.Command("/bin/sh", "-c", "sleep 300")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	os.WriteFile(os.Getenv("SPAWNER_PIDFILE"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	select {}
}
` + greet,
	// Ends the process 20 ms after init returned, from a goroutine: after
	// the checks reported, within the settle time.
	"lateexit": `package main

import (
	"syscall"
	"time"
)

func init() {
	go func() {
		time.Sleep(20 * time.Millisecond)
		syscall.Exit(0)
	}()
}

// SelfTest passes.
func SelfTest() error { return nil }
` + greet,
	// Puts /dev/null over the report pipe: the checker's writes succeed
	// and go nowhere.
	"dup2": `package main

import (
	"os"
	"syscall"
)

func init() {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		panic(err)
	}
	if err := syscall.Dup3(int(f.Fd()), 3, 0); err != nil {
		panic(err)
	}
}
` + greet,
	// Stops its own process group, as a plugin that sends itself SIGTSTP
	// or SIGSTOP does.
	"stopper": `package main

import "syscall"

func init() { syscall.Kill(0, syscall.SIGSTOP) }
` + greet,
	// Starts a process in a session of its own, out of the child's process
	// group, and returns.
	"setsid": `package main

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

func init() {
	cmd := exec.Command("/bin/sleep", "300")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		panic(err)
	}
	os.WriteFile(os.Getenv("SETSID_PIDFILE"), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
}

// SelfTest passes.
func SelfTest() error { return nil }
` + greet,
	// Never returns from init.
	"hangs": "package main\n\nfunc init() { select {} }\n" + greet,
	// Its smoke function exits the process.
	"smokeexit": `package main

import "os"

// SelfTest exits.
func SelfTest() error { os.Exit(0); return nil }
` + greet,
}

var (
	buildOnce sync.Once
	builtDir  string
	buildErr  error
)

// testPlugin builds the test plugins (once) and returns the path of one.
// The go command builds them as it builds this test binary (no -trimpath),
// so they share its standard library.
func testPlugin(t *testing.T, name string) string {
	t.Helper()
	buildOnce.Do(func() {
		builtDir, buildErr = os.MkdirTemp("", "loadcheck_test")
		if buildErr != nil {
			return
		}
		src := filepath.Join(builtDir, "src")
		files := map[string]string{"go.mod": "module example.com/lc\n\ngo 1.26\n"}
		var pkgs []string
		for n, text := range testPlugins {
			files[n+"/p.go"] = text
			pkgs = append(pkgs, n)
		}
		for p, text := range files {
			os.MkdirAll(filepath.Join(src, filepath.Dir(p)), 0o755)
			if buildErr = os.WriteFile(filepath.Join(src, p), []byte(text), 0o644); buildErr != nil {
				return
			}
		}
		for _, pkg := range pkgs {
			cmd := exec.Command("go", "build", "-buildmode=plugin", "-o", filepath.Join(builtDir, pkg+".so"), "./"+pkg)
			cmd.Dir = src
			cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local")
			if out, err := cmd.CombinedOutput(); err != nil {
				buildErr = errors.New(err.Error() + "\n" + string(out))
				return
			}
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(builtDir, name+".so")
}

func check(t *testing.T, spec Spec, name string) []testCase {
	t.Helper()
	return checkPlugin(spec, testExe(t), testPlugin(t, name), plugincheck.Result{}, nil)
}

// childHost is the test's host: it imports only "plugin", as the smallest
// host may, so the template must build with nothing more.
const childHost = `package main

import _ "plugin"

func main() { println("the host's main ran") }
`

// greetEntry is the symbols table go_plugin_test would generate for Greet.
const greetEntry = "\t{name: \"Greet\", check: func(s _goPluginTestPlugin.Symbol) bool { _, ok := s.(func(string) string); return ok }},\n"

var (
	childOnce sync.Once
	childPath string
	childErr  error
)

// testExe builds the child (once): childHost plus the template, as
// go_plugin_test adds it to a host's main package, by the go command.
func testExe(t *testing.T) string {
	t.Helper()
	childOnce.Do(func() {
		tmpl, err := os.ReadFile("hostchild/child.go")
		if err != nil {
			childErr = err
			return
		}
		text := strings.Replace(string(tmpl), "//go:build ignore\n", "", 1)
		text = strings.Replace(text, "\t// go_plugin_test: symbols\n", greetEntry, 1)
		dir := filepath.Join(testPluginDir(t), "child")
		files := map[string]string{"go.mod": "module example.com/child\n\ngo 1.26\n", "main.go": childHost, "zz_go_plugin_test_child.go": text} // the go command refuses "~"
		os.MkdirAll(dir, 0o755)
		for n, text := range files {
			if childErr = os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); childErr != nil {
				return
			}
		}
		childPath = filepath.Join(dir, "child")
		cmd := exec.Command("go", "build", "-o", childPath, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOWORK=off", "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			childErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if childErr != nil {
		t.Fatal(childErr)
	}
	return childPath
}

// testPluginDir is where the test plugins (and the child) are built.
func testPluginDir(t *testing.T) string {
	testPlugin(t, "chatty")
	return builtDir
}

func plugincheckResult() plugincheck.Result { return plugincheck.Result{} }

// logOf renders cases as the test log does.
func logOf(cases []testCase) string {
	var b strings.Builder
	writeLog(&b, cases)
	return b.String()
}

func wantLog(t *testing.T, log string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(log, w) {
			t.Errorf("log lacks %q:\n%s", w, log)
		}
	}
}

// A plugin that prints in init and in its smoke function passes, and its
// output is in the report.
func TestPluginOutputIsKept(t *testing.T) {
	log := logOf(check(t, testSpec, "chatty"))
	wantLog(t, log,
		"PASS  chatty.so: open\n      stdout:\n        chatty: hello from init\n        chatty: self test\n",
		"PASS  chatty.so: symbol Greet\n",
		"PASS  chatty.so: smoke SelfTest\n",
		"3 passed, 0 failed, 0 skipped\n")
}

// A plugin that writes a line to stdout and exits 0 in init never loaded;
// one that forges a report on the report pipe is caught too.
func TestExitBeforeReportFails(t *testing.T) {
	log := logOf(check(t, testSpec, "jsonexit"))
	wantLog(t, log,
		"FAIL  jsonexit.so: open: the process exited with status 0 while opening (in an init function), before reporting: the plugin called os.Exit(0)\n",
		`"msg":"starting","stage":"done"`, // its output is shown
		"0 passed, 1 failed, 0 skipped\n")

	log = logOf(check(t, testSpec, "forger"))
	wantLog(t, log,
		"FAIL  forger.so: open: the process exited with status 0 while opening (in an init function), before reporting: the plugin called os.Exit(0); 2 line(s) on the report pipe were not the checker's: the plugin wrote to file descriptor 3\n",
		"0 passed, 1 failed, 0 skipped\n")
}

// A smoke function that exits fails the smoke case only.
func TestSmokeExit(t *testing.T) {
	log := logOf(check(t, testSpec, "smokeexit"))
	wantLog(t, log,
		"PASS  smokeexit.so: open\n",
		"PASS  smokeexit.so: symbol Greet\n",
		"FAIL  smokeexit.so: smoke SelfTest: the process exited with status 0 in SelfTest, before reporting: the plugin called os.Exit(0)\n")
}

// Every symbol asked for must be in the child's report: a report without
// one fails, whatever else it says.
func TestEverySymbolMustBeReported(t *testing.T) {
	spec := testSpec
	spec.Smoke = ""
	spec.Symbols = append(append([]Symbol{}, spec.Symbols...), Symbol{Name: "Version", Want: "*string"})
	run := &childRun{messages: map[string]message{
		stageOpen: {Stage: stageOpen, Symbols: []symbolCheck{{Name: "Greet"}}},
		stageDone: {Stage: stageDone},
	}, stdout: newCappedBuffer(10), stderr: newCappedBuffer(10)}
	log := logOf(judge(spec, "p.so", run, plugincheck.Result{}, nil))
	wantLog(t, log,
		"FAIL  p.so: open: the child reported 1 symbol results for 2 symbols\n",
		"FAIL  p.so: symbol Version: the child's report has no result for this symbol\n")
}

// When init starts a process that holds stdout and then hangs, the timeout
// kills the child and that process, and the check returns.
func TestTimeoutKillsProcessGroup(t *testing.T) {
	pidfile := filepath.Join(t.TempDir(), "pid")
	t.Setenv("SPAWNER_PIDFILE", pidfile)
	spec := testSpec
	spec.Timeout = 2 * time.Second
	exe, path := testExe(t), testPlugin(t, "spawner")
	done := make(chan []testCase)
	go func() { done <- checkPlugin(spec, exe, path, plugincheck.Result{}, nil) }()
	var cases []testCase
	select {
	case cases = <-done:
	case <-time.After(60 * time.Second): // the spawned sleep lasts 300 s
		t.Fatal("the check did not return: the timeout did not end the process that holds stdout")
	}
	wantLog(t, logOf(cases), "FAIL  spawner.so: open: hung: no result within 2s (killed); a plugin's init must return\n")
	data, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(data))
	if err := syscall.Kill(pid, 0); err == nil && !zombie(pid) {
		t.Errorf("the process the plugin started (pid %d) is still running", pid)
	}
}

// zombie reports whether pid has exited and waits to be reaped.
func zombie(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(after, "Z")
}

// A goroutine of the plugin that ends the process soon after init returned
// fails the check, though every stage was reported: the child ends only
// with the engine's own status, after the settle time.
func TestExitAfterReportFails(t *testing.T) {
	for range 3 { // it passed 9 runs of 10 when the child exited 0 at once
		log := logOf(check(t, testSpec, "lateexit"))
		wantLog(t, log,
			"PASS  lateexit.so: open\n",
			"FAIL  lateexit.so: smoke SelfTest: the process exited with status 0 after the checks (a goroutine of the plugin?), within the settle time: the plugin ended the process (os.Exit(0) or syscall.Exit(0))\n")
	}
}

// A report pipe the plugin replaced is named as such, not taken for an
// os.Exit(0).
func TestReportPipeReplaced(t *testing.T) {
	log := logOf(check(t, testSpec, "dup2"))
	wantLog(t, log, "FAIL  dup2.so: open: the checker ran to its end, but its report while opening (in an init function) did not arrive: the plugin replaced file descriptor 3, the report pipe (dup2 onto it?)\n")
	if strings.Contains(log, "os.Exit(0)") {
		t.Errorf("blames os.Exit(0):\n%s", log)
	}
}

// A plugin that stops its process group is reported as stopped, not as an
// init that does not return.
func TestStoppedChild(t *testing.T) {
	spec := testSpec
	spec.Timeout = time.Second
	log := logOf(check(t, spec, "stopper"))
	wantLog(t, log, "FAIL  stopper.so: open: stopped, not hung: the process was stopped by a signal (SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU: the plugin stopped its process or process group) and was killed after 1s\n")
}

// A process the plugin started with setsid, outside the child's process
// group, is named in the report and does not outlive the check.
func TestSetsidProcessNoted(t *testing.T) {
	pidfile := filepath.Join(t.TempDir(), "pid")
	t.Setenv("SETSID_PIDFILE", pidfile)
	log := logOf(check(t, testSpec, "setsid"))
	data, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(data))
	wantLog(t, log, "PASS  setsid.so: open\n", "note: process "+string(data)+" (sleep), which the plugin started outside the child's process group (setsid, or a daemon), was still running after the check; it was killed\n")
	if err := syscall.Kill(pid, 0); err == nil && !zombie(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the process the plugin started with setsid (pid %d) outlived the check", pid)
	}
}

// A checker terminated midway (Bazel's test timeout sends SIGTERM) leaves
// a log: the plugins checked so far, and the one it was checking.
func TestTerminatedCheckerLeavesLog(t *testing.T) {
	chatty, hangs := testPlugin(t, "chatty"), testPlugin(t, "hangs")
	parent, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(parent)
	cmd.Env = append(os.Environ(), parentEnv+"="+chatty+":"+hangs, childExeEnv+"="+testExe(t))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	buf := make([]byte, 4096)
	for !strings.Contains(out.String(), "PASS  chatty.so: smoke SelfTest\n") {
		n, err := stdout.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("the checker ended before checking chatty.so: %v\n%s", err, out.String())
		}
	}
	time.Sleep(500 * time.Millisecond) // hangs.so's child is running
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(stdout)
	out.Write(rest)
	cmd.Wait()
	if time.Since(start) > 5*time.Second {
		t.Errorf("the checker took %v to end after SIGTERM", time.Since(start))
	}
	wantLog(t, out.String(),
		"PASS  chatty.so: open\n",
		"FAIL  hangs.so: open: the test was terminated (SIGTERM: Bazel's test timeout, or an interrupt) while checking this plugin, 2 of 2; its processes were killed\n",
		"go_plugin_test: terminated by SIGTERM before every plugin was checked\n")
}

// A symbol of another type is reported with its dynamic type, which the
// child reads from the runtime (it has no fmt).
func TestWrongTypeNamed(t *testing.T) {
	spec := testSpec
	spec.Smoke = ""
	log := logOf(check(t, spec, "wrongtype"))
	wantLog(t, log, "FAIL  wrongtype.so: symbol Greet: wrong type: want func(string) string, found *string\n")
}

// The child is the host, so it and the static check must agree: a plugin
// the child opened but the static check refuses fails.
func TestStaticMismatchFailsOpenedPlugin(t *testing.T) {
	run := &childRun{messages: map[string]message{
		stageOpen: {Stage: stageOpen, Symbols: []symbolCheck{{Name: "Greet"}}},
		stageDone: {Stage: stageDone},
	}, stdout: newCappedBuffer(10), stderr: newCappedBuffer(10)}
	run.err = exitErr(t, exitReported)
	static := plugincheck.Result{Mismatches: []plugincheck.Mismatch{{Package: "text/template", Loaded: "aaaa", Plugin: "bbbb"}}}
	spec := testSpec
	spec.Smoke = ""
	log := logOf(judge(spec, "p.so", run, static, nil))
	wantLog(t, log, "FAIL  p.so: open: the child opened it, but the static check against the host refuses it; the static check against the host says: 1 package(s) differ: text/template (host aaaa, plugin bbbb)\n")
}

// exitErr is the error Wait returns for a process that exited with code.
func exitErr(t *testing.T, code int) error {
	t.Helper()
	err := exec.Command("/bin/sh", "-c", "exit "+strconv.Itoa(code)).Run()
	if err == nil {
		t.Fatal("sh exited 0")
	}
	return err
}

// A plugin whose C symbols the host defines too opens, and its symbols
// pass, but it does not run its own C code: the static check finds it, and
// the test fails (the fixtures chost and cplug.so, see pluginfixtures).
func TestInterposedCFailsOpenedPlugin(t *testing.T) {
	host, plug := pluginfixtures.MustPath(t, "chost"), pluginfixtures.MustPath(t, "cplug.so")
	verdicts, err := staticCheck(host, []string{plug, pluginfixtures.MustPath(t, "cstatic.so")})
	if err != nil {
		t.Fatal(err)
	}
	if verdicts[0].err != nil || len(verdicts[0].result.Interposed) != 2 || len(verdicts[1].result.Interposed) != 0 {
		t.Fatalf("verdicts: %+v", verdicts)
	}
	run := &childRun{messages: map[string]message{
		stageOpen: {Stage: stageOpen, Symbols: []symbolCheck{{Name: "Greet"}}},
		stageDone: {Stage: stageDone},
	}, stdout: newCappedBuffer(10), stderr: newCappedBuffer(10)}
	run.err = exitErr(t, exitReported)
	spec := testSpec
	spec.Smoke = ""
	log := logOf(judge(spec, "cplug.so", run, verdicts[0].result, nil))
	for _, want := range []string{
		"FAIL  cplug.so: open: it opens, but the static check against the host finds C symbols that the plugin defines and the host (or a plugin opened before) defines too",
		"C function shared_c_fn is defined by both " + plug + " and " + host,
		"fix: make the plugin's C definition static",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	if log := logOf(judge(spec, "cstatic.so", run, verdicts[1].result, nil)); strings.Contains(log, "FAIL") {
		t.Errorf("cstatic.so: %s", log)
	}
}
