package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type peak struct{ actions, server float64 } // GB

// peakRSS runs f while sampling, every 50 ms, the resident memory of the
// processes doing the build: the descendants of this program (the go
// commands) or of the Bazel server (its actions); the server itself is
// reported apart.
func peakRSS(f func(), serverPID *int) peak {
	done := make(chan struct{})
	result := make(chan peak)
	go func() {
		var p peak
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			root := os.Getpid()
			if serverPID != nil {
				root = *serverPID
			}
			a, s := sampleTree(root, serverPID != nil)
			if a > p.actions {
				p.actions = a
			}
			if s > p.server {
				p.server = s
			}
			select {
			case <-done:
				result <- p
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	return <-result
}

// sampleTree sums the RSS (GB) of root's descendants, and returns root's own
// RSS apart when withRoot.
func sampleTree(root int, withRoot bool) (descendants, rootRSS float64) {
	parent := map[int]int{}
	rss := map[int]float64{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// The fields after the command name, which is in parentheses.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 22 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		pages, _ := strconv.ParseFloat(fields[21], 64)
		parent[pid] = ppid
		rss[pid] = pages * float64(os.Getpagesize()) / 1e9
	}
	for pid := range parent {
		for p := parent[pid]; p != 0; p = parent[p] {
			if p == root {
				descendants += rss[pid]
				break
			}
		}
	}
	if withRoot {
		rootRSS = rss[root]
	}
	return descendants, rootRSS
}
