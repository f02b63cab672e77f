package plugincheck

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// The Go runtime's view of a plugin is its module data (runtime.moduledata,
// the local symbol local.moduledata in a plugin): pointers into the
// function table, type data, itabs, the exported symbols, the package
// hashes and the init tasks. plugin.Open reads all of them, and throws or
// crashes on bad ones. The linker also describes most of them with symbols
// of .symtab (runtime.text, go:link.pkgname.N, ...), so the checks below
// compare the two and follow each table the runtime walks.
//
// The layout is the one of Go 1.26 on 64-bit machines; a plugin of another
// Go version gets only the ELF checks (and plugin.Open refuses it anyway:
// its runtime package differs from the host's).

// moduledata fields, as indexes of 8-byte words.
const (
	mdPCHeader     = 0
	mdFuncnametab  = 1
	mdCutab        = 4
	mdFiletab      = 7
	mdPctab        = 10
	mdPclntable    = 13
	mdFtab         = 16
	mdFindfunctab  = 19
	mdMinpc        = 20
	mdMaxpc        = 21
	mdText         = 22 // through mdEpclntab: addresses the linker also defines as symbols
	mdEpclntab     = 41
	mdTextsectmap  = 42
	mdTypelinks    = 45
	mdItablinks    = 48
	mdPtab         = 51
	mdPluginpath   = 54
	mdPkghashes    = 56
	mdInittasks    = 59
	mdModulename   = 62
	mdModulehashes = 64
	mdWords        = 74 // 592 bytes
)

// boundarySymbols are the symbols that define the moduledata words from
// mdText on, in order.
var boundarySymbols = []string{
	"runtime.text", "runtime.etext", "runtime.noptrdata", "runtime.enoptrdata", "runtime.data", "runtime.edata",
	"runtime.bss", "runtime.ebss", "runtime.noptrbss", "runtime.enoptrbss", "runtime.covctrs", "runtime.ecovctrs",
	"runtime.end", "runtime.gcdata", "runtime.gcbss", "runtime.types", "runtime.etypes", "runtime.rodata",
	"go:func.*", "runtime.epclntab",
}

// goModule is the module data of a plugin, read through its relocations.
type goModule struct {
	m    *image
	base uint64 // address of local.moduledata
}

func (g goModule) addr(word int) uint64 { return g.base + uint64(8*word) }

func (g goModule) ptr(word int) (uint64, string, error) { return g.m.pointer(g.addr(word)) }

func (g goModule) word(word int) (uint64, error) { return g.m.u64(g.addr(word)) }

// slice reads a slice header: the target, and length equal to capacity.
func (g goModule) slice(word int, elem uint64) (ptr, n uint64, err error) {
	ptr, _, err = g.ptr(word)
	if err != nil {
		return 0, 0, err
	}
	n, err = g.word(word + 1)
	if err != nil {
		return 0, 0, err
	}
	c, err := g.word(word + 2)
	if err != nil {
		return 0, 0, err
	}
	if n != c || n > 1<<28 || (n > 0 && !g.m.mapped(ptr, n*elem)) {
		return 0, 0, corruptf("module data word %d: a slice of %d (capacity %d) at %#x", word, n, c, ptr)
	}
	return ptr, n, nil
}

// str reads a string header and the string.
func (g goModule) str(word int) (string, error) {
	p, _, err := g.ptr(word)
	if err != nil {
		return "", err
	}
	n, err := g.word(word + 1)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	b, err := g.m.read(p, n)
	return string(b), err
}

