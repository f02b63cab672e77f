package plugincheck

import (
	"debug/elf"
	"encoding/binary"
)

// readRelocs reads .rela.dyn and .rela.plt through the dynamic section, as
// the dynamic loader does.
func (m *image) readRelocs() error {
	var tables [][]byte
	n := 0
	for _, t := range [][2]elf.DynTag{{elf.DT_RELA, elf.DT_RELASZ}, {elf.DT_JMPREL, elf.DT_PLTRELSZ}} {
		at, ok := m.dyn1(t[0])
		if !ok {
			continue
		}
		size, _ := m.dyn1(t[1])
		if size%24 != 0 {
			return corruptf("%v is %d, not a whole number of relocations", t[1], size)
		}
		data, err := m.read(at, size)
		if err != nil {
			return err
		}
		tables = append(tables, data)
		n += len(data) / 24
	}
	if cap(m.relocs) < n {
		m.relocs = make([]rela, 0, n)
	}
	for _, data := range tables {
		for i := 0; i < len(data); i += 24 {
			info := binary.LittleEndian.Uint64(data[i+8:])
			m.relocs = append(m.relocs, rela{
				off:    binary.LittleEndian.Uint64(data[i:]),
				typ:    elf.R_X86_64(info & 0xffffffff),
				sym:    uint32(info >> 32),
				addend: int64(binary.LittleEndian.Uint64(data[i+16:])),
			})
		}
	}
	m.relAt.reset(n)
	for i := len(m.relocs) - 1; i >= 0; i-- {
		off := m.relocs[i].off
		m.relAt.add(i+1, hashAddr(off), func(j int) bool { return m.relocs[j-1].off == off })
		if m.relAt.next[i+1] != 0 {
			return corruptf("two relocations write address %#x", off)
		}
	}
	return nil
}

// checkRelocs checks each relocation as the dynamic loader would apply it:
// a type it knows, a symbol that exists, a place to write inside a writable
// segment. A relative relocation's target must be inside the plugin, and
// where the linker also wrote the target at the place (GNU ld does), the
// two must agree: that catches a changed address on either side.
func (m *image) checkRelocs() error {
	relCount, hasRelCount := m.dyn1(elf.DT_RELACOUNT)
	if relCount > uint64(len(m.relocs)) {
		return corruptf("DT_RELACOUNT is %d, more than the %d relocations", relCount, len(m.relocs))
	}
	plt, _ := m.dyn1(elf.DT_JMPREL)
	pltStart := len(m.relocs)
	if plt != 0 {
		pltSize, _ := m.dyn1(elf.DT_PLTRELSZ)
		pltStart = len(m.relocs) - int(pltSize/24)
	}
	lo := m.loads[0].Vaddr
	hi := m.loads[len(m.loads)-1].Vaddr + m.loads[len(m.loads)-1].Memsz
	var relative, withAddend, zero int
	for i, r := range m.relocs {
		if r.off%8 != 0 || !m.writable(r.off, 8) {
			return corruptf("relocation %d writes %#x, outside the writable segments", i, r.off)
		}
		if int(r.sym) >= len(m.dynsyms) {
			return corruptf("relocation %d refers to dynamic symbol %d of %d", i, r.sym, len(m.dynsyms))
		}
		if hasRelCount && uint64(i) < relCount && r.typ != elf.R_X86_64_RELATIVE {
			return corruptf("relocation %d is %v, but DT_RELACOUNT says the first %d are relative", i, r.typ, relCount)
		}
		if (i >= pltStart) != (r.typ == elf.R_X86_64_JMP_SLOT) {
			return corruptf("relocation %d is %v in the wrong table", i, r.typ)
		}
		s := m.dynsyms[r.sym]
		switch r.typ {
		case elf.R_X86_64_RELATIVE:
			if r.sym != 0 || uint64(r.addend) < lo || uint64(r.addend) > hi {
				return corruptf("relative relocation %d: symbol %d, target %#x outside the plugin", i, r.sym, r.addend)
			}
			relative++
			if v, err := m.u64(r.off); err == nil {
				switch v {
				case uint64(r.addend):
					withAddend++
				case 0:
					zero++
				default:
					return corruptf("relative relocation %d at %#x targets %#x, but the linker wrote %#x there", i, r.off, r.addend, v)
				}
			}
		case elf.R_X86_64_64, elf.R_X86_64_GLOB_DAT, elf.R_X86_64_JMP_SLOT:
			if r.typ == elf.R_X86_64_JMP_SLOT {
				if err := m.checkJumpSlot(i-pltStart, r); err != nil {
					return err
				}
			}
			if r.sym == 0 {
				return corruptf("relocation %d (%v) has no symbol", i, r.typ)
			}
			if r.typ != elf.R_X86_64_64 && r.addend != 0 {
				return corruptf("relocation %d (%v) has addend %d", i, r.typ, r.addend)
			}
			if s.shndx != uint16(elf.SHN_UNDEF) && s.typ() != elf.STT_TLS && (r.addend < -1<<24 || r.addend > 1<<24 || !m.mapped(s.value+uint64(r.addend), 0)) {
				return corruptf("relocation %d (%v) targets %s%+d, outside the plugin", i, r.typ, s.name, r.addend)
			}
		case elf.R_X86_64_TPOFF64, elf.R_X86_64_DTPMOD64, elf.R_X86_64_DTPOFF64:
			if r.sym != 0 && s.typ() != elf.STT_TLS {
				return corruptf("TLS relocation %d refers to %s, not a TLS symbol", i, s.name)
			}
		default:
			return corruptf("relocation %d has type %v, which Go plugins do not use", i, r.typ)
		}
	}
	if withAddend > 0 && zero > 0 {
		return corruptf("%d relative relocations have their target written at their place and %d have zero; a damaged table", withAddend, zero)
	}
	if hasRelCount && relCount != uint64(relative) {
		return corruptf("DT_RELACOUNT is %d, but there are %d relative relocations", relCount, relative)
	}
	return nil
}

