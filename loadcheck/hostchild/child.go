//go:build ignore

// This file is the template of the one file go_plugin_test adds to a copy of
// the host's main package (the build constraint above is removed then), so
// that the process that opens the plugins is the host: its packages, link
// flags, GODEBUG default and x_defs. Sorted after the host's files (its
// name starts with "~"), its init runs after every other init, and opens one
// plugin only when the test's parent asks (LOADCHECK_PLUGIN); otherwise it
// does nothing and the host runs as built.
//
// It may import only what every host links: "plugin" and its deps (runtime,
// syscall), so no fmt, os, time or encoding/json. The parent checks that
// the child's package set is the host's before it starts one. Names are
// prefixed, since they share the scope of the host's main package.
package main

import (
	_goPluginTestPlugin "plugin"
	_goPluginTestRuntime "runtime"
	_goPluginTestSyscall "syscall"
	// go_plugin_test: imports
)

// _goPluginTestSymbols are the symbols the host looks up, each with the
// type assertion the host makes.
var _goPluginTestSymbols = []_goPluginTestSymbol{
	// go_plugin_test: symbols
}

type _goPluginTestSymbol struct {
	name     string
	optional bool
	check    func(_goPluginTestPlugin.Symbol) bool
}

// The protocol with the parent (package loadcheck, process.go and
// child.go there): the environment, file descriptors 3 (report) and 4
// (nonce), the exit statuses.
const (
	_goPluginTestEnvPlugin = "LOADCHECK_PLUGIN"
	_goPluginTestEnvSmoke  = "LOADCHECK_SMOKE"
	_goPluginTestEnvSettle = "LOADCHECK_SETTLE_MS"
	_goPluginTestReportFD  = 3
	_goPluginTestNonceFD   = 4
	_goPluginTestExitDone  = 97
	_goPluginTestExitPipe  = 98
)

func init() {
	path, ok := _goPluginTestSyscall.Getenv(_goPluginTestEnvPlugin)
	if !ok {
		return
	}
	nonce, ok := _goPluginTestReadNonce()
	if !ok {
		_goPluginTestStderr("go_plugin_test child: no nonce on file descriptor 4; the child is started by go_plugin_test only\n")
		_goPluginTestSyscall.Exit(_goPluginTestExitPipe)
	}
	// Kept from processes the plugin may start.
	_goPluginTestSyscall.CloseOnExec(_goPluginTestReportFD)
	smoke, _ := _goPluginTestSyscall.Getenv(_goPluginTestEnvSmoke)
	settle, _ := _goPluginTestSyscall.Getenv(_goPluginTestEnvSettle)
	_goPluginTestRun(nonce, path, smoke)
	_goPluginTestSleep(_goPluginTestAtoi(settle))
	_goPluginTestSend(nonce, `"stage":"done"`)
	_goPluginTestSyscall.Exit(_goPluginTestExitDone)
}

// _goPluginTestRun opens the plugin and checks it, sending a message after
// each stage, as the parent reads them.
func _goPluginTestRun(nonce, path, smoke string) {
	p, err := _goPluginTestPlugin.Open(path)
	if err != nil {
		_goPluginTestSend(nonce, `"stage":"open","open_error":`+_goPluginTestQuote(err.Error()))
		return
	}
	msg := `"stage":"open","symbols":[`
	allOK := true
	for i, s := range _goPluginTestSymbols {
		if i > 0 {
			msg += ","
		}
		msg += `{"name":` + _goPluginTestQuote(s.name)
		if s.optional {
			msg += `,"optional":true`
		}
		sym, err := p.Lookup(s.name)
		switch {
		case err != nil:
			msg += `,"missing":true`
			allOK = allOK && s.optional
		case !s.check(sym):
			msg += `,"found":` + _goPluginTestQuote(_goPluginTestTypeName(sym))
			allOK = false
		}
		msg += "}"
	}
	_goPluginTestSend(nonce, msg+"]")
	if smoke != "" && allOK {
		_goPluginTestSend(nonce, `"stage":"smoke","smoke":{"name":`+_goPluginTestQuote(smoke)+_goPluginTestSmoke(p, smoke)+"}")
	}
}