func (m *image) checkGoModule() error {
	md, ok := m.symbolNamed("local.moduledata")
	if !ok {
		return corruptf("no Go module data (local.moduledata) in the symbol table")
	}
	if md.size != 8*mdWords {
		// Another Go version's layout: left to the runtime hash check.
		return nil
	}
	if !m.writable(md.value, md.size) {
		return corruptf("the Go module data lies outside the writable segment")
	}
	g := goModule{m: m, base: md.value}
	for _, check := range []func() error{g.checkBoundaries, g.checkPclntab, g.checkTables, g.checkPlugin, g.checkRest} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// checkBoundaries compares the section boundaries of the module data with
// the symbols that define them.
func (g goModule) checkBoundaries() error {
	for i, name := range boundarySymbols {
		s, ok := g.m.symbolNamed(name)
		if !ok {
			return corruptf("no symbol %s", name)
		}
		v, _, err := g.ptr(mdText + i)
		if err != nil {
			return err
		}
		if v != s.value {
			return corruptf("the module data has %s at %#x, the symbol table at %#x", name, v, s.value)
		}
		if !g.m.mapped(v, 0) {
			return corruptf("%s (%#x) is outside the plugin", name, v)
		}
	}
	for i := mdText; i < mdText+len(boundarySymbols)-1; i += 2 {
		if i >= mdText+12 { // end, gcdata, gcbss, types, ... are not pairs
			break
		}
		lo, _ := g.m.pointerValue(g.addr(i))
		hi, _ := g.m.pointerValue(g.addr(i + 1))
		if lo > hi {
			return corruptf("%s is after %s", boundarySymbols[i-mdText], boundarySymbols[i+1-mdText])
		}
	}
	return nil
}

// pointerValue is pointer without the symbol.
func (m *image) pointerValue(va uint64) (uint64, error) {
	v, _, err := m.pointer(va)
	return v, err
}

// checkPclntab checks the function table: its header, the placement of
// its parts, the order of the functions, each function's record against
// the symbol table, and the lookup table findfunc uses.
func (g goModule) checkPclntab() error {
	m := g.m
	hdrAt, _, err := g.ptr(mdPCHeader)
	if err != nil {
		return err
	}
	if s, ok := m.symbolNamed("runtime.pclntab"); !ok || s.value != hdrAt {
		return corruptf("the module data's pcHeader (%#x) is not runtime.pclntab", hdrAt)
	}
	hdr, err := m.read(hdrAt, 72)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	if le.Uint32(hdr) != 0xfffffff1 || hdr[4] != 0 || hdr[5] != 0 || hdr[6] != 1 || hdr[7] != 8 {
		return corruptf("the function table header is % x; the runtime would throw \"invalid function symbol table\"", hdr[:8])
	}
	nfunc, nfiles := le.Uint64(hdr[8:]), le.Uint64(hdr[16:])
	end, _ := m.pointerValue(g.addr(mdEpclntab))
	type part struct {
		word   int
		hdrOff int // offset of its offset in the header
		elem   uint64
	}
	var ptrs [5]uint64
	var lens [5]uint64
	prevEnd := hdrAt + 72
	for i, p := range []part{{mdFuncnametab, 32, 1}, {mdCutab, 40, 4}, {mdFiletab, 48, 1}, {mdPctab, 56, 1}, {mdPclntable, 64, 1}} {
		ptr, n, err := g.slice(p.word, p.elem)
		if err != nil {
			return err
		}
		if p.hdrOff < 72 && ptr != hdrAt+le.Uint64(hdr[p.hdrOff:]) {
			return corruptf("module data word %d (%#x) disagrees with the function table header (offset %#x)", p.word, ptr, le.Uint64(hdr[p.hdrOff:]))
		}
		if ptr < prevEnd || ptr+n*p.elem > end {
			return corruptf("module data word %d: %d bytes at %#x are out of place in the function table", p.word, n*p.elem, ptr)
		}
		prevEnd, ptrs[i], lens[i] = ptr+n*p.elem, ptr, n*p.elem
	}
	if last := le.Uint64(hdr[64:]); ptrs[4] != hdrAt+last {
		return corruptf("the function records are not where the header says")
	}
	// The file table is nfiles names; each entry of the compilation unit
	// table is the offset of one, or ^0.
	filetab, err := m.read(ptrs[2], lens[2])
	if err != nil {
		return err
	}
	if nfiles > uint64(len(filetab)) || len(filetab) > 0 && filetab[len(filetab)-1] != 0 {
		return corruptf("the function table header counts %d files in %d bytes of names", nfiles, len(filetab))
	}
	cutab, err := m.read(ptrs[1], lens[1])
	if err != nil {
		return err
	}
	for i := 0; i < len(cutab); i += 4 {
		off := le.Uint32(cutab[i:])
		if off != ^uint32(0) && (int(off) >= len(filetab) || off > 0 && filetab[off-1] != 0) {
			return corruptf("compilation unit entry %d (%#x) is not the start of a file name", i/4, off)
		}
	}
	funcnametab, pctabLen, pclntable := ptrs[0], lens[3], ptrs[4]

	ftabAt, n, err := g.slice(mdFtab, 8)
	if err != nil {
		return err
	}
	if ftabAt != pclntable || n != nfunc+1 {
		return corruptf("the function index (%d entries at %#x) disagrees with the header (%d functions at %#x)", n, ftabAt, nfunc, pclntable)
	}
	ftab, err := m.read(ftabAt, 8*n)
	if err != nil {
		return err
	}
	text, _ := m.pointerValue(g.addr(mdText))
	// minpc and maxpc are relocated like pointers.
	minpc, _ := m.pointerValue(g.addr(mdMinpc))
	maxpc, _ := m.pointerValue(g.addr(mdMaxpc))
	entries := make([]uint32, n)
	for i := range entries {
		entries[i] = le.Uint32(ftab[8*i:])
		if i > 0 && entries[i] < entries[i-1] {
			return corruptf("function %d is out of order in the function index; the runtime would throw \"invalid runtime symbol table\"", i)
		}
	}
	if text+uint64(entries[0]) != minpc || text+uint64(entries[n-1]) != maxpc {
		return corruptf("the function index spans %#x-%#x, the module data says %#x-%#x", text+uint64(entries[0]), text+uint64(entries[n-1]), minpc, maxpc)
	}
	nameBytes, err := m.read(funcnametab, lens[0])
	if err != nil {
		return err
	}
	names := string(nameBytes) // one string: each function's name is a part of it
	for i := uint64(0); i < nfunc; i++ {
		funcoff := uint64(le.Uint32(ftab[8*i+4:]))
		if funcoff+44 > lens[4] {
			return corruptf("function %d's record is outside the function table", i)
		}
		rec, err := m.read(pclntable+funcoff, 44)
		if err != nil {
			return err
		}
		entryOff, nameOff := le.Uint32(rec), le.Uint32(rec[4:])
		pcsp, pcfile, pcln, npcdata, cuOffset := le.Uint32(rec[16:]), le.Uint32(rec[20:]), le.Uint32(rec[24:]), le.Uint32(rec[28:]), le.Uint32(rec[32:])
		nfuncdata := uint64(rec[43])
		if entryOff != entries[i] {
			return corruptf("function %d's record starts at %#x, the index says %#x", i, entryOff, entries[i])
		}
		if uint64(nameOff) >= uint64(len(names)) || (nameOff > 0 && names[nameOff-1] != 0) {
			return corruptf("function %d has a name outside the name table", i)
		}
		nameEnd := strings.IndexByte(names[nameOff:], 0)
		if nameEnd < 0 {
			return corruptf("function %d has an unterminated name", i)
		}
		name := names[nameOff : int(nameOff)+nameEnd]
		if _, ok := m.symbolAt(text+uint64(entryOff), ""); !ok || name == "" {
			return corruptf("function %d (%q) starts at %#x, where no symbol does", i, name, text+uint64(entryOff))
		}
		if uint64(pcsp) >= pctabLen || uint64(pcfile) >= pctabLen || uint64(pcln) >= pctabLen || uint64(cuOffset) >= lens[1]/4 && cuOffset != ^uint32(0) {
			return corruptf("function %s has tables outside the function table", name)
		}
		if npcdata > 64 || nfuncdata > 64 || funcoff+44+4*uint64(npcdata)+4*nfuncdata > lens[4] {
			return corruptf("function %s has %d pc tables and %d data entries", name, npcdata, nfuncdata)
		}
		extra, err := m.read(pclntable+funcoff+44, 4*uint64(npcdata))
		if err != nil {
			return err
		}
		for j := uint64(0); j < uint64(npcdata); j++ {
			if uint64(le.Uint32(extra[4*j:])) >= pctabLen {
				return corruptf("function %s has a pc table outside the function table", name)
			}
		}
	}
	return g.checkFindfunctab(entries, minpc, maxpc)
}

// checkFindfunctab rebuilds the table findfunc uses to map a pc to its
// function (buckets of 4096 bytes, 16 sub-buckets each) from the function
// index, as the linker does, and compares it with the file.
func (g goModule) checkFindfunctab(entries []uint32, minpc, maxpc uint64) error {
	const bucket, sub = 4096, 256
	at, _, err := g.ptr(mdFindfunctab)
	if err != nil {
		return err
	}
	if s, ok := g.m.symbolNamed("runtime.findfunctab"); !ok || s.value != at {
		return corruptf("the module data's findfunctab is not runtime.findfunctab")
	}
	nsub := (maxpc - minpc + sub - 1) / sub
	nbuckets := (maxpc - minpc + bucket - 1) / bucket
	indexes := make([]uint32, nsub)
	for i := range indexes {
		indexes[i] = ^uint32(0)
	}
	base := uint64(entries[0])
	for idx := 0; idx+1 < len(entries); idx++ {
		p, q := uint64(entries[idx])-base, uint64(entries[idx+1])-base
		for ; p < q; p += sub {
			if j := p / sub; indexes[j] > uint32(idx) {
				indexes[j] = uint32(idx)
			}
		}
		if q > 0 {
			if j := (q - 1) / sub; indexes[j] > uint32(idx) {
				indexes[j] = uint32(idx)
			}
		}
	}
	want := make([]byte, 20*nbuckets)
	for i := uint64(0); i < nbuckets; i++ {
		b := indexes[i*16]
		binary.LittleEndian.PutUint32(want[20*i:], b)
		for j := uint64(0); j < 16 && i*16+j < nsub; j++ {
			want[20*i+4+j] = byte(indexes[i*16+j] - b)
		}
	}
	// The last bucket may be cut short: the linker writes only its
	// sub-buckets that exist.
	size := 4*nbuckets + nsub
	got, err := g.m.read(at, size)
	if err != nil {
		return err
	}
	if !bytes.Equal(got, want[:size]) {
		return corruptf("the pc lookup table (findfunctab) differs from the one the function index gives")
	}
	return nil
}

// checkTables follows typelinks, itablinks and the text section map.
func (g goModule) checkTables() error {
	m := g.m
	types, _ := m.pointerValue(g.addr(mdText + 15))
	etypes, _ := m.pointerValue(g.addr(mdText + 16))
	at, n, err := g.slice(mdTypelinks, 4)
	if err != nil {
		return err
	}
	links, err := m.read(at, 4*n)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		off := int64(int32(binary.LittleEndian.Uint32(links[4*i:])))
		t := types + uint64(off)
		if off < 0 || t >= etypes {
			return corruptf("type link %d (%#x) is outside the type data", i, off)
		}
		if s, ok := m.symbolAt(t, "type:"); !ok || !strings.HasPrefix(s.name, "type:") {
			return corruptf("type link %d (%#x) does not point at a type", i, off)
		}
	}
	at, n, err = g.slice(mdItablinks, 8)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		itab, _, err := m.pointer(at + 8*i)
		if err != nil {
			return err
		}
		if err := g.checkItab(itab); err != nil {
			return corruptf("itab link %d: %v", i, err)
		}
	}
	at, n, err = g.slice(mdTextsectmap, 24)
	if err != nil {
		return err
	}
	if s, ok := m.symbolNamed("runtime.textsectionmap"); !ok || s.value != at || n == 0 || n > 64 {
		return corruptf("the text section map is not runtime.textsectionmap")
	}
	text, _ := m.pointerValue(g.addr(mdText))
	etext, _ := m.pointerValue(g.addr(mdText + 1))
	for i := uint64(0); i < n; i++ {
		// {vaddr, end uintptr; baseaddr pointer}: offsets in the text as
		// the Go linker laid it out, one past the end, and the address.
		vaddr, err := m.u64(at + 24*i)
		if err != nil {
			return err
		}
		end, err := m.u64(at + 24*i + 8)
		if err != nil {
			return err
		}
		baseaddr, err := m.pointerValue(at + 24*i + 16)
		if err != nil {
			return err
		}
		if baseaddr < text || vaddr > end || baseaddr+(end-vaddr) > etext+1 || !m.executable(baseaddr) {
			return corruptf("text section %d (%#x-%#x at %#x) is outside the text", i, vaddr, end, baseaddr)
		}
	}
	return nil
}

