package loadcheck

import (
	"encoding/json"
	"fmt"
	"io"
	"plugin"
)

// childFlag, as the only argument, makes the checker binary a child that
// opens one plugin (the environment variable names it).
const (
	childFlag = "-loadcheck-child"
	childEnv  = "LOADCHECK_PLUGIN"
)

// childResult is what a child reports, as one JSON object on stdout.
type childResult struct {
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

// runChild opens the plugin and checks it, in this process.
func runChild(spec Spec, path string, out io.Writer) {
	res := childResult{}
	p, err := plugin.Open(path)
	if err != nil {
		res.OpenError = err.Error()
		json.NewEncoder(out).Encode(res)
		return
	}
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
		res.Symbols = append(res.Symbols, c)
	}
	if spec.Smoke != "" && allOK {
		res.Smoke = smoke(p, spec.Smoke)
	}
	json.NewEncoder(out).Encode(res)
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
