package plugincheck

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// ErrCorrupt is returned for a plugin file that is damaged or inconsistent:
// it does not match its Go build ID, or the structures that the dynamic
// loader and the Go runtime read when it is opened are malformed or
// disagree with the copies the linker wrote elsewhere in the file. Opening
// such a file could fail, crash the process or go wrong later, so it is
// refused before dlopen.
var ErrCorrupt = errors.New("damaged plugin file")

// validatePlugin checks what plugin.Open relies on, before anything is
// mapped: the Go build ID's content hash when the file has one (it covers
// every byte), the ELF structures the dynamic loader reads, and the Go
// module data the runtime reads. A content hash that does not match is
// reported first. It reports whether the content hash was checked.
//
// It also returns the C symbols the plugin uses through the dynamic linker
// (see cUses), read from the checked structures.
func validatePlugin(file []byte, f *elf.File) (hashed bool, uses []CUse, err error) {
	content, hashed, err := newContentCheck(file, f)
	if err != nil {
		return false, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	// Hashing takes about as long as all the other checks, and only reads
	// the file: it runs beside them. Nothing returns (or panics) before it
	// is done with the file.
	var contentErr error
	var hashing sync.WaitGroup
	defer hashing.Wait()
	if hashed {
		hashing.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					contentErr = fmt.Errorf("hashing the file: %v", p)
				}
			}()
			contentErr = content.verify(file)
		})
	}
	uses, structErr := checkStructures(file, f)
	hashing.Wait()
	if contentErr != nil {
		return true, nil, fmt.Errorf("%w: %v", ErrCorrupt, contentErr)
	}
	if structErr != nil {
		return hashed, nil, structErr
	}
	return hashed, uses, nil
}

// checkStructures checks the ELF structures and the Go module data, and
// then reads the plugin's C uses from them.
func checkStructures(file []byte, f *elf.File) ([]CUse, error) {
	m := newImage(file, f)
	defer images.Put(m)
	if err := m.load(); err != nil {
		return nil, err
	}
	for _, check := range []func() error{m.checkSections, m.checkDynamic, m.checkSymbols, m.checkVersions, m.checkGNUHash, m.checkRelocs, m.checkInitArrays, m.checkGoModule} {
		if err := check(); err != nil {
			return nil, err
		}
	}
	return m.cUses(), nil
}

