package plugincheck

import (
	"bytes"
	"debug/elf"
	"errors"
	"fmt"
)

// symbolTable is a symbol table read as debug/elf's Symbols and
// DynamicSymbols read it (the first section of the type, the same errors),
// without a string and a struct per symbol: a plugin has tens of thousands
// of symbols, and Read looks for a few hundred by name.
type symbolTable struct {
	f       *elf.File
	entries []byte // after the null symbol
	strs    []byte
	size    int // of an entry
}

// readSymbolTable reads the symbol table of the type (elf.SHT_SYMTAB or
// elf.SHT_DYNSYM); it returns elf.ErrNoSymbols when there is none. For the
// dynamic symbols it also refuses the version tables debug/elf refuses.
func readSymbolTable(e elfBytes, typ elf.SectionType) (*symbolTable, error) {
	f := e.f
	t := &symbolTable{f: f, size: elf.Sym64Size}
	if f.Class == elf.ELFCLASS32 {
		t.size = elf.Sym32Size
	} else if f.Class != elf.ELFCLASS64 {
		return nil, errors.New("not implemented")
	}
	sec := f.SectionByType(typ)
	if sec == nil {
		return nil, elf.ErrNoSymbols
	}
	data, err := e.section(sec)
	if err != nil {
		return nil, fmt.Errorf("cannot load symbol section: %w", err)
	}
	if len(data) == 0 {
		return nil, elf.ErrNoSymbols
	}
	if len(data)%t.size != 0 {
		return nil, errors.New("length of symbol section is not a multiple of the symbol size")
	}
	if sec.Link == 0 || sec.Link >= uint32(len(f.Sections)) {
		return nil, errors.New("cannot load string table section: section has invalid string table link")
	}
	if t.strs, err = e.section(f.Sections[sec.Link]); err != nil {
		return nil, fmt.Errorf("cannot load string table section: %w", err)
	}
	t.entries = data[t.size:]
	if typ == elf.SHT_DYNSYM {
		if err := checkVersionTables(e); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (t *symbolTable) len() int { return len(t.entries) / t.size }

// nameMayHavePrefix is a quick test before symbol: false when the i-th
// symbol's name does not start with prefix.
func (t *symbolTable) nameMayHavePrefix(i int, prefix []byte) bool {
	off := t.f.ByteOrder.Uint32(t.entries[i*t.size:])
	return int(off) < len(t.strs) && bytes.HasPrefix(t.strs[off:], prefix)
}

// mayBeCExport is a quick test before symbol: false when the i-th symbol
// is undefined, local or neither a function nor an object.
func (t *symbolTable) mayBeCExport(i int) bool {
	e := t.entries[i*t.size:]
	var info byte
	var shndx uint16
	if t.size == elf.Sym64Size {
		info, shndx = e[4], t.f.ByteOrder.Uint16(e[6:])
	} else {
		info, shndx = e[12], t.f.ByteOrder.Uint16(e[14:])
	}
	typ := elf.ST_TYPE(info)
	return shndx != uint16(elf.SHN_UNDEF) && elf.ST_BIND(info) != elf.STB_LOCAL && (typ == elf.STT_FUNC || typ == elf.STT_OBJECT)
}

// symbol returns the i-th symbol after the null one, with its name as
// bytes of the string table (empty when it is outside or unterminated);
// s.Name is left empty.
func (t *symbolTable) symbol(i int) (name []byte, s elf.Symbol) {
	e := t.entries[i*t.size : (i+1)*t.size]
	bo := t.f.ByteOrder
	var nameOff uint32
	if t.size == elf.Sym64Size {
		nameOff = bo.Uint32(e)
		s = elf.Symbol{Info: e[4], Other: e[5], Section: elf.SectionIndex(bo.Uint16(e[6:])), Value: bo.Uint64(e[8:]), Size: bo.Uint64(e[16:])}
	} else {
		nameOff = bo.Uint32(e)
		s = elf.Symbol{Value: uint64(bo.Uint32(e[4:])), Size: uint64(bo.Uint32(e[8:])), Info: e[12], Other: e[13], Section: elf.SectionIndex(bo.Uint16(e[14:]))}
	}
	if int(nameOff) < len(t.strs) {
		if end := bytes.IndexByte(t.strs[nameOff:], 0); end >= 0 {
			name = t.strs[nameOff : int(nameOff)+end]
		}
	}
	return name, s
}

// checkVersionTables refuses what debug/elf's DynamicSymbols refuses in
// the version tables, when there is a symbol version section: a version
// definition or need whose version is not 1, or a definition without a
// name. (Plugins get the full check of their versions in checkVersions.)
func checkVersionTables(e elfBytes) error {
	f := e.f
	if f.SectionByType(elf.SHT_GNU_VERSYM) == nil {
		return nil
	}
	bo := f.ByteOrder
	if vd := f.SectionByType(elf.SHT_GNU_VERDEF); vd != nil {
		d, _ := e.section(vd)
		for i := 0; i+20 <= len(d); {
			if v := bo.Uint16(d[i:]); v != 1 {
				return fmt.Errorf("unexpected dynamic version %d at offset %d", v, vd.Offset+uint64(i))
			}
			if bo.Uint16(d[i+6:]) == 0 {
				return fmt.Errorf("dynamic version at offset %d has no name", vd.Offset+uint64(i))
			}
			next := bo.Uint32(d[i+16:])
			if next == 0 {
				break
			}
			i += int(next)
		}
	}
	if vn := f.SectionByType(elf.SHT_GNU_VERNEED); vn != nil {
		d, _ := e.section(vn)
		for i := 0; i+16 <= len(d); {
			if v := bo.Uint16(d[i:]); v != 1 {
				return fmt.Errorf("unexpected dynamic need version %d at offset %d", v, vn.Offset+uint64(i))
			}
			next := bo.Uint32(d[i+12:])
			if next == 0 {
				break
			}
			i += int(next)
		}
	}
	return nil
}
