package plugincheck

// ELF interposition of C symbols.
//
// A host that imports "plugin" is linked with -rdynamic, so every global C
// symbol of its cgo code is in its dynamic symbol table, and plugin.Open
// dlopens plugins with RTLD_GLOBAL. A plugin's own C code, compiled with
// -fPIC, reaches its global functions and variables through the PLT and the
// GOT, which the dynamic linker fills with the first definition in load
// order: the host's, else that of a plugin opened before. So a C function
// or variable that the host and a plugin both define is the host's in the
// plugin: the plugin runs the host's function and reads the host's
// variable, without an error anywhere. (Measured: chost and cplug of the
// fixtures; the plugin's shared_c_fn returns the host's 1, not its 2.)
//
// The files show it: the plugin defines the symbol, exports it and has a
// dynamic relocation (R_X86_64_JUMP_SLOT, GLOB_DAT or 64) against it, and
// the host exports a definition. Which of the plugin's symbols are C is
// read from where they are: the Go linker brackets everything Go with the
// local symbols runtime.text/etext, rodata/erodata, types/etypes,
// noptrdata/enoptrdata, data/edata, bss/ebss and noptrbss/enoptrbss (the
// module data), and the C objects of an external link lie outside. Names
// matter only for the C code that the Go toolchain itself links into every
// host and plugin (runtime/cgo, the race runtime), which is the same in
// both when the package hashes agree (see toolchainCNames).

import (
	"debug/elf"
	"encoding/binary"
	"sort"
	"strings"
)

// CUse is a C symbol that a plugin defines and reaches through the dynamic
// linker (a PLT or GOT slot, or a pointer in its data), so that another
// file's earlier definition takes its place.
type CUse struct {
	Name string
	// Variable is true for a data object, false for a function.
	Variable bool
	// Users are the plugin's functions (or data, for a pointer) that use
	// it, by symbol name; empty when none could be found.
	Users []string
}

// Go's module data brackets, in pairs: what lies inside is Go.
var goRangeSymbols = [][2]string{
	{"runtime.text", "runtime.etext"},
	{"runtime.rodata", "runtime.erodata"},
	{"runtime.types", "runtime.etypes"},
	{"runtime.noptrdata", "runtime.enoptrdata"},
	{"runtime.data", "runtime.edata"},
	{"runtime.bss", "runtime.ebss"},
	{"runtime.noptrbss", "runtime.enoptrbss"},
}

// toolchainCNames reports whether a C symbol is one the Go toolchain links
// into every cgo host and plugin, or one the C toolchain or linker defines
// in every file. Measured on Go 1.26, linux/amd64, GNU ld: the dynamic
// symbols a plugin without any C code of its own shares with a host are
// runtime/cgo's (_cgo_*, x_cgo_*, crosscall1, crosscall2, x_crosscall2_ptr,
// fatalf; the plugin's copies are bound to the host's, which is harmless
// because the runtime/cgo package hashes must agree), and with -race the
// race runtime's (__tsan_*, __sanitizer_* and their C++ names, 799
// symbols). The cgo wrappers _cgo_<hash>_Cfunc_* are runtime/cgo-like
// glue named by package; Go assembly symbols without a package
// (expandAVX512_* of internal/runtime/gc/scan) lie in Go's rodata and are
// told apart by address, not here.
func toolchainCNames(name string) bool {
	switch {
	case strings.HasPrefix(name, "_cgo_"), strings.HasPrefix(name, "x_cgo_"),
		strings.HasPrefix(name, "crosscall"), strings.HasPrefix(name, "x_crosscall"),
		strings.HasPrefix(name, "_cgoexp_"):
		return true
	case strings.Contains(name, "__tsan"), strings.Contains(name, "__sanitizer"),
		strings.Contains(name, "__interception"), strings.Contains(name, "__asan"),
		strings.Contains(name, "__msan"), strings.Contains(name, "__lsan"), strings.Contains(name, "__ubsan"):
		return true
	}
	return linkerCNames[name]
}