// load checks the ELF header and program headers as the dynamic loader
// does, and reads the dynamic section, symbols and relocations.
func (m *image) load() error {
	if len(m.file) < 64 {
		return corruptf("reading the ELF header: %v", io.ErrUnexpectedEOF)
	}
	hdr := m.file[:64]
	le := binary.LittleEndian
	switch {
	case hdr[elf.EI_CLASS] != byte(elf.ELFCLASS64) || hdr[elf.EI_DATA] != byte(elf.ELFDATA2LSB) || hdr[elf.EI_VERSION] != byte(elf.EV_CURRENT):
		return corruptf("ELF header: class %d, data %d, version %d; want a 64-bit little-endian ELF file", hdr[elf.EI_CLASS], hdr[elf.EI_DATA], hdr[elf.EI_VERSION])
	case hdr[elf.EI_OSABI] != byte(elf.ELFOSABI_NONE) && hdr[elf.EI_OSABI] != byte(elf.ELFOSABI_LINUX):
		return corruptf("ELF header: OS ABI %d", hdr[elf.EI_OSABI])
	case !allZero(hdr[elf.EI_ABIVERSION:elf.EI_NIDENT]):
		return corruptf("ELF header: ABI version or padding is not zero")
	case elf.Type(le.Uint16(hdr[16:])) != elf.ET_DYN:
		return corruptf("ELF header: type %v, want ET_DYN", elf.Type(le.Uint16(hdr[16:])))
	case le.Uint32(hdr[20:]) != uint32(elf.EV_CURRENT):
		return corruptf("ELF header: version %d", le.Uint32(hdr[20:]))
	case le.Uint16(hdr[52:]) != 64 || le.Uint16(hdr[54:]) != 56 || le.Uint16(hdr[58:]) != 64:
		return corruptf("ELF header: header sizes %d/%d/%d, want 64/56/64", le.Uint16(hdr[52:]), le.Uint16(hdr[54:]), le.Uint16(hdr[58:]))
	case le.Uint32(hdr[48:]) != 0:
		return corruptf("ELF header: flags %#x", le.Uint32(hdr[48:]))
	}
	if err := m.checkProgs(); err != nil {
		return err
	}
	if err := m.readDynamic(); err != nil {
		return err
	}
	var err error
	if m.dynsyms, err = m.readSymtab(m.dynsyms, ".dynsym", elf.SHT_DYNSYM); err != nil {
		return err
	}
	if m.syms, err = m.readSymtab(m.syms, ".symtab", elf.SHT_SYMTAB); err != nil {
		return err
	}
	m.indexSymbols()
	return m.readRelocs()
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// Program header types the Go toolchain's plugins (linked by GNU ld, gold
// or lld) have; anything else is refused rather than guessed about.
var knownProgs = map[elf.ProgType]bool{
	elf.PT_LOAD: true, elf.PT_DYNAMIC: true, elf.PT_NOTE: true, elf.PT_TLS: true, elf.PT_PHDR: true,
	elf.PT_GNU_EH_FRAME: true, elf.PT_GNU_STACK: true, elf.PT_GNU_RELRO: true, elf.PT_GNU_PROPERTY: true,
}

// checkProgs checks the program headers as ld.so does when it maps the
// file, and more strictly: loadable segments in order, page-aligned,
// inside the file, one dynamic segment inside them.
func (m *image) checkProgs() error {
	const page = 4096
	var dynamic, tls, relro int
	for i, p := range m.f.Progs {
		h := p.ProgHeader
		if !knownProgs[h.Type] {
			return corruptf("program header %d has type %v", i, h.Type)
		}
		if h.Off > uint64(m.size) || h.Filesz > uint64(m.size)-h.Off {
			return corruptf("program header %d (%v) reaches past the end of the file", i, h.Type)
		}
		if h.Filesz > h.Memsz {
			return corruptf("program header %d (%v) has more bytes in the file than in memory", i, h.Type)
		}
		if h.Paddr != h.Vaddr {
			return corruptf("program header %d (%v): physical address %#x is not the virtual one %#x", i, h.Type, h.Paddr, h.Vaddr)
		}
		if h.Align > 1 && (h.Align&(h.Align-1) != 0 || (h.Vaddr-h.Off)%h.Align != 0) {
			return corruptf("program header %d (%v): alignment %#x does not fit offset %#x and address %#x", i, h.Type, h.Align, h.Off, h.Vaddr)
		}
		switch h.Type {
		case elf.PT_LOAD:
			if h.Align < page || h.Flags&^(elf.PF_R|elf.PF_W|elf.PF_X) != 0 {
				return corruptf("loadable segment %d: alignment %#x, flags %v", i, h.Align, h.Flags)
			}
			if n := len(m.loads); n > 0 {
				prev := m.loads[n-1]
				if h.Vaddr < prev.Vaddr+prev.Memsz || h.Off < prev.Off+prev.Filesz {
					return corruptf("loadable segment %d overlaps the one before it or is out of order", i)
				}
			}
			if h.Vaddr+h.Memsz < h.Vaddr || h.Vaddr+h.Memsz > 1<<40 {
				return corruptf("loadable segment %d is %#x bytes at %#x", i, h.Memsz, h.Vaddr)
			}
			m.loads = append(m.loads, h)
		case elf.PT_DYNAMIC:
			dynamic++
		case elf.PT_TLS:
			tls++
		case elf.PT_GNU_RELRO:
			relro++
		case elf.PT_GNU_STACK:
			if h.Flags&elf.PF_X != 0 {
				return corruptf("it asks for an executable stack")
			}
		}
	}
	if len(m.loads) == 0 || m.loads[0].Off != 0 {
		return corruptf("no loadable segment starts the file")
	}
	if dynamic != 1 || tls > 1 || relro > 1 {
		return corruptf("%d dynamic, %d TLS and %d RELRO segments; want 1, at most 1, at most 1", dynamic, tls, relro)
	}
	for i, p := range m.f.Progs {
		h := p.ProgHeader
		switch h.Type {
		case elf.PT_LOAD, elf.PT_GNU_STACK:
			continue
		case elf.PT_TLS:
			if !m.mapped(h.Vaddr, h.Filesz) {
				return corruptf("the TLS segment lies outside the loaded segments")
			}
			continue
		}
		if off, ok := m.fileRange(h.Vaddr, h.Filesz); !ok || uint64(off) != h.Off {
			return corruptf("program header %d (%v) is not inside a loadable segment", i, h.Type)
		}
	}
	return nil
}

// Section types a Go plugin has; each allocated one must sit in a segment
// at the place its address says.
func (m *image) checkSections() error {
	names := map[string]bool{}
	for i, s := range m.f.Sections {
		h := s.SectionHeader
		if i == 0 {
			if h.Type != elf.SHT_NULL {
				return corruptf("section 0 is not empty")
			}
			continue
		}
		if names[h.Name] && h.Name != "" {
			return corruptf("two sections are named %s", h.Name)
		}
		names[h.Name] = true
		if h.Type != elf.SHT_NOBITS && (h.Offset > uint64(m.size) || h.FileSize > uint64(m.size)-h.Offset) {
			return corruptf("section %s reaches past the end of the file", h.Name)
		}
		if h.Link >= uint32(len(m.f.Sections)) {
			return corruptf("section %s links to section %d, which does not exist", h.Name, h.Link)
		}
		if h.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		if h.Type == elf.SHT_NOBITS {
			if !m.mapped(h.Addr, h.Size) && h.Flags&elf.SHF_TLS == 0 {
				return corruptf("section %s lies outside the loaded segments", h.Name)
			}
			continue
		}
		if off, ok := m.fileRange(h.Addr, h.Size); !ok || uint64(off) != h.Offset {
			return corruptf("section %s (address %#x, offset %#x) does not sit where the loaded segments put it", h.Name, h.Addr, h.Offset)
		}
	}
	return nil
}

// readDynamic reads the dynamic segment up to DT_NULL.
func (m *image) readDynamic() error {
	var dyn elf.ProgHeader
	for _, p := range m.f.Progs {
		if p.Type == elf.PT_DYNAMIC {
			dyn = p.ProgHeader
		}
	}
	data, err := m.read(dyn.Vaddr, dyn.Filesz)
	if err != nil {
		return err
	}
	for i := 0; ; i += 16 {
		if i+16 > len(data) {
			return corruptf("the dynamic section has no DT_NULL")
		}
		tag := elf.DynTag(binary.LittleEndian.Uint64(data[i:]))
		val := binary.LittleEndian.Uint64(data[i+8:])
		if tag == elf.DT_NULL {
			break
		}
		if !knownDynTags[tag] {
			return corruptf("the dynamic section has entry %v", tag)
		}
		m.dyn[tag] = append(m.dyn[tag], val)
	}
	for _, t := range []elf.DynTag{elf.DT_STRTAB, elf.DT_SYMTAB, elf.DT_STRSZ, elf.DT_SYMENT} {
		if len(m.dyn[t]) != 1 {
			return corruptf("the dynamic section has %d %v entries, want 1", len(m.dyn[t]), t)
		}
	}
	for t, vs := range m.dyn {
		if len(vs) > 1 && t != elf.DT_NEEDED {
			return corruptf("the dynamic section has %d %v entries", len(vs), t)
		}
	}
	return nil
}

// Dynamic tags that GNU ld, gold and lld write into a Go plugin.
var knownDynTags = map[elf.DynTag]bool{
	elf.DT_NEEDED: true, elf.DT_SONAME: true, elf.DT_RUNPATH: true, elf.DT_RPATH: true,
	elf.DT_INIT: true, elf.DT_FINI: true, elf.DT_INIT_ARRAY: true, elf.DT_INIT_ARRAYSZ: true,
	elf.DT_FINI_ARRAY: true, elf.DT_FINI_ARRAYSZ: true, elf.DT_GNU_HASH: true, elf.DT_HASH: true,
	elf.DT_STRTAB: true, elf.DT_SYMTAB: true, elf.DT_STRSZ: true, elf.DT_SYMENT: true,
	elf.DT_PLTGOT: true, elf.DT_PLTRELSZ: true, elf.DT_PLTREL: true, elf.DT_JMPREL: true,
	elf.DT_RELA: true, elf.DT_RELASZ: true, elf.DT_RELAENT: true, elf.DT_RELACOUNT: true,
	elf.DT_FLAGS: true, elf.DT_FLAGS_1: true, elf.DT_VERNEED: true, elf.DT_VERNEEDNUM: true,
	elf.DT_VERSYM: true, elf.DT_VERDEF: true, elf.DT_VERDEFNUM: true, elf.DT_DEBUG: true,
}

// dynSection lists, for each address a dynamic entry holds, the section the
// linker also described it with; the two must agree.
var dynSection = []struct {
	addr, size elf.DynTag
	section    string
}{
	{elf.DT_STRTAB, elf.DT_STRSZ, ".dynstr"},
	{elf.DT_SYMTAB, 0, ".dynsym"},
	{elf.DT_GNU_HASH, 0, ".gnu.hash"},
	{elf.DT_HASH, 0, ".hash"},
	{elf.DT_VERSYM, 0, ".gnu.version"},
	{elf.DT_VERNEED, 0, ".gnu.version_r"},
	{elf.DT_VERDEF, 0, ".gnu.version_d"},
	{elf.DT_RELA, elf.DT_RELASZ, ".rela.dyn"},
	{elf.DT_JMPREL, elf.DT_PLTRELSZ, ".rela.plt"},
	{elf.DT_INIT_ARRAY, elf.DT_INIT_ARRAYSZ, ".init_array"},
	{elf.DT_FINI_ARRAY, elf.DT_FINI_ARRAYSZ, ".fini_array"},
	{elf.DT_INIT, 0, ".init"},
	{elf.DT_FINI, 0, ".fini"},
}

func (m *image) dyn1(t elf.DynTag) (uint64, bool) {
	if vs := m.dyn[t]; len(vs) == 1 {
		return vs[0], true
	}
	return 0, false
}

// checkDynamic checks the dynamic entries against the section headers and
// their own rules.
func (m *image) checkDynamic() error {
	var dynSec *elf.Section
	for _, s := range m.f.Sections {
		if s.Type == elf.SHT_DYNAMIC {
			dynSec = s
		}
	}
	for _, p := range m.f.Progs {
		if p.Type == elf.PT_DYNAMIC && (dynSec == nil || dynSec.Addr != p.Vaddr || dynSec.Size != p.Filesz) {
			return corruptf("the dynamic segment and the .dynamic section disagree")
		}
	}
	for _, d := range dynSection {
		addr, hasAddr := m.dyn1(d.addr)
		sec := m.f.Section(d.section)
		switch {
		case !hasAddr && sec == nil:
			continue
		case !hasAddr || sec == nil:
			return corruptf("the dynamic section and the section headers disagree about %s", d.section)
		case addr != sec.Addr:
			return corruptf("%v is %#x, but section %s is at %#x", d.addr, addr, d.section, sec.Addr)
		}
		if d.size != 0 {
			if size, _ := m.dyn1(d.size); size != sec.Size {
				return corruptf("%v is %d, but section %s has %d bytes", d.size, size, d.section, sec.Size)
			}
		}
		if !m.mapped(sec.Addr, sec.Size) {
			return corruptf("section %s lies outside the loaded segments", d.section)
		}
	}
	if v, _ := m.dyn1(elf.DT_SYMENT); v != 24 {
		return corruptf("DT_SYMENT is %d, want 24", v)
	}
	if _, ok := m.dyn1(elf.DT_RELA); ok {
		if v, _ := m.dyn1(elf.DT_RELAENT); v != 24 {
			return corruptf("DT_RELAENT is %d, want 24", v)
		}
	}
	if _, ok := m.dyn1(elf.DT_JMPREL); ok {
		if v, _ := m.dyn1(elf.DT_PLTREL); v != uint64(elf.DT_RELA) {
			return corruptf("DT_PLTREL is %d, want DT_RELA", v)
		}
	}
	if _, ok := m.dyn1(elf.DT_GNU_HASH); !ok {
		if _, ok := m.dyn1(elf.DT_HASH); !ok {
			return corruptf("no symbol hash table (DT_GNU_HASH or DT_HASH)")
		}
	}
	if v, ok := m.dyn1(elf.DT_PLTGOT); ok {
		found := false
		for _, name := range []string{".got.plt", ".got"} {
			if s := m.f.Section(name); s != nil && s.Addr == v {
				found = true
			}
		}
		if !found {
			return corruptf("DT_PLTGOT %#x is not the start of .got.plt or .got", v)
		}
	}
	const knownFlags = uint64(elf.DF_SYMBOLIC | elf.DF_BIND_NOW | elf.DF_STATIC_TLS)
	if v, _ := m.dyn1(elf.DT_FLAGS); v&^knownFlags != 0 {
		return corruptf("DT_FLAGS has flags %#x", v&^knownFlags)
	}
	const knownFlags1 = uint64(elf.DF_1_NOW | elf.DF_1_NODELETE | elf.DF_1_NOOPEN | elf.DF_1_ORIGIN | elf.DF_1_INITFIRST)
	if v, _ := m.dyn1(elf.DT_FLAGS_1); v&^knownFlags1 != 0 {
		return corruptf("DT_FLAGS_1 has flags %#x", v&^knownFlags1)
	}
	for _, t := range []elf.DynTag{elf.DT_NEEDED, elf.DT_SONAME, elf.DT_RUNPATH, elf.DT_RPATH} {
		for _, off := range m.dyn[t] {
			s, err := m.dynString(off)
			if err != nil {
				return corruptf("%v: %v", t, err)
			}
			if s == "" {
				return corruptf("%v names nothing", t)
			}
		}
	}
	return nil
}

// dynString reads a string of .dynstr.
func (m *image) dynString(off uint64) (string, error) {
	strtab, _ := m.dyn1(elf.DT_STRTAB)
	strsz, _ := m.dyn1(elf.DT_STRSZ)
	if off >= strsz {
		return "", fmt.Errorf("string offset %d is outside the %d bytes of .dynstr", off, strsz)
	}
	n := min(strsz-off, 4096)
	b, err := m.read(strtab+off, n)
	if err != nil {
		return "", err
	}
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", fmt.Errorf("the string at %d of .dynstr has no end", off)
	}
	return string(b[:i]), nil
}