// _goPluginTestSmoke calls the smoke function and returns the JSON of its
// error ("" when it returned nil); a panic is an error too.
func _goPluginTestSmoke(p *_goPluginTestPlugin.Plugin, name string) (out string) {
	sym, err := p.Lookup(name)
	if err != nil {
		return `,"error":"not found"`
	}
	fn, ok := sym.(func() error)
	if !ok {
		return `,"error":` + _goPluginTestQuote("is "+_goPluginTestTypeName(sym)+", want func() error")
	}
	defer func() {
		if v := recover(); v != nil {
			out = `,"error":` + _goPluginTestQuote("panicked: "+_goPluginTestDescribe(v))
		}
	}()
	if err := fn(); err != nil {
		return `,"error":` + _goPluginTestQuote("returned error: "+err.Error())
	}
	return ""
}

// _goPluginTestDescribe is a panic value as text, without fmt.
func _goPluginTestDescribe(v any) string {
	switch v := v.(type) {
	case error:
		return v.Error()
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	}
	return "a value of type " + _goPluginTestTypeName(v)
}

type _goPluginTestNever struct{}

// _goPluginTestTypeName is v's dynamic type, as fmt's %T says it, taken
// from the runtime's message for a failed type assertion (runtime is the
// only package every host links that can name a type).
func _goPluginTestTypeName(v any) (name string) {
	defer func() {
		e, ok := recover().(*_goPluginTestRuntime.TypeAssertionError)
		if !ok {
			return
		}
		// "interface conversion: interface {} is T, not main._goPluginTestNever"
		msg := e.Error()
		start, end := -1, -1
		for i := 0; i+4 <= len(msg); i++ {
			if start < 0 && msg[i:i+4] == " is " {
				start = i + 4
			}
			if i+6 <= len(msg) && msg[i:i+6] == ", not " {
				end = i
			}
		}
		if start >= 0 && end > start {
			name = msg[start:end]
		} else {
			name = msg
		}
	}()
	if v == nil {
		return "nil"
	}
	_ = v.(_goPluginTestNever)
	return "main._goPluginTestNever"
}

// _goPluginTestSend writes one line of the report, with the nonce; a
// plugin that closed the pipe ends the child with the status that says so.
func _goPluginTestSend(nonce, fields string) {
	b := []byte(`{"nonce":` + _goPluginTestQuote(nonce) + "," + fields + "}\n")
	for len(b) > 0 {
		n, err := _goPluginTestSyscall.Write(_goPluginTestReportFD, b)
		if err == _goPluginTestSyscall.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			_goPluginTestStderr("go_plugin_test child: writing the report: " + _goPluginTestErr(err) + "\n")
			_goPluginTestSyscall.Exit(_goPluginTestExitPipe)
		}
		b = b[n:]
	}
}

func _goPluginTestErr(err error) string {
	if err == nil {
		return "short write"
	}
	return err.Error()
}

func _goPluginTestStderr(s string) { _goPluginTestSyscall.Write(2, []byte(s)) }

// _goPluginTestReadNonce reads the parent's nonce (up to 256 bytes, to EOF)
// and closes its pipe.
func _goPluginTestReadNonce() (string, bool) {
	var buf [256]byte
	n := 0
	for n < len(buf) {
		m, err := _goPluginTestSyscall.Read(_goPluginTestNonceFD, buf[n:])
		if err == _goPluginTestSyscall.EINTR {
			continue
		}
		if err != nil {
			return "", false
		}
		if m <= 0 {
			break
		}
		n += m
	}
	_goPluginTestSyscall.Close(_goPluginTestNonceFD)
	return string(buf[:n]), n > 0
}

// _goPluginTestQuote is s as a JSON string.
func _goPluginTestQuote(s string) string {
	const hex = "0123456789abcdef"
	b := []byte{'"'}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}

func _goPluginTestAtoi(s string) int {
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// _goPluginTestSleep waits ms milliseconds, through signals.
func _goPluginTestSleep(ms int) {
	ts := _goPluginTestSyscall.NsecToTimespec(int64(ms) * 1e6)
	for ts.Sec > 0 || ts.Nsec > 0 {
		var rest _goPluginTestSyscall.Timespec
		if err := _goPluginTestSyscall.Nanosleep(&ts, &rest); err != _goPluginTestSyscall.EINTR {
			return
		}
		ts = rest
	}
}