// Symbols of runtime/cgo without a prefix, and those the C runtime files
// (crt*.o, libc_nonshared.a) and the linker define.
var linkerCNames = map[string]bool{
	"fatalf": true,
	"_init":  true, "_fini": true, "_start": true, "main": true,
	"__libc_csu_init": true, "__libc_csu_fini": true, "_IO_stdin_used": true,
	"__data_start": true, "data_start": true, "__dso_handle": true, "__TMC_END__": true,
	"__bss_start": true, "_edata": true, "_end": true, "_DYNAMIC": true, "_GLOBAL_OFFSET_TABLE_": true,
	"__GNU_EH_FRAME_HDR": true, "atexit": true, "at_quick_exit": true, "__stack_chk_fail_local": true,
}

// cExport reports whether a dynamic symbol is a definition another file's
// uses can be bound to, with a name C code can have: a global or weak
// function or object, not hidden or internal, outside the toolchain's C.
func cExport[T string | []byte](name T, s elf.Symbol) bool {
	return cDefined(name, s) && !toolchainCNames(string(name))
}

// cDefined is cExport with the toolchain's C included.
func cDefined[T string | []byte](name T, s elf.Symbol) bool {
	if s.Section == elf.SHN_UNDEF || len(name) == 0 {
		return false
	}
	switch elf.ST_BIND(s.Info) {
	case elf.STB_GLOBAL, elf.STB_WEAK:
	default:
		return false
	}
	switch elf.ST_TYPE(s.Info) {
	case elf.STT_FUNC, elf.STT_OBJECT:
	default:
		return false
	}
	switch elf.ST_VISIBILITY(s.Other) {
	case elf.STV_DEFAULT, elf.STV_PROTECTED:
	default:
		return false
	}
	for i := 0; i < len(name); i++ {
		// Go symbols have a package path (a '.') or a prefix (go:, type:).
		if c := name[i]; c == '.' || c == ':' || c == '/' || c >= 0x80 {
			return false
		}
	}
	return true
}

// cUses finds the C symbols the plugin defines and uses through its
// dynamic symbols, with their users. It is called on a validated image.
func (m *image) cUses() []CUse {
	var ranges [][2]uint64
	for _, r := range goRangeSymbols {
		lo, ok1 := m.symbolNamed(r[0])
		hi, ok2 := m.symbolNamed(r[1])
		if ok1 && ok2 && lo.value <= hi.value {
			ranges = append(ranges, [2]uint64{lo.value, hi.value})
		}
	}
	inGo := func(va uint64) bool {
		for _, r := range ranges {
			if va >= r[0] && va < r[1] {
				return true
			}
		}
		return false
	}
	// The candidates: defined C symbols with a relocation against them.
	bySym := map[uint32]int{} // dynamic symbol index -> index in uses
	var uses []CUse
	var relocsOf [][]rela
	for _, r := range m.relocs {
		if r.sym == 0 || int(r.sym) >= len(m.dynsyms) {
			continue
		}
		s := m.dynsyms[r.sym]
		if s.shndx == uint16(elf.SHN_UNDEF) || s.shndx >= uint16(elf.SHN_LORESERVE) || elf.ST_VISIBILITY(s.other) != elf.STV_DEFAULT {
			continue // protected: bound inside the plugin
		}
		if !cExport(s.name, elf.Symbol{Info: s.info, Other: s.other, Section: elf.SectionIndex(s.shndx)}) || inGo(s.value) {
			continue
		}
		i, ok := bySym[r.sym]
		if !ok {
			i = len(uses)
			bySym[r.sym] = i
			uses = append(uses, CUse{Name: s.name, Variable: s.typ() == elf.STT_OBJECT})
			relocsOf = append(relocsOf, nil)
		}
		relocsOf[i] = append(relocsOf[i], r)
	}
	if len(uses) == 0 {
		return nil
	}
	m.findUsers(uses, relocsOf)
	return uses
}

