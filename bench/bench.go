package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// bench runs every row for one plugin count.
type bench struct {
	repo, dir string
	n, runs   int
	ws        string // the workload, a Go module and a Bazel workspace
	other     string // another program, to prime caches with std only
	goPrimed  string // a GOCACHE that has built the other program
	bzPrimed  string // a disk cache that has built the other program
	rows      []row
	extras    []extra
}

func newBench(repo, dir string, n, runs int) *bench {
	return &bench{repo: repo, dir: dir, n: n, runs: runs, ws: filepath.Join(dir, "ws"), other: filepath.Join(dir, "other"),
		goPrimed: filepath.Join(dir, "go-primed"), bzPrimed: filepath.Join(dir, "disk-primed")}
}

func (b *bench) run(quick bool) {
	fmt.Fprintf(os.Stderr, "== N=%d: writing the workload in %s\n", b.n, b.dir)
	for _, d := range []string{b.ws, b.other} {
		removeAll(d)
	}
	check(writeWorkload(b.ws, b.repo, b.n))
	check(writeWorkload(b.other, b.repo, 1))
	// Leave no Bazel server behind: the workspace's is the only one left
	// running by the rows (the others are shut down where they start).
	defer b.bazelIn(b.ws, "shutdown")
	// The other program differs from the workload (another module path for
	// its API), so a primed cache holds std and the ruleset, not the workload.
	check(os.WriteFile(filepath.Join(b.other, "api", "api.go"), []byte("// Package api differs.\npackage api\n\n// Request differs.\ntype Request struct{ Name string; Count int; Other bool }\n\n// Plugin differs.\ntype Plugin interface {\n\tName() string\n\tHandle(Request) (string, error)\n}\n"), 0o644))

	if !quick {
		fmt.Fprintln(os.Stderr, "   priming caches with another program")
		b.prime()
		// The cold rows mean a warm server with the SDK repository set up:
		// the first build of a workspace does both (the "first build" row).
		b.bazelIn(b.ws, "build", append([]string{"--nobuild"}, b.targets()...)...)
		b.measure("cold build, host + all plugins", b.goCold, b.bazelCold)
		b.measure("cold build, std already cached", b.goWarmStd, b.bazelWarmStd)
		b.measure("first build, new output base, empty go cache", b.goCold, b.bazelFirst)
		b.sharedCacheOtherPath()
	}
	// The incremental rows start from a build that is up to date (not timed).
	gocache := filepath.Join(b.dir, "gocache")
	b.goBuildAll(gocache)
	b.bazel("build", b.targets()...)
	b.measure("no-op rebuild", func(int) time.Duration { return b.goBuildAll(gocache) },
		func(int) time.Duration { return b.bazel("build", b.targets()...) })
	b.measure("edit one plugin, rebuild its .so", func(r int) time.Duration {
		b.goBuildAll(gocache)
		check(editPlugin(b.ws, 100+r))
		return b.goBuildPlugin(gocache)
	}, func(r int) time.Duration {
		b.bazel("build", b.targets()...)
		check(editPlugin(b.ws, 200+r))
		return b.bazel("build", "//plugins:p0")
	})
	b.measure("edit the API package, rebuild all", func(r int) time.Duration {
		b.goBuildAll(gocache)
		check(editAPI(b.ws, 300+r))
		return b.goBuildAll(gocache)
	}, func(r int) time.Duration {
		b.bazel("build", b.targets()...)
		check(editAPI(b.ws, 400+r))
		return b.bazel("build", b.targets()...)
	})
	// The two sides edit the same sources in turn, so each first catches up
	// with the other's edits (not timed) before its own edit.
	b.measure("edit one plugin to a passing load test", func(r int) time.Duration {
		b.goBuildAll(gocache)
		check(editPlugin(b.ws, 500+r))
		start := time.Now()
		b.goBuildPlugin(gocache)
		b.goRunHost()
		return time.Since(start)
	}, func(r int) time.Duration {
		b.bazel("test", "//host:plugins_test")
		check(editPlugin(b.ws, 600+r))
		return b.bazel("test", "//host:plugins_test")
	})
	b.sizes()
	b.staticCheckTime()
	if !quick {
		// Last: the setting changes the std action, so it rebuilds std.
		flag := b.stdPackagesFlag()
		b.measure("cold build, std_packages set (Bazel)", b.goCold, func(int) time.Duration {
			b.bazelIn(b.ws, "clean")
			return b.bazel("build", append([]string{flag}, b.targets()...)...)
		})
	}
}

