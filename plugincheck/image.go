package plugincheck

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
)

// image is a plugin as the dynamic loader maps it: its loadable segments,
// dynamic section, symbols and relocations, read once for the checks of
// validate.go and gomodule.go. Images are reused from plugin to plugin
// (their tables take megabytes).
type image struct {
	file  []byte // the whole file
	size  int64
	f     *elf.File
	loads []elf.ProgHeader // PT_LOAD, in file order
	dyn   map[elf.DynTag][]uint64

	dynsyms []rawSym // .dynsym, index 0 included
	syms    []rawSym // .symtab, index 0 included
	byName  index    // .symtab by name
	byAddr  index    // the defined symbols of .symtab by address
	// versioned are the indexes of the global undefined .symtab symbols
	// named "name@VERSION", by name.
	versioned map[string][]int

	relocs []rela // .rela.dyn then .rela.plt
	relAt  index  // relocs (entry i+1 is relocs[i]) by the address they write
}

var images = sync.Pool{New: func() any { return new(image) }}

// newImage returns an empty image for a file, from the pool; give it back
// with images.Put.
func newImage(file []byte, f *elf.File) *image {
	m := images.Get().(*image)
	*m = image{
		file: file, size: int64(len(file)), f: f,
		loads: m.loads[:0], dyn: m.dyn,
		dynsyms: m.dynsyms[:0], syms: m.syms[:0], byName: m.byName, byAddr: m.byAddr, versioned: m.versioned,
		relocs: m.relocs[:0], relAt: m.relAt,
	}
	if m.dyn == nil {
		m.dyn, m.versioned = map[elf.DynTag][]uint64{}, map[string][]int{}
	}
	clear(m.dyn)
	clear(m.versioned)
	return m
}

// rawSym is a symbol as the file stores it, with its name.
type rawSym struct {
	name  string
	info  byte
	other byte
	shndx uint16
	value uint64
	size  uint64
}

func (s rawSym) bind() elf.SymBind { return elf.ST_BIND(s.info) }
func (s rawSym) typ() elf.SymType  { return elf.ST_TYPE(s.info) }

// rela is one relocation with an addend.
type rela struct {
	off    uint64
	typ    elf.R_X86_64
	sym    uint32
	addend int64
}

