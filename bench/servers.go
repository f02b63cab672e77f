package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"sync"
	"syscall"
)

// shutdownOnSignal shuts the servers down when the run is interrupted
// (Ctrl-C, a timeout's SIGTERM) too.
func shutdownOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sig
		fmt.Fprintf(os.Stderr, "bench: %v: shutting down the Bazel servers this run started\n", s)
		shutdownServers()
		os.Exit(1)
	}()
}

// The Bazel servers this run started, by workspace and output base ("" for
// the workspace's default one), so that the end of the run, or a failure,
// shuts them all down rather than leaving them idle for hours.
var servers = struct {
	sync.Mutex
	started map[[2]string]bool
}{started: map[[2]string]bool{}}

// startedServer records that a Bazel command ran in dir with outputBase.
func startedServer(dir, outputBase string) {
	servers.Lock()
	defer servers.Unlock()
	servers.started[[2]string{dir, outputBase}] = true
}

// stoppedServer records that the server of dir and outputBase was shut down.
func stoppedServer(dir, outputBase string) {
	servers.Lock()
	defer servers.Unlock()
	delete(servers.started, [2]string{dir, outputBase})
}

// shutdownServers shuts down every server still recorded. Errors are
// reported, not fatal: it also runs on the way out of a failure.
func shutdownServers() {
	servers.Lock()
	var keys [][2]string
	for k := range servers.started {
		keys = append(keys, k)
	}
	servers.started = map[[2]string]bool{}
	servers.Unlock()
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		args := []string{"shutdown"}
		if k[1] != "" {
			args = []string{"--output_base=" + k[1], "shutdown"}
		}
		if _, err := os.Stat(k[0]); err != nil {
			continue // the workspace is gone, and its server exits on its own
		}
		c := exec.Command("bazel", args...)
		c.Dir = k[0]
		if out, err := c.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: bazel shutdown in %s: %v\n%s", k[0], err, out)
		}
	}
}
