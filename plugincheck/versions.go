package plugincheck

import (
	"debug/elf"
	"encoding/binary"
	"strings"
)

// elfHash is the SysV ELF hash, which version entries carry of their names.
func elfHash(name string) uint32 {
	var h uint32
	for i := 0; i < len(name); i++ {
		h = h<<4 + uint32(name[i])
		if g := h & 0xf0000000; g != 0 {
			h ^= g >> 24
		}
		h &^= 0xf0000000
	}
	return h
}

// checkVersions checks the symbol versions: the versions needed from each
// library (.gnu.version_r), and the version index of every dynamic symbol
// (.gnu.version), which must name one of them and agree with the
// "name@VERSION" spelling of the symbol in .symtab.
func (m *image) checkVersions() error {
	versym, hasVersym := m.dyn1(elf.DT_VERSYM)
	verneed, hasVerneed := m.dyn1(elf.DT_VERNEED)
	if _, ok := m.dyn1(elf.DT_VERDEF); ok {
		return corruptf("a plugin defines no symbol versions, but this one has DT_VERDEF")
	}
	if !hasVersym {
		if hasVerneed {
			return corruptf("DT_VERNEED without DT_VERSYM")
		}
		return nil
	}
	needed := map[string]bool{}
	for _, off := range m.dyn[elf.DT_NEEDED] {
		s, _ := m.dynString(off)
		needed[s] = true
	}
	names := map[uint16]string{0: "", 1: ""} // index -> version name
	if hasVerneed {
		count, _ := m.dyn1(elf.DT_VERNEEDNUM)
		if count == 0 || count > 64 {
			return corruptf("DT_VERNEEDNUM is %d", count)
		}
		at := verneed
		for i := uint64(0); i < count; i++ {
			b, err := m.read(at, 16)
			if err != nil {
				return err
			}
			le := binary.LittleEndian
			version, cnt, file, aux, next := le.Uint16(b), le.Uint16(b[2:]), le.Uint32(b[4:]), le.Uint32(b[8:]), le.Uint32(b[12:])
			lib, err := m.dynString(uint64(file))
			if err != nil || version != 1 || !needed[lib] || cnt == 0 {
				return corruptf("version need %d: version %d, %d entries, library %q (needed: %v)", i, version, cnt, lib, err == nil && needed[lib])
			}
			va := at + uint64(aux)
			for j := uint16(0); j < cnt; j++ {
				a, err := m.read(va, 16)
				if err != nil {
					return err
				}
				hash, flags, other, name, anext := le.Uint32(a), le.Uint16(a[4:]), le.Uint16(a[6:]), le.Uint32(a[8:]), le.Uint32(a[12:])
				vname, err := m.dynString(uint64(name))
				if err != nil || vname == "" || hash != elfHash(vname) || flags&^uint16(elf.VER_FLG_WEAK) != 0 || other < 2 || other >= 0x8000 {
					return corruptf("version %q needed from %s: hash %#x, flags %#x, index %d", vname, lib, hash, flags, other)
				}
				if _, dup := names[other]; dup {
					return corruptf("version index %d is used twice", other)
				}
				names[other] = vname
				if anext == 0 && j+1 < cnt || anext != 0 && j+1 == cnt {
					return corruptf("the version list of %s has a bad length", lib)
				}
				va += uint64(anext)
			}
			if next == 0 && i+1 < count || next != 0 && i+1 == count {
				return corruptf("the version needs list has a bad length")
			}
			at += uint64(next)
		}
	}
	data, err := m.read(versym, uint64(len(m.dynsyms))*2)
	if err != nil {
		return err
	}
	if sec := m.f.Section(".gnu.version"); sec != nil && sec.Size != uint64(len(m.dynsyms))*2 {
		return corruptf(".gnu.version has %d entries for %d dynamic symbols", sec.Size/2, len(m.dynsyms))
	}
	symtabVersions := map[string]string{}
	for _, s := range m.syms {
		if s.shndx != uint16(elf.SHN_UNDEF) {
			continue
		}
		if base, ver, ok := strings.Cut(s.name, "@"); ok {
			symtabVersions[base] = strings.TrimPrefix(ver, "@")
		}
	}
	for i, s := range m.dynsyms {
		v := binary.LittleEndian.Uint16(data[2*i:])
		if i > 0 && s.shndx != uint16(elf.SHN_UNDEF) && v == 1 {
			continue // defined, in the global version: all is well
		}
		name, ok := names[v&0x7fff]
		if !ok {
			return corruptf("dynamic symbol %d (%s) has version index %d, which names no version", i, s.name, v)
		}
		if i == 0 {
			if v != 0 {
				return corruptf("dynamic symbol 0 has a version")
			}
			continue
		}
		if s.shndx == uint16(elf.SHN_UNDEF) && symtabVersions[s.name] != name {
			return corruptf("dynamic symbol %d (%s) has version %q, the symbol table says %q", i, s.name, name, symtabVersions[s.name])
		}
		if s.shndx != uint16(elf.SHN_UNDEF) && v != 1 {
			return corruptf("dynamic symbol %d (%s) is defined with version index %d", i, s.name, v)
		}
	}
	return nil
}
