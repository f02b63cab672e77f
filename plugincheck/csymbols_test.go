package plugincheck

import (
	"bytes"
	"strings"
	"testing"
)

// The checker reports a C symbol exactly when a real plugin.Open in the
// host gets the plugin the host's definition: chost prints the values each
// plugin's Which got, 2 20 20 from the plugin's own C code, 1 10 10 from
// the host's.
func TestInterpositionAgreesWithRuntime(t *testing.T) {
	host := fixture(t, "chost")
	names := []string{"cplug.so", "cstatic.so", "chidden.so"}
	var paths []string
	var plugins []*Binary
	for _, n := range names {
		paths = append(paths, fixture(t, n))
		plugins = append(plugins, mustRead(t, fixture(t, n)))
	}
	lines := runtimeVerdict(t, host, paths)
	if len(lines) != 1+len(names) || lines[0] != "HOST 1 10" {
		t.Fatalf("chost printed %q", lines)
	}
	report := Check(mustRead(t, host), plugins)
	wantInterposed := map[string]bool{"cplug.so": true}
	for i, res := range report.Plugins {
		fields := strings.Fields(lines[i+1])
		if len(fields) != 5 || fields[0] != "OK" {
			t.Fatalf("%s: chost printed %q", names[i], lines[i+1])
		}
		got := strings.Join(fields[2:], " ")
		runtimeInterposed := got != "2 20 20"
		if runtimeInterposed != wantInterposed[names[i]] {
			t.Errorf("%s: plugin.Open gave it %s; want interposed=%v", names[i], got, wantInterposed[names[i]])
		}
		if runtimeInterposed && got != "1 10 10" {
			t.Errorf("%s: got %s, neither the plugin's values nor the host's", names[i], got)
		}
		if (len(res.Interposed) > 0) != runtimeInterposed {
			t.Errorf("%s: checker reports %+v, runtime got %s", names[i], res.Interposed, got)
		}
		if !res.Loads {
			t.Errorf("%s: interposition must not make it fail to load: %+v", names[i], res)
		}
		if res.OK() == runtimeInterposed {
			t.Errorf("%s: OK()=%v with interposed %+v", names[i], res.OK(), res.Interposed)
		}
	}
	if report.OK() {
		t.Error("Report.OK() with an interposed plugin")
	}
	// cplug and chost both link the cgo package capi: its C symbols are
	// the plugin's C uses, bound to the host's, but the same code.
	shared := map[string]bool{}
	for _, u := range plugins[0].CUses {
		shared[u.Name] = true
	}
	if !shared["capi_add"] || !shared["capi_count"] || !shared["capi_twice"] {
		t.Errorf("cplug's C uses lack the shared package's: %+v", plugins[0].CUses)
	}
	in := report.Plugins[0].Interposed
	if len(in) != 2 || in[0].Symbol != "shared_c_fn" || in[0].Kind != "function" || in[1].Symbol != "shared_c_var" || in[1].Kind != "variable" {
		t.Fatalf("interposed: %+v", in)
	}
	for _, x := range in {
		if x.DefinedBy != host {
			t.Errorf("%s defined by %s, want the host", x.Symbol, x.DefinedBy)
		}
	}
	if u := strings.Join(in[0].Users, ", "); !strings.Contains(u, "C.shared_c_fn (the cgo wrapper") {
		t.Errorf("users of shared_c_fn: %s", u)
	}
	if u := strings.Join(in[1].Users, ", "); !strings.Contains(u, "C.read_var (the cgo wrapper") || !strings.Contains(u, "C.shared_c_var in the Go code of example.com/fixture/cplug") {
		t.Errorf("users of shared_c_var: %s", u)
	}
	var text bytes.Buffer
	report.WriteText(&text)
	for _, want := range []string{
		"FAIL  " + paths[0] + " (pluginpath example.com/fixture/cplug) loads into " + host + ", but its own C code would not be used:",
		"C function shared_c_fn is defined by both " + paths[0] + " and " + host + ": once opened, the plugin's calls go to " + host + "'s (ELF interposition); used by C.shared_c_fn",
		"C variable shared_c_var is defined by both",
		"fix: make the plugin's C definition static, or give it a name of the plugin's own (a prefix), or compile the plugin's C code with -fvisibility=hidden",
		"ok    " + paths[1], "ok    " + paths[2],
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
}

// A host without C code of its own defines none of the plugin's symbols,
// but a plugin opened before does: dlopen's RTLD_GLOBAL puts its exports
// before those of the plugins opened after it.
func TestInterpositionByEarlierPlugin(t *testing.T) {
	host := mustRead(t, fixture(t, "host"))
	first, second := mustRead(t, fixture(t, "cplug.so")), mustRead(t, fixture(t, "cplug2.so"))
	r := Check(host, []*Binary{first, second})
	if len(r.Plugins[0].Interposed) != 0 {
		t.Errorf("first plugin: %+v", r.Plugins[0].Interposed)
	}
	in := r.Plugins[1].Interposed
	if len(in) != 2 || in[0].DefinedBy != first.Path {
		t.Fatalf("second plugin: %+v", in)
	}
}

// The C code the Go toolchain links into every cgo file (runtime/cgo, the
// cgo wrappers) and Go's own symbols without a package (Go assembly data
// such as expandAVX512_*, in Go's rodata) are never reported: a plugin
// without C code of its own is not interposed (its C uses, if any, are
// runtime/cgo's, used by runtime/cgo: Go 1.27's threadentry), and a host
// without C code exports none.
func TestNoToolchainCSymbols(t *testing.T) {
	host := mustRead(t, fixture(t, "host"))
	for _, name := range []string{"good.so", "other.so", "cstatic.so", "chidden.so"} {
		b := mustRead(t, fixture(t, name))
		for _, u := range b.CUses {
			for _, user := range u.Users {
				if !host.toolchainC[user] {
					t.Errorf("%s: C use %s by %s, which is no toolchain C of the host", name, u.Name, user)
				}
			}
		}
		if r := Check(host, []*Binary{b}); len(r.Plugins[0].Interposed) != 0 {
			t.Errorf("%s: interposed %+v", name, r.Plugins[0].Interposed)
		}
	}
	for name := range host.CExports {
		if toolchainCNames(name) || strings.HasPrefix(name, "_cgo_") {
			t.Errorf("host exports toolchain symbol %s", name)
		}
	}
	chost := mustRead(t, fixture(t, "chost"))
	if !chost.CExports["shared_c_fn"] || !chost.CExports["shared_c_var"] {
		t.Errorf("chost's C exports lack its own: %v", chost.CExports)
	}
	r := Check(chost, []*Binary{mustRead(t, fixture(t, "good.so"))})
	if !r.OK() {
		t.Errorf("a plugin without C code in chost: %+v", r.Plugins)
	}
}

// One C library linked into both (a cgo package the host and the plugin
// share) is not reported: the plugin's copy is replaced as a whole, its
// users are the same code. A user of the plugin's own is.
func TestSharedCodeIsNotInterposition(t *testing.T) {
	host := &Binary{Path: "host", Hashes: map[string]string{"example.com/lib": "aa", "example.com/other": "bb"},
		CExports:    map[string]bool{"lib_fn": true, "lib_helper": true},
		cgoPrefixes: map[string]bool{"_cgo_0123456789ab_": true}}
	use := func(users ...string) *Binary {
		return &Binary{Path: "p.so", Kind: Plugin, LinkHashes: map[string]string{"example.com/lib": "aa", "example.com/other": "cc"},
			CUses: []CUse{{Name: "lib_fn", Users: users}}}
	}
	defined := map[string]cDefinition{"lib_fn": {host}, "lib_helper": {host}}
	for _, tc := range []struct {
		users  []string
		report bool
	}{
		{[]string{"_cgo_0123456789ab_Cfunc_lib_fn"}, false}, // the shared package's wrapper
		{[]string{"lib_helper"}, false},                     // C code the host has too
		{[]string{"example.com/lib._Cvar_lib_fn"}, false},   // Go of a package with the host's hash
		{[]string{"example.com/other.F"}, true},             // Go of a package with another hash
		{[]string{"_cgo_ba9876543210_Cfunc_lib_fn"}, true},  // another package's wrapper
		{[]string{"lib_helper", "my_fn"}, true},             // the plugin's own C code
		{nil, true},                                         // users not found: reported
	} {
		got := interpositions(use(tc.users...), defined)
		if (len(got) > 0) != tc.report {
			t.Errorf("users %q: %+v, want reported=%v", tc.users, got, tc.report)
		}
	}
}