// corruptf reports a problem that makes the file unsafe to load.
func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// sizeOf finds the size of what a reader reads.
func sizeOf(r io.ReaderAt) (int64, error) {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size(), nil
	case interface{ Stat() (fs.FileInfo, error) }:
		st, err := v.Stat()
		if err != nil {
			return 0, err
		}
		return st.Size(), nil
	}
	// Probe: the size is where reading starts to fail.
	lo, hi := int64(0), int64(1)
	var b [1]byte
	for {
		if _, err := r.ReadAt(b[:], hi-1); err != nil {
			break
		}
		lo, hi = hi, hi*2
		if hi > 1<<40 {
			return 0, errors.New("cannot find the file size")
		}
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if _, err := r.ReadAt(b[:], mid-1); err == nil {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}

// fileRange maps n bytes at address va to their offset in the file: they
// must lie in the file part of one loadable segment.
func (m *image) fileRange(va, n uint64) (int64, bool) {
	for _, p := range m.loads {
		if va >= p.Vaddr && n <= p.Filesz && va-p.Vaddr <= p.Filesz-n {
			return int64(p.Off + (va - p.Vaddr)), true
		}
	}
	return 0, false
}

// mapped reports whether n bytes at va are mapped (file or zero-filled part).
func (m *image) mapped(va, n uint64) bool {
	for _, p := range m.loads {
		if va >= p.Vaddr && n <= p.Memsz && va-p.Vaddr <= p.Memsz-n {
			return true
		}
	}
	return false
}

// writable reports whether n bytes at va lie in a writable segment.
func (m *image) writable(va, n uint64) bool {
	for _, p := range m.loads {
		if p.Flags&elf.PF_W != 0 && va >= p.Vaddr && n <= p.Memsz && va-p.Vaddr <= p.Memsz-n {
			return true
		}
	}
	return false
}

// executable reports whether va lies in an executable segment.
func (m *image) executable(va uint64) bool {
	for _, p := range m.loads {
		if p.Flags&elf.PF_X != 0 && va >= p.Vaddr && va-p.Vaddr < p.Memsz {
			return true
		}
	}
	return false
}

// read returns the n bytes at address va, as a part of the file (not to
// be written to); bytes of the zero-filled part of a segment read as zero.
func (m *image) read(va, n uint64) ([]byte, error) {
	if n > 1<<30 {
		return nil, corruptf("a read of %d bytes at %#x", n, va)
	}
	if off, ok := m.fileRange(va, n); ok {
		if off < 0 || uint64(off) > uint64(len(m.file)) || n > uint64(len(m.file))-uint64(off) {
			return nil, corruptf("reading %d bytes at %#x: %v", n, va, io.EOF)
		}
		return m.file[off : uint64(off)+n : uint64(off)+n], nil
	}
	if !m.mapped(va, n) {
		return nil, corruptf("%d bytes at %#x are outside the loaded segments", n, va)
	}
	for _, p := range m.loads {
		if va >= p.Vaddr+p.Filesz && va-p.Vaddr <= p.Memsz-n {
			return make([]byte, n), nil
		}
	}
	return nil, corruptf("%d bytes at %#x straddle a segment's file and zero-filled parts", n, va)
}

func (m *image) u32(va uint64) (uint32, error) {
	b, err := m.read(va, 4)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (m *image) u64(va uint64) (uint64, error) {
	b, err := m.read(va, 8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// pointer is the address a pointer-sized word at va holds once loaded,
// relative to the load address, and the symbol it refers to by name, if
// any: the dynamic loader writes it from a relocation.
func (m *image) pointer(va uint64) (target uint64, sym string, err error) {
	r, ok := m.relocAt(va)
	if !ok {
		v, err := m.u64(va)
		if err != nil {
			return 0, "", err
		}
		if v != 0 {
			return 0, "", corruptf("the pointer at %#x has no relocation", va)
		}
		return 0, "", nil
	}
	switch r.typ {
	case elf.R_X86_64_RELATIVE:
		return uint64(r.addend), "", nil
	case elf.R_X86_64_64, elf.R_X86_64_GLOB_DAT:
		s := m.dynsyms[r.sym]
		return s.value + uint64(r.addend), s.name, nil
	}
	return 0, "", corruptf("the pointer at %#x has a relocation of type %v", va, r.typ)
}

// symbolAt returns the .symtab symbol that starts at va, preferring one
// whose name has the prefix; without one, the last in the table.
func (m *image) symbolAt(va uint64, prefix string) (rawSym, bool) {
	var found rawSym
	ok := false
	i := m.byAddr.first(hashAddr(va), func(j int) bool { return m.syms[j].value == va })
	for ; i != 0; i = m.byAddr.next[i] {
		found, ok = m.syms[i], true
		if strings.HasPrefix(found.name, prefix) {
			return found, true
		}
	}
	return found, ok
}

// symbolNamed returns the first .symtab symbol of that name.
func (m *image) symbolNamed(name string) (rawSym, bool) {
	i := m.firstNamed(name)
	return m.syms[i], i != 0
}

// firstNamed returns the index of the first .symtab symbol of that name
// (byName.next gives the others), or 0.
func (m *image) firstNamed(name string) int {
	return m.byName.first(hashString(name), func(j int) bool { return m.syms[j].name == name })
}

// relocAt returns the relocation that writes va.
func (m *image) relocAt(va uint64) (rela, bool) {
	i := m.relAt.first(hashAddr(va), func(j int) bool { return m.relocs[j-1].off == va })
	if i == 0 {
		return rela{}, false
	}
	return m.relocs[i-1], true
}

// indexSymbols indexes the symbols of .symtab by name and by address.
func (m *image) indexSymbols() {
	m.byName.reset(len(m.syms))
	m.byAddr.reset(len(m.syms))
	// Backwards, so that each key's symbols are listed in table order.
	for i := len(m.syms) - 1; i >= 1; i-- {
		s := m.syms[i]
		m.byName.add(i, hashString(s.name), func(j int) bool { return m.syms[j].name == s.name })
		if s.shndx != uint16(elf.SHN_UNDEF) && s.shndx < uint16(elf.SHN_LORESERVE) && s.typ() != elf.STT_TLS && s.typ() != elf.STT_SECTION && s.typ() != elf.STT_FILE {
			m.byAddr.add(i, hashAddr(s.value), func(j int) bool { return m.syms[j].value == s.value })
		}
	}
	for i, s := range m.syms {
		// Only an undefined symbol can stand for an undefined dynamic one.
		if i > 0 && s.shndx == uint16(elf.SHN_UNDEF) && s.bind() != elf.STB_LOCAL {
			if base, _, ok := strings.Cut(s.name, "@"); ok {
				m.versioned[base] = append(m.versioned[base], i)
			}
		}
	}
}