// checkItab checks one itab: it is one, its interface and type are types,
// and its hash is its type's.
func (g goModule) checkItab(at uint64) error {
	m := g.m
	if s, ok := m.symbolAt(at, "go:itab."); !ok || !strings.HasPrefix(s.name, "go:itab.") {
		return fmt.Errorf("%#x is not an itab", at)
	}
	inter, interSym, err := m.pointer(at)
	if err != nil {
		return err
	}
	typ, typSym, err := m.pointer(at + 8)
	if err != nil {
		return err
	}
	for _, t := range []struct {
		va  uint64
		sym string
	}{{inter, interSym}, {typ, typSym}} {
		s, ok := m.symbolAt(t.va, "type:")
		if t.sym != "" {
			s, ok = rawSym{name: t.sym}, true
		}
		if !ok || !strings.HasPrefix(s.name, "type:") {
			return fmt.Errorf("points at %#x, which is not a type", t.va)
		}
	}
	hash, err := m.u32(at + 16)
	if err != nil {
		return err
	}
	typeHash, err := m.u32(typ + 16)
	if err != nil {
		return err
	}
	if hash != typeHash {
		return fmt.Errorf("its hash %#x is not its type's %#x", hash, typeHash)
	}
	return nil
}

// checkPlugin checks what plugin.Open itself reads: the pluginpath, the
// package hashes it compares, and the exported symbols it looks up.
func (g goModule) checkPlugin() error {
	m := g.m
	path, err := g.str(mdPluginpath)
	if err != nil {
		return err
	}
	if s, ok := m.symbolNamed(pluginPathSymbol); !ok || path == "" {
		return corruptf("the module data's pluginpath is empty or %s is missing", pluginPathSymbol)
	} else if data, err := m.read(s.value, s.size); err != nil || string(data) != path {
		return corruptf("the module data's pluginpath %q is not %s", path, pluginPathSymbol)
	}

	at, n, err := g.slice(mdPkghashes, 40)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		e := goModule{m: m, base: at + 40*i}
		name, err := e.str(0)
		if err != nil {
			return err
		}
		hash, err := e.str(2)
		if err != nil {
			return err
		}
		idx := strconv.FormatUint(i, 10)
		for _, want := range []struct{ sym, value string }{{"go:link.pkgname." + idx, name}, {"go:link.pkglinkhash." + idx, hash}} {
			s, ok := m.symbolNamed(want.sym)
			if !ok {
				return corruptf("package hash %d: no symbol %s", i, want.sym)
			}
			if data, err := m.read(s.value, s.size); err != nil || string(data) != want.value {
				return corruptf("package hash %d (%s): the module data and %s differ", i, name, want.sym)
			}
		}
		if _, sym, err := e.ptr(4); err != nil || sym != "go:link.pkghash."+name {
			return corruptf("package hash %d (%s): the runtime hash it compares with is %q", i, name, sym)
		}
	}
	if _, ok := m.symbolNamed("go:link.pkgname." + strconv.FormatUint(n, 10)); ok {
		return corruptf("the symbol table lists more package hashes than the module data's %d", n)
	}

	types, _ := m.pointerValue(g.addr(mdText + 15))
	etypes, _ := m.pointerValue(g.addr(mdText + 16))
	// The defined dynamic symbols plugin.Open may look up: those of the
	// plugin's own package.
	exported, prefix := map[string]bool{}, path+"."
	for _, s := range m.dynsyms {
		if s.shndx != uint16(elf.SHN_UNDEF) && strings.HasPrefix(s.name, prefix) {
			exported[s.name] = true
		}
	}
	at, n, err = g.slice(mdPtab, 8)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		nameOff, err := m.u32(at + 8*i)
		if err != nil {
			return err
		}
		typOff, err := m.u32(at + 8*i + 4)
		if err != nil {
			return err
		}
		name, err := g.typeName(types+uint64(nameOff), etypes)
		if err != nil {
			return corruptf("exported symbol %d: %v", i, err)
		}
		if t := types + uint64(typOff); t >= etypes {
			return corruptf("exported symbol %s has its type outside the type data", name)
		} else if s, ok := m.symbolAt(t, "type:"); !ok || !strings.HasPrefix(s.name, "type:") {
			return corruptf("exported symbol %s has a type that is not one", name)
		}
		if !exported[path+"."+name] {
			return corruptf("exported symbol %s: the dynamic symbols lack %s.%s, which plugin.Open looks up", name, path, name)
		}
	}
	return nil
}

