package loadcheck

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// drainDelay is how long the parent reads the child's pipes after the
// child's process group is gone: nothing can write to them any more, so
// this only bounds a pipe some other process inherited by mistake.
const drainDelay = 2 * time.Second

// childRun is what happened to one child.
type childRun struct {
	messages map[string]message // by stage; only messages with the nonce
	stray    int                // lines on the report pipe that were not the child's
	stdout   *cappedBuffer
	stderr   *cappedBuffer
	err      error // from Wait: nil when the child exited 0
	timedOut bool
	stopped  bool     // the child was stopped (SIGSTOP, SIGTSTP) when the timeout killed it
	leftover bool     // processes the plugin started were still running and were killed
	orphans  []orphan // processes the plugin started outside the group (setsid), killed
}

// runChildProcess runs exe, the host's copy, as a child that opens the
// plugin at path and checks it as spec says, in a process group of its own. When the timeout expires, or as soon as the
// child exits, it kills the whole group, so neither a hung init nor a
// process that init started (and that holds stdout) keeps the test waiting.
func runChildProcess(exe, path string, spec Spec) (*childRun, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	secret := hex.EncodeToString(nonce)
	run := &childRun{messages: map[string]message{}, stdout: newCappedBuffer(outputCap), stderr: newCappedBuffer(outputCap)}

	// Pipes: the parent keeps the first end of each, the child gets the other.
	var mine, theirs []*os.File
	defer func() {
		for _, f := range append(mine, theirs...) {
			f.Close()
		}
	}()
	for range 4 { // stdout, stderr, report (read by the parent); nonce (written)
		r, w, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		if len(mine) < 3 {
			mine, theirs = append(mine, r), append(theirs, w)
		} else {
			mine, theirs = append(mine, w), append(theirs, r)
		}
	}
	becomeSubreaper()
	// No arguments: the host's own init functions may read os.Args.
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(),
		childEnv+"="+path,
		childSmokeEnv+"="+spec.Smoke,
		childSettleEnv+"="+strconv.FormatInt(spec.Settle.Milliseconds(), 10))
	cmd.Stdout, cmd.Stderr = theirs[0], theirs[1]
	cmd.ExtraFiles = []*os.File{theirs[2], theirs[3]} // reportFD, nonceFD
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err := cmd.Start()
	for _, f := range theirs {
		f.Close()
	}
	theirs = nil
	if err != nil {
		return nil, err
	}
	pgid := cmd.Process.Pid
	setActiveChild(pgid)
	defer setActiveChild(0)
	mine[3].Write([]byte(secret))
	mine[3].Close()

	var readers sync.WaitGroup
	lines := make(chan []byte, 16)
	for i, into := range []io.Writer{run.stdout, run.stderr} {
		readers.Add(1)
		go func() {
			defer readers.Done()
			io.Copy(into, mine[i])
		}()
	}
	readers.Add(1)
	go func() {
		defer readers.Done()
		defer close(lines)
		sc := bufio.NewScanner(mine[2])
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			lines <- append([]byte(nil), sc.Bytes()...)
		}
	}()
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for l := range lines {
			run.add(l, secret)
		}
	}()

	var stopped bool
	timer := time.AfterFunc(spec.Timeout, func() {
		stopped = isStopped(pgid)
		killGroup(pgid)
	})
	run.err = cmd.Wait()
	run.timedOut = !timer.Stop()
	run.stopped = run.timedOut && stopped // the timer's write happened before Wait returned
	// The child is gone; whatever is left in its group, the plugin started.
	run.leftover = killGroup(pgid) == nil && !run.timedOut
	for _, f := range mine[:3] {
		f.SetReadDeadline(time.Now().Add(drainDelay))
	}
	readers.Wait()
	<-collected
	run.orphans = killOrphans()
	return run, nil
}

func (r *childRun) add(line []byte, secret string) {
	var m message
	if err := json.Unmarshal(line, &m); err != nil || m.Nonce != secret || m.Stage == "" {
		r.stray++
		return
	}
	if _, dup := r.messages[m.Stage]; dup {
		r.stray++
		return
	}
	r.messages[m.Stage] = m
}

var (
	activeMu   sync.Mutex
	activePgid int // the running child's process group, for a terminated test
)

func setActiveChild(pgid int) {
	activeMu.Lock()
	activePgid = pgid
	activeMu.Unlock()
}

func activeChild() int {
	activeMu.Lock()
	defer activeMu.Unlock()
	return activePgid
}

// exitCode is the child's exit status, or -1 when a signal ended it.
func (r *childRun) exitCode() int {
	var exit *exec.ExitError
	switch {
	case r.err == nil:
		return 0
	case errors.As(r.err, &exit):
		return exit.ExitCode()
	}
	return -1
}

// isStopped reports whether the process is stopped by a signal (state T),
// as a plugin that sends SIGSTOP to its process group leaves it: not hung
// in init, and it would never go on by itself.
func isStopped(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(after, "T") || strings.HasPrefix(after, "t")
}

// killGroup kills every process of the group the child leads; it returns
// nil when there was one to kill.
func killGroup(pgid int) error {
	err := syscall.Kill(-pgid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}

// outputCap bounds what is kept of a child's stdout and of its stderr.
const outputCap = 64 << 10

// cappedBuffer keeps the first n bytes written to it and counts the rest.
type cappedBuffer struct {
	buf     bytes.Buffer
	n       int
	dropped int
}

func newCappedBuffer(n int) *cappedBuffer { return &cappedBuffer{n: n} }

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.n - b.buf.Len()
	if room < len(p) {
		if room > 0 {
			b.buf.Write(p[:room])
		}
		b.dropped += len(p) - max(room, 0)
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *cappedBuffer) String() string { return b.buf.String() }