// readSymtab reads a symbol table section with its names, into syms.
func (m *image) readSymtab(syms []rawSym, name string, typ elf.SectionType) ([]rawSym, error) {
	sec := m.f.Section(name)
	if sec == nil || sec.Type != typ || sec.Entsize != 24 || sec.Size%24 != 0 || sec.Size == 0 {
		return nil, corruptf("no well-formed %s section", name)
	}
	if sec.Link == 0 || sec.Link >= uint32(len(m.f.Sections)) || m.f.Sections[sec.Link].Type != elf.SHT_STRTAB {
		return nil, corruptf("%s links to no string table", name)
	}
	e := elfBytes{m.f, m.file}
	data, err := e.section(sec)
	if err != nil {
		return nil, corruptf("reading %s: %v", name, err)
	}
	strBytes, err := e.section(m.f.Sections[sec.Link])
	if err != nil {
		return nil, corruptf("reading the names of %s: %v", name, err)
	}
	// One string for all the names: each name is a part of it.
	strs := string(strBytes)
	if cap(syms) < len(data)/24 {
		syms = make([]rawSym, len(data)/24)
	}
	syms = syms[:len(data)/24]
	for i := range syms {
		e := data[i*24:]
		nameOff := binary.LittleEndian.Uint32(e)
		if int(nameOff) >= len(strs) && nameOff != 0 {
			return nil, corruptf("symbol %d of %s has its name outside the string table", i, name)
		}
		n := ""
		if nameOff != 0 {
			end := strings.IndexByte(strs[nameOff:], 0)
			if end < 0 {
				return nil, corruptf("symbol %d of %s has an unterminated name", i, name)
			}
			n = strs[nameOff : int(nameOff)+end]
		}
		syms[i] = rawSym{name: n, info: e[4], other: e[5], shndx: binary.LittleEndian.Uint16(e[6:]),
			value: binary.LittleEndian.Uint64(e[8:]), size: binary.LittleEndian.Uint64(e[16:])}
	}
	if syms[0] != (rawSym{}) {
		return nil, corruptf("symbol 0 of %s is not empty", name)
	}
	return syms, nil
}