// findUsers names, for each use, the plugin's code that goes through its
// slots: calls and jumps to its PLT entry, instructions that read its GOT
// slot (call, jmp, mov), and data that points to it.
func (m *image) findUsers(uses []CUse, relocsOf [][]rela) {
	funcs := m.sortedDefined()
	users := make([]map[string]bool, len(uses))
	addUser := func(i int, va uint64) {
		name := "?"
		if s, ok := containing(funcs, va); ok {
			name = s.name
		}
		if users[i] == nil {
			users[i] = map[string]bool{}
		}
		users[i][name] = true
	}
	slotOf := map[uint64]int{} // GOT slot -> use
	for i, rs := range relocsOf {
		for _, r := range rs {
			switch r.typ {
			case elf.R_X86_64_JMP_SLOT, elf.R_X86_64_GLOB_DAT:
				slotOf[r.off] = i
			default: // a pointer in the plugin's data
				addUser(i, r.off)
			}
		}
	}
	var code []*elf.Section
	for _, sec := range m.f.Sections {
		if sec.Type == elf.SHT_PROGBITS && sec.Flags&elf.SHF_EXECINSTR != 0 {
			code = append(code, sec)
		}
	}
	// The PLT entries that jump through a slot: jmp *slot(%rip), maybe
	// after endbr64 and with a bnd prefix.
	entryOf := map[uint64]int{}
	for _, sec := range code {
		if !strings.HasPrefix(sec.Name, ".plt") {
			continue
		}
		b, ok := m.sectionBytes(sec)
		if !ok {
			continue
		}
		for p := 0; p+6 <= len(b); p++ {
			if b[p] != 0xff || b[p+1] != 0x25 {
				continue
			}
			at := sec.Addr + uint64(p)
			i, ok := slotOf[at+6+uint64(int64(int32(binary.LittleEndian.Uint32(b[p+2:]))))]
			if !ok {
				continue
			}
			entry := at
			if p >= 1 && b[p-1] == 0xf2 {
				entry--
			}
			if q := int(entry - sec.Addr); q >= 4 && b[q-4] == 0xf3 && b[q-3] == 0x0f && b[q-2] == 0x1e && b[q-1] == 0xfa {
				entry -= 4
			}
			entryOf[entry] = i
		}
	}
	for _, sec := range code {
		if strings.HasPrefix(sec.Name, ".plt") {
			continue
		}
		b, ok := m.sectionBytes(sec)
		if !ok {
			continue
		}
		for p := 0; p+5 <= len(b); p++ {
			at := sec.Addr + uint64(p)
			switch {
			case b[p] == 0xe8 || b[p] == 0xe9: // call/jmp rel32
				if i, ok := entryOf[at+5+uint64(int64(int32(binary.LittleEndian.Uint32(b[p+1:]))))]; ok {
					addUser(i, at)
				}
			case p+6 <= len(b) && (b[p] == 0xff && (b[p+1] == 0x15 || b[p+1] == 0x25) || // call/jmp *slot(%rip)
				b[p] == 0x8b && b[p+1]&0xc7 == 0x05): // mov slot(%rip), reg (after a REX prefix, or without)
				if i, ok := slotOf[at+6+uint64(int64(int32(binary.LittleEndian.Uint32(b[p+2:]))))]; ok {
					addUser(i, at)
				}
			}
		}
	}
	for i := range uses {
		for name := range users[i] {
			uses[i].Users = append(uses[i].Users, name)
		}
		sort.Strings(uses[i].Users)
	}
}

// sectionBytes is the file's bytes of a section.
func (m *image) sectionBytes(sec *elf.Section) ([]byte, bool) {
	if sec.Offset > uint64(len(m.file)) || sec.Size > uint64(len(m.file))-sec.Offset {
		return nil, false
	}
	return m.file[sec.Offset : sec.Offset+sec.Size], true
}

// sortedDefined returns the named functions and objects of .symtab by
// address.
func (m *image) sortedDefined() []rawSym {
	var out []rawSym
	for _, s := range m.syms[1:] {
		if s.name == "" || s.shndx == uint16(elf.SHN_UNDEF) || s.shndx >= uint16(elf.SHN_LORESERVE) {
			continue
		}
		if t := s.typ(); t == elf.STT_FUNC || t == elf.STT_OBJECT {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].value < out[j].value })
	return out
}

// containing finds the symbol whose bytes hold va: the last that starts at
// or before it, within its size (or, for a size of 0, before the next).
func containing(syms []rawSym, va uint64) (rawSym, bool) {
	i := sort.Search(len(syms), func(i int) bool { return syms[i].value > va }) - 1
	for ; i >= 0 && syms[i].value <= va; i-- {
		s := syms[i]
		if va < s.value+s.size || (s.size == 0 && va == s.value) {
			return s, true
		}
		if s.size != 0 {
			break
		}
	}
	return rawSym{}, false
}