// stdPackagesFlag asks cmd/stdpackages for the workload's std imports.
func (b *bench) stdPackagesFlag() string {
	cmd := exec.Command("go", "run", "./cmd/stdpackages", b.ws)
	cmd.Dir = b.repo
	return strings.TrimSpace(string(b.must(cmd.Output)))
}

// measure runs a row, alternating the go command and Bazel.
func (b *bench) measure(name string, goRun, bazelRun func(run int) time.Duration) {
	b.measureRuns(name, b.runs, goRun, bazelRun)
}

// measureRuns is measure with its own number of runs.
func (b *bench) measureRuns(name string, runs int, goRun, bazelRun func(run int) time.Duration) {
	r := row{N: b.n, Name: name}
	for i := 0; i < runs; i++ {
		r.Go = append(r.Go, seconds(goRun(i)))
		r.Bazel = append(r.Bazel, seconds(bazelRun(i)))
	}
	fmt.Fprintf(os.Stderr, "   %-40s go %s  bazel %s\n", name, spread(r.Go), spread(r.Bazel))
	b.rows = append(b.rows, r)
}

// --- the go command ---

func (b *bench) goEnv(gocache string) []string {
	return append(os.Environ(), "GOCACHE="+gocache, "GOFLAGS=-buildvcs=false", "GOTOOLCHAIN=local", "GOWORK=off")
}

func (b *bench) goCmd(dir, gocache string, args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = b.goEnv(gocache)
	return cmd
}

// goBuildAll builds the host and every plugin, as a team would with the go
// command: one go build per output (plugin mode takes one package), two at a
// time on this 2-core machine, sharing one GOCACHE.
func (b *bench) goBuildAll(gocache string) time.Duration {
	return b.goBuildAllIn(b.ws, gocache, b.n)
}

func (b *bench) goBuildAllIn(dir, gocache string, n int) time.Duration {
	out := filepath.Join(dir, "go-out")
	check(os.MkdirAll(out, 0o755))
	cmds := []*exec.Cmd{b.goCmd(dir, gocache, "build", "-trimpath", "-o", filepath.Join(out, "host"), "./host")}
	for i := 0; i < n; i++ {
		cmds = append(cmds, b.goCmd(dir, gocache, "build", "-trimpath", "-buildmode=plugin", "-o", filepath.Join(out, fmt.Sprintf("p%d.so", i)), fmt.Sprintf("./plugins/p%d", i)))
	}
	start := time.Now()
	parallel(2, cmds)
	return time.Since(start)
}

func (b *bench) goBuildPlugin(gocache string) time.Duration {
	start := time.Now()
	b.must(b.goCmd(b.ws, gocache, "build", "-trimpath", "-buildmode=plugin", "-o", filepath.Join(b.ws, "go-out", "p0.so"), "./plugins/p0").CombinedOutput)
	return time.Since(start)
}

// goRunHost runs the go-built host on every plugin: the go command's load test.
func (b *bench) goRunHost() {
	var paths []string
	for i := 0; i < b.n; i++ {
		paths = append(paths, filepath.Join(b.ws, "go-out", fmt.Sprintf("p%d.so", i)))
	}
	cmd := exec.Command(filepath.Join(b.ws, "go-out", "host"))
	cmd.Env = append(os.Environ(), "GO_PLUGIN_PATHS="+strings.Join(paths, ":"))
	out := b.must(cmd.CombinedOutput)
	if got := strings.Count(string(out), "\n"); got != b.n {
		fail(fmt.Sprintf("the go-built host loaded %d plugins, want %d:\n%s", got, b.n, out))
	}
}

// goClean removes the go command's outputs, as bazel clean does Bazel's: the
// go command takes an existing, up-to-date output as built.
func (b *bench) goClean() { check(os.RemoveAll(filepath.Join(b.ws, "go-out"))) }

func (b *bench) goCold(int) time.Duration {
	b.goClean()
	cache := filepath.Join(b.dir, "gocache-cold")
	check(os.RemoveAll(cache))
	var d time.Duration
	peak := peakRSS(func() { d = b.goBuildAll(cache) }, nil)
	b.extra("peak memory of a cold build (processes of the build)", fmt.Sprintf("%.2f GB", peak.actions), "")
	return d
}