// checkSymbols checks every dynamic symbol: where it points, and that
// .symtab, which the linker writes from the same data, describes it alike.
func (m *image) checkSymbols() error {
	for i, s := range m.dynsyms[1:] {
		i++
		if err := m.checkSymbolTarget(s); err != nil {
			return corruptf("dynamic symbol %d (%s): %v", i, s.name, err)
		}
		matched, global := false, false
		for j := m.firstNamed(s.name); j != 0; j = m.byName.next[j] {
			if t := m.syms[j]; t.bind() != elf.STB_LOCAL {
				global = true
				if t.info == s.info && t.other == s.other && t.shndx == s.shndx && t.value == s.value && t.size == s.size {
					matched = true
				}
			}
		}
		if !matched && s.shndx == uint16(elf.SHN_UNDEF) {
			matched = !global && m.versionedInSymtab(s)
		}
		if !matched {
			return corruptf("dynamic symbol %d (%q) does not match the symbol table", i, s.name)
		}
	}
	return nil
}

// versionedInSymtab finds an undefined dynamic symbol in .symtab, where
// the linker names it with its version ("malloc@GLIBC_2.2.5").
func (m *image) versionedInSymtab(s rawSym) bool {
	for _, j := range m.versioned[s.name] {
		if t := m.syms[j]; t.info == s.info && t.shndx == s.shndx && t.value == s.value {
			return true
		}
	}
	return false
}

