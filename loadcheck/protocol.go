package loadcheck

// The protocol between the parent (this package) and the child, the file
// go_plugin_test adds to a copy of the host's main package
// (hostchild/child.go): the environment, two file descriptors, the report
// lines and the exit statuses. Keep the two in step.

// The child opens the plugin LOADCHECK_PLUGIN names, calls the smoke
// function LOADCHECK_SMOKE names (if any), and waits LOADCHECK_SETTLE_MS
// before it exits.
const (
	childEnv       = "LOADCHECK_PLUGIN"
	childSmokeEnv  = "LOADCHECK_SMOKE"
	childSettleEnv = "LOADCHECK_SETTLE_MS"
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
	stageDone  = "done"  // the child is about to exit with exitReported
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