func (b *bench) goWarmStd(int) time.Duration {
	b.goClean()
	cache := filepath.Join(b.dir, "gocache-warm")
	check(os.RemoveAll(cache))
	b.must(exec.Command("cp", "-a", b.goPrimed, cache).CombinedOutput)
	return b.goBuildAll(cache)
}

// --- Bazel ---

func (b *bench) targets() []string {
	t := []string{"//host:host"}
	for i := 0; i < b.n; i++ {
		t = append(t, fmt.Sprintf("//plugins:p%d", i))
	}
	return t
}

func (b *bench) bazelIn(dir, cmd string, args ...string) time.Duration {
	c := exec.Command("bazel", cmd)
	if cmd != "shutdown" {
		c.Args = append(c.Args, "--noshow_progress")
	}
	c.Args = append(c.Args, args...)
	c.Dir = dir
	if cmd == "shutdown" {
		stoppedServer(dir, "")
	} else {
		startedServer(dir, "")
	}
	start := time.Now()
	b.must(c.CombinedOutput)
	return time.Since(start)
}

func (b *bench) bazel(cmd string, args ...string) time.Duration {
	// No disk cache for the incremental rows: only Bazel's own state.
	return b.bazelIn(b.ws, cmd, append([]string{"--disk_cache="}, args...)...)
}

func (b *bench) bazelCold(int) time.Duration {
	b.bazelIn(b.ws, "clean")
	var d time.Duration
	peak := peakRSS(func() { d = b.bazel("build", b.targets()...) }, b.serverPID())
	b.extra("peak memory of a cold build (processes of the build)", "", fmt.Sprintf("%.2f GB (+ Bazel server %.2f GB)", peak.actions, peak.server))
	return d
}

// bazelFirst is a user's first build: a new output base (a new Bazel server,
// the SDK repository set up, the builder built) with an empty go build
// cache, which the SDK repository would otherwise use for the builder.
func (b *bench) bazelFirst(int) time.Duration {
	base := filepath.Join(b.dir, "first-output-base")
	gocache := filepath.Join(b.dir, "first-gocache")
	removeAll(base)
	removeAll(gocache)
	c := exec.Command("bazel", "--output_base="+base, "build", "--noshow_progress", "--disk_cache=")
	c.Args = append(c.Args, b.targets()...)
	c.Dir = b.ws
	c.Env = append(os.Environ(), "GOCACHE="+gocache)
	startedServer(b.ws, base)
	start := time.Now()
	b.must(c.CombinedOutput)
	d := time.Since(start)
	stop := exec.Command("bazel", "--output_base="+base, "shutdown")
	stop.Dir = b.ws
	b.must(stop.CombinedOutput)
	stoppedServer(b.ws, base)
	removeAll(base)
	removeAll(gocache)
	return d
}

func (b *bench) bazelWarmStd(int) time.Duration {
	b.bazelIn(b.ws, "clean")
	cache := filepath.Join(b.dir, "disk-warm")
	removeAll(cache)
	b.must(exec.Command("cp", "-a", b.bzPrimed, cache).CombinedOutput)
	return b.bazelIn(b.ws, "build", append([]string{"--disk_cache=" + cache}, b.targets()...)...)
}

func (b *bench) serverPID() *int {
	c := exec.Command("bazel", "info", "server_pid")
	c.Dir = b.ws
	startedServer(b.ws, "")
	out := b.must(c.Output)
	var pid int
	fmt.Sscan(string(out), &pid)
	return &pid
}

// prime builds the other program once into the primed caches.
func (b *bench) prime() {
	check(os.RemoveAll(b.goPrimed))
	b.goBuildAllIn(b.other, b.goPrimed, 1)
	removeAll(b.bzPrimed)
	b.bazelIn(b.other, "build", "--disk_cache="+b.bzPrimed, "//host:host", "//plugins:p0")
	b.bazelIn(b.other, "shutdown")
}