// Interposition is a C symbol that a plugin defines and uses through the
// dynamic linker while the host, or a plugin opened before it, exports a
// definition too: once the plugin is opened, its uses are bound to that
// other definition (ELF interposition), so its C code calls the other
// file's function or reads and writes the other file's variable.
type Interposition struct {
	Symbol string `json:"symbol"`
	// Kind is "function" or "variable".
	Kind string `json:"kind"`
	// DefinedBy is the file whose definition the plugin gets.
	DefinedBy string `json:"defined_by"`
	// Users are the plugin's functions that use the symbol and will get the
	// other definition (C.name for a cgo call from Go); empty when the
	// checker could not find them.
	Users []string `json:"users,omitempty"`
}

// cDefinition is the first exported definition of a C symbol in load order.
type cDefinition struct {
	from *Binary
}

// interpositions finds the plugin's C uses that an earlier definition
// takes. A use whose every user belongs to code the defining file links
// too is left out: that is one C library linked into both (a cgo package
// the host and the plugin share), whose copy in the plugin is replaced as
// a whole.
func interpositions(p *Binary, defined map[string]cDefinition) []Interposition {
	var out []Interposition
	for _, u := range p.CUses {
		d, ok := defined[u.Name]
		if !ok || d.from == p {
			continue
		}
		var live []string
		for _, user := range u.Users {
			if !sharedUser(user, p, d.from) {
				live = append(live, describeUser(user))
			}
		}
		if len(u.Users) > 0 && len(live) == 0 {
			continue
		}
		kind := "function"
		if u.Variable {
			kind = "variable"
		}
		out = append(out, Interposition{Symbol: u.Name, Kind: kind, DefinedBy: d.from.Path, Users: live})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Symbol < out[j].Symbol })
	return out
}

// sharedUser reports whether a user of a C symbol in plugin p is code that
// the defining file has as well, so that the user is itself replaced, or
// is the same code: a C function def exports too (the toolchain's
// included: Go 1.27's runtime/cgo made threadentry global, whose one user
// is runtime/cgo's _cgo_sys_thread_start), a cgo wrapper of a
// package with the same cgo prefix (cgo derives it from the package's Go
// files, its preambles included), or a Go function of a package both link
// with the same hash.
func sharedUser(user string, p, def *Binary) bool {
	if def.CExports[user] || def.toolchainC[user] {
		return true
	}
	if prefix, ok := cgoPrefix(user); ok {
		return def.cgoPrefixes[prefix]
	}
	if pkg := goPackageOf(user); pkg != "" {
		h, ok := def.Hashes[pkg]
		return ok && h == p.LinkHashes[pkg]
	}
	return false
}

// cgoPrefix returns the "_cgo_<hex>_" of a cgo wrapper's name.
func cgoPrefix(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "_cgo_")
	if !ok {
		return "", false
	}
	hex, _, ok := strings.Cut(rest, "_")
	if !ok || len(hex) < 8 || strings.Trim(hex, "0123456789abcdef") != "" {
		return "", false
	}
	return "_cgo_" + hex + "_", true
}

// goPackageOf returns the package of a Go function symbol, or "".
func goPackageOf(name string) string {
	slash := strings.LastIndexByte(name, '/')
	dot := strings.IndexByte(name[slash+1:], '.')
	if dot <= 0 || strings.ContainsAny(name, ":") {
		return ""
	}
	return name[:slash+1+dot]
}

// describeUser names a user for people: a cgo wrapper as the call C.name.
func describeUser(user string) string {
	if prefix, ok := cgoPrefix(user); ok {
		if fn, ok := strings.CutPrefix(user[len(prefix):], "Cfunc_"); ok {
			return "C." + fn + " (the cgo wrapper, with the C code it inlines)"
		}
	}
	if pkg, v, ok := strings.Cut(user, "._Cvar_"); ok {
		return "C." + v + " in the Go code of " + pkg
	}
	if user == "?" {
		return "code without a symbol"
	}
	return user
}