// typeName reads a name of the type data (internal/abi.Name): a flags
// byte, a varint length, the bytes.
func (g goModule) typeName(at, end uint64) (string, error) {
	if at >= end {
		return "", fmt.Errorf("its name is outside the type data")
	}
	b, err := g.m.read(at, min(end-at, 1+10+4096))
	if err != nil {
		return "", err
	}
	n, k := binary.Uvarint(b[1:])
	if k <= 0 || n == 0 || uint64(1+k)+n > uint64(len(b)) {
		return "", fmt.Errorf("its name at %#x is malformed", at)
	}
	return string(b[1+k : 1+uint64(k)+n]), nil
}

// checkRest checks the init tasks, and that the module data says what a
// plugin's does: no module name, no module hashes, no main, nothing else set.
func (g goModule) checkRest() error {
	m := g.m
	at, n, err := g.slice(mdInittasks, 8)
	if err != nil {
		return err
	}
	for i := uint64(0); i < n; i++ {
		task, _, err := m.pointer(at + 8*i)
		if err != nil {
			return err
		}
		if s, ok := m.symbolAt(task, ""); !ok || !strings.HasSuffix(s.name, "..inittask") {
			return corruptf("init task %d (%#x) is not an init task", i, task)
		}
		state, err := m.u32(task)
		if err != nil {
			return err
		}
		nfns, err := m.u32(task + 4)
		if err != nil {
			return err
		}
		if state != 0 || nfns > 1<<16 {
			return corruptf("init task %d: state %d, %d functions", i, state, nfns)
		}
		for j := uint64(0); j < uint64(nfns); j++ {
			fn, _, err := m.pointer(task + 8 + 8*j)
			if err != nil {
				return err
			}
			if err := m.isFunction(fn); err != nil {
				return corruptf("init task %d, function %d: %v", i, j, err)
			}
		}
	}
	for w := mdModulename; w < mdWords; w++ {
		if _, ok := m.relocAt(g.addr(w)); ok {
			return corruptf("module data word %d is relocated; a plugin's is zero", w)
		}
		if v, err := g.word(w); err != nil || v != 0 {
			return corruptf("module data word %d is %#x; a plugin's is zero", w, v)
		}
	}
	return nil
}