// sharedCacheOtherPath builds the workload into an empty disk cache, then
// builds a copy of it at another path (another output base, another exec
// root) from that cache, and reports what the second build ran itself: with
// hermetic actions, nothing but Bazel's internal steps.
func (b *bench) sharedCacheOtherPath() {
	cache := filepath.Join(b.dir, "disk-shared")
	other := filepath.Join(b.dir, "ws-other-path")
	removeAll(cache)
	removeAll(other)
	b.must(exec.Command("cp", "-a", b.ws, other).CombinedOutput)
	links, _ := filepath.Glob(filepath.Join(other, "bazel-*"))
	for _, l := range append(links, filepath.Join(other, "go-out")) {
		os.RemoveAll(l)
	}
	b.bazelIn(b.ws, "clean")
	b.bazelIn(b.ws, "build", append([]string{"--disk_cache=" + cache}, b.targets()...)...)
	c := exec.Command("bazel", append([]string{"build", "--noshow_progress", "--disk_cache=" + cache}, b.targets()...)...)
	c.Dir = other
	startedServer(other, "")
	out := string(b.must(c.CombinedOutput))
	b.bazelIn(other, "shutdown")
	summary := "no process summary"
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, " processes: "); i >= 0 && strings.HasPrefix(line, "INFO: ") {
			summary = strings.TrimSpace(line[len("INFO: "):])
		}
	}
	b.extra("clean build of a copy at another path, from the first build's disk cache", "-", summary)
}

// --- single numbers ---

func (b *bench) extra(name, goVal, bazelVal string) {
	for i, e := range b.extras {
		if e.Name == name && e.N == b.n {
			if goVal != "" {
				b.extras[i].Go = goVal
			}
			if bazelVal != "" {
				b.extras[i].Bazel = bazelVal
			}
			return
		}
	}
	b.extras = append(b.extras, extra{N: b.n, Name: name, Go: goVal, Bazel: bazelVal})
}

func (b *bench) sizes() {
	size := func(p string) string {
		st, err := os.Stat(p)
		check(err)
		return fmt.Sprintf("%.2f MB", float64(st.Size())/1e6)
	}
	b.bazel("build", b.targets()...)
	b.extra("size of p0.so", size(filepath.Join(b.ws, "go-out", "p0.so")), size(filepath.Join(b.ws, "bazel-bin", "plugins", "p0", "p0.so")))
	b.extra("size of the host", size(filepath.Join(b.ws, "go-out", "host")), size(filepath.Join(b.ws, "bazel-bin", "host", "host")))
}

// staticCheckTime times reading the host and every plugin and deciding, as
// the validation action does (in process, median of 20).
func (b *bench) staticCheckTime() {
	var times []float64
	for i := 0; i < 20; i++ {
		start := time.Now()
		host, err := plugincheck.Read(filepath.Join(b.ws, "bazel-bin", "host", "host"))
		check(err)
		var plugins []*plugincheck.Binary
		for j := 0; j < b.n; j++ {
			p, err := plugincheck.Read(filepath.Join(b.ws, "bazel-bin", "plugins", fmt.Sprintf("p%d", j), fmt.Sprintf("p%d.so", j)))
			check(err)
			plugins = append(plugins, p)
		}
		if !plugincheck.Check(host, plugins).OK() {
			fail("the static check failed on the benchmark's own build")
		}
		times = append(times, seconds(time.Since(start)))
	}
	b.extra(fmt.Sprintf("static check of the host and %d plugin(s)", b.n), "-", fmt.Sprintf("%.1f ms", median(times)*1000))
}

// removeAll removes a directory that Bazel may have left read-only.
func removeAll(dir string) {
	exec.Command("chmod", "-R", "u+w", dir).Run()
	check(os.RemoveAll(dir))
}

func (b *bench) must(run func() ([]byte, error)) []byte {
	out, err := run()
	if err != nil {
		fail(fmt.Sprintf("%v\n%s", err, out))
	}
	return out
}

func parallel(workers int, cmds []*exec.Cmd) {
	var wg sync.WaitGroup
	next := make(chan *exec.Cmd)
	var mu sync.Mutex
	var firstErr string
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				var out bytes.Buffer
				c.Stdout, c.Stderr = &out, &out
				if err := c.Run(); err != nil {
					mu.Lock()
					firstErr = fmt.Sprintf("%s: %v\n%s", strings.Join(c.Args, " "), err, out.String())
					mu.Unlock()
				}
			}
		}()
	}
	for _, c := range cmds {
		next <- c
	}
	close(next)
	wg.Wait()
	if firstErr != "" {
		fail(firstErr)
	}
}