func (m *image) checkSymbolTarget(s rawSym) error {
	switch {
	case s.shndx == uint16(elf.SHN_UNDEF):
		if s.value != 0 {
			return fmt.Errorf("undefined, with a value")
		}
		return nil
	case s.shndx == uint16(elf.SHN_ABS):
		return nil
	case s.shndx >= uint16(elf.SHN_LORESERVE) || int(s.shndx) >= len(m.f.Sections):
		return fmt.Errorf("in section %d, which does not exist", s.shndx)
	}
	if s.name == "" {
		return fmt.Errorf("defined without a name")
	}
	sec := m.f.Sections[s.shndx]
	if s.typ() == elf.STT_TLS {
		for _, p := range m.f.Progs {
			if p.Type == elf.PT_TLS && s.value <= p.Memsz && s.size <= p.Memsz-s.value {
				return nil
			}
		}
		return fmt.Errorf("a TLS symbol outside the TLS segment")
	}
	if s.value < sec.Addr || s.size > sec.Size || s.value-sec.Addr > sec.Size-s.size {
		return fmt.Errorf("outside its section %s", sec.Name)
	}
	if s.typ() == elf.STT_FUNC && !m.executable(s.value) {
		return fmt.Errorf("a function outside the executable segment")
	}
	return nil
}
