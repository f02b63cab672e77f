package loadcheck

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"plugin"
	"syscall"
	"time"
)

// childFlag, as the only argument, makes the checker binary a child that
// opens one plugin (the environment variable names it).
const (
	childFlag = "-loadcheck-child"
	childEnv  = "LOADCHECK_PLUGIN"
)

// The child reports on file descriptors of its own, not on stdout, which
// the plugin shares: the parent passes a pipe to write the report to and a
// pipe to read a secret (a nonce) from. The child reads the secret before it
// opens the plugin and puts it in every message, so text that a plugin
// writes anywhere, even to the report pipe, is never taken for the report.
const (
	reportFD = 3
	nonceFD  = 4
)

// Stages of a child's report, in order: a message per stage reached.
const (
	stageOpen  = "open"  // plugin.Open returned, and the symbols were checked
	stageSmoke = "smoke" // the smoke function returned
	stageDone  = "done"  // the child is about to exit 0
)

// message is one line of the report: JSON, on the report pipe.
type message struct {
	Nonce     string        `json:"nonce"`
	Stage     string        `json:"stage"`
	OpenError string        `json:"open_error,omitempty"`
	Symbols   []symbolCheck `json:"symbols,omitempty"`
	Smoke     *smokeResult  `json:"smoke,omitempty"`
}

type symbolCheck struct {
	Name     string `json:"name"`
	Missing  bool   `json:"missing,omitempty"`
	Found    string `json:"found,omitempty"` // the dynamic type, when it is not the wanted one
	Optional bool   `json:"optional,omitempty"`
}

type smokeResult struct {
	Name  string `json:"name"`
	Error string `json:"error,omitempty"`
}

// The child's own exit statuses. A plugin's init or goroutine that ends the
// process (os.Exit(0), syscall.Exit) cannot end it with exitReported by
// accident, so the parent tells the end the engine chose from one the
// plugin caused, even after every stage was reported.
const (
	exitReported = 97 // reported every stage, settled, and exited
	exitNoReport = 98 // could not use its report pipe
)

// childMain is the child: it opens the plugin and reports. After the last
// check it waits spec.Settle, so that a goroutine the plugin started and
// that ends the process shortly after init shows, then reports done and
// exits with exitReported.
func childMain(spec Spec) int {
	nonce, report, err := childChannel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "go_plugin_test child:", err)
		return exitNoReport
	}
	send := func(m message) {
		m.Nonce = nonce
		if err := json.NewEncoder(report).Encode(m); err != nil {
			// The plugin closed or replaced the pipe: the parent sees a
			// report without this stage and says so.
			fmt.Fprintln(os.Stderr, "go_plugin_test child: writing the report:", err)
			os.Exit(exitNoReport)
		}
	}
	runChild(spec, os.Getenv(childEnv), send)
	time.Sleep(spec.Settle)
	send(message{Stage: stageDone})
	return exitReported
}

// childChannel reads the nonce and returns the report pipe, which it keeps
// from processes the plugin may start (close-on-exec).
func childChannel() (string, io.Writer, error) {
	in := os.NewFile(nonceFD, "nonce")
	out := os.NewFile(reportFD, "report")
	if in == nil || out == nil {
		return "", nil, fmt.Errorf("no report pipe (file descriptors %d and %d); the child is started by go_plugin_test only", reportFD, nonceFD)
	}
	nonce, err := io.ReadAll(io.LimitReader(in, 256))
	in.Close()
	if err != nil || len(nonce) == 0 {
		return "", nil, fmt.Errorf("reading the nonce: %v", err)
	}
	syscall.CloseOnExec(reportFD)
	return string(nonce), out, nil
}

// runChild opens the plugin and checks it, in this process, sending a
// message after each stage.
func runChild(spec Spec, path string, send func(message)) {
	p, err := plugin.Open(path)
	if err != nil {
		send(message{Stage: stageOpen, OpenError: err.Error()})
		return
	}
	m := message{Stage: stageOpen}
	allOK := true
	for _, s := range spec.Symbols {
		c := symbolCheck{Name: s.Name, Optional: s.Optional}
		sym, err := p.Lookup(s.Name)
		switch {
		case err != nil:
			c.Missing = true
			allOK = allOK && s.Optional
		case !s.Check(sym):
			c.Found = fmt.Sprintf("%T", sym)
			allOK = false
		}
		m.Symbols = append(m.Symbols, c)
	}
	send(m)
	if spec.Smoke != "" && allOK {
		send(message{Stage: stageSmoke, Smoke: smoke(p, spec.Smoke)})
	}
}

// smoke calls the plugin's smoke function; a panic in it is an error too.
func smoke(p *plugin.Plugin, name string) (r *smokeResult) {
	r = &smokeResult{Name: name}
	sym, err := p.Lookup(name)
	if err != nil {
		r.Error = "not found"
		return r
	}
	fn, ok := sym.(func() error)
	if !ok {
		r.Error = fmt.Sprintf("is %T, want func() error", sym)
		return r
	}
	defer func() {
		if v := recover(); v != nil {
			r.Error = fmt.Sprintf("panicked: %v", v)
		}
	}()
	if err := fn(); err != nil {
		r.Error = "returned error: " + err.Error()
	}
	return r
}