// checkJumpSlot checks the i-th PLT relocation: it writes the i-th slot
// after the three reserved words of the PLT's GOT, as the x86-64 ABI lays
// them out, and the linker's initial value there is an address in the PLT.
func (m *image) checkJumpSlot(i int, r rela) error {
	pltgot, ok := m.dyn1(elf.DT_PLTGOT)
	if want := pltgot + 24 + 8*uint64(i); !ok || r.off != want {
		return corruptf("PLT relocation %d writes %#x, not its slot %#x", i, r.off, want)
	}
	v, err := m.u64(r.off)
	if err != nil {
		return err
	}
	plt := m.f.Section(".plt")
	if plt == nil || v < plt.Addr || v >= plt.Addr+plt.Size {
		return corruptf("PLT relocation %d: its slot holds %#x, not an address in the PLT", i, v)
	}
	return nil
}

// checkInitArrays checks the functions the dynamic loader calls when it
// opens the plugin: each must be the start of a function of the plugin.
func (m *image) checkInitArrays() error {
	for _, t := range [][2]elf.DynTag{{elf.DT_INIT_ARRAY, elf.DT_INIT_ARRAYSZ}, {elf.DT_FINI_ARRAY, elf.DT_FINI_ARRAYSZ}} {
		at, ok := m.dyn1(t[0])
		if !ok {
			continue
		}
		size, _ := m.dyn1(t[1])
		if size%8 != 0 || size > 1<<16 {
			return corruptf("%v is %d", t[1], size)
		}
		for va := at; va < at+size; va += 8 {
			target, _, err := m.pointer(va)
			if err != nil {
				return err
			}
			if err := m.isFunction(target); err != nil {
				return corruptf("%v entry at %#x: %v", t[0], va, err)
			}
		}
	}
	for _, t := range []elf.DynTag{elf.DT_INIT, elf.DT_FINI} {
		if v, ok := m.dyn1(t); ok {
			if err := m.isFunction(v); err != nil {
				return corruptf("%v: %v", t, err)
			}
		}
	}
	return nil
}

// isFunction checks that va is where a function symbol starts.
func (m *image) isFunction(va uint64) error {
	if !m.executable(va) {
		return corruptf("%#x is not in the executable segment", va)
	}
	if s, ok := m.symbolAt(va, ""); !ok || (s.typ() != elf.STT_FUNC && s.typ() != elf.STT_NOTYPE) {
		return corruptf("%#x is not the start of a function", va)
	}
	return nil
}
