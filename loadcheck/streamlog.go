package loadcheck

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// streamLog writes each plugin's lines as soon as it is checked. When the
// test is terminated (Bazel's test timeout sends SIGTERM, then SIGKILL), it
// says which plugin was being checked and kills that child's processes, so
// the log is never empty and nothing outlives the test.
type streamLog struct {
	mu           sync.Mutex
	w            io.Writer
	plugin       string // being checked
	index, total int
	ended        bool // terminated: nothing more is written
}

func (l *streamLog) checking(plugin string, index, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.plugin, l.index, l.total = plugin, index, total
}

func (l *streamLog) cases(cases []testCase) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return // the child died of the termination, not of the plugin
	}
	writeCases(l.w, cases)
	l.plugin = ""
}

func (l *streamLog) summary(cases []testCase) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ended {
		return 1
	}
	return writeCount(l.w, cases)
}

// watchSignals makes SIGTERM and SIGINT end the test with a note; it
// returns a function that stops watching.
func (l *streamLog) watchSignals() (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			l.terminated(s)
			os.Exit(1)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// terminated notes where the test was and kills the running child's group.
// The note comes first: once the child is killed, its check would report
// the kill as the plugin's crash.
func (l *streamLog) terminated(s os.Signal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ended = true
	defer killOrphans()
	if pgid := activeChild(); pgid > 0 {
		defer killGroup(pgid)
	}
	if l.plugin != "" {
		fmt.Fprintf(l.w, "FAIL  %s: open: the test was terminated (%s: Bazel's test timeout, or an interrupt) while checking this plugin, %d of %d; its processes were killed\n", l.plugin, sigName(s), l.index+1, l.total)
	}
	fmt.Fprintf(l.w, "go_plugin_test: terminated by %s before every plugin was checked\n", sigName(s))
}

func sigName(s os.Signal) string {
	switch s {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGINT:
		return "SIGINT"
	}
	return s.String()
}
