package plugincheck

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
)

func gnuHash(name string) uint32 {
	h := uint32(5381)
	for i := 0; i < len(name); i++ {
		h = h*33 + uint32(name[i])
	}
	return h
}

// checkGNUHash rebuilds the GNU hash table, through which the dynamic
// loader and dlsym find the plugin's symbols, from the dynamic symbols and
// the table's own parameters, and compares it with the file byte for byte:
// a symbol the table does not lead to cannot be resolved.
func (m *image) checkGNUHash() error {
	at, ok := m.dyn1(elf.DT_GNU_HASH)
	if !ok {
		return corruptf("no GNU hash table (DT_GNU_HASH); plugincheck checks only that kind")
	}
	hdr, err := m.read(at, 16)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	nbuckets, symoffset, bloomSize, shift := le.Uint32(hdr), le.Uint32(hdr[4:]), le.Uint32(hdr[8:]), le.Uint32(hdr[12:])
	nsyms := uint32(len(m.dynsyms))
	if nbuckets == 0 || nbuckets > 1<<24 || symoffset == 0 || symoffset > nsyms || bloomSize == 0 || bloomSize&(bloomSize-1) != 0 || bloomSize > 1<<20 || shift >= 64 {
		return corruptf("GNU hash table header: %d buckets, symbol offset %d, bloom size %d, shift %d", nbuckets, symoffset, bloomSize, shift)
	}
	size := 16 + 8*uint64(bloomSize) + 4*uint64(nbuckets) + 4*uint64(nsyms-symoffset)
	if sec := m.f.Section(".gnu.hash"); sec == nil || sec.Size != size {
		return corruptf("the GNU hash table does not have %d bytes for %d symbols", size, nsyms)
	}
	got, err := m.read(at, size)
	if err != nil {
		return err
	}
	want := make([]byte, size)
	copy(want, hdr)
	bloom := want[16 : 16+8*bloomSize]
	buckets := want[16+8*bloomSize : 16+8*bloomSize+4*nbuckets]
	chain := want[16+8*bloomSize+4*nbuckets:]
	prev := uint32(0)
	var next uint32 // the hash of symbol i+1
	if symoffset < nsyms {
		next = gnuHash(m.dynsyms[symoffset].name)
	}
	for i := symoffset; i < nsyms; i++ {
		s := m.dynsyms[i]
		if s.shndx == uint16(elf.SHN_UNDEF) {
			return corruptf("dynamic symbol %d (%s) is undefined but hashed", i, s.name)
		}
		h := next
		w := (h / 64) % bloomSize
		word := le.Uint64(bloom[8*w:]) | 1<<(h%64) | 1<<((h>>shift)%64)
		le.PutUint64(bloom[8*w:], word)
		b := h % nbuckets
		if i > symoffset && b < prev {
			return corruptf("dynamic symbol %d (%s) is out of its hash bucket's order", i, s.name)
		}
		if i == symoffset || b != prev {
			le.PutUint32(buckets[4*b:], i)
		}
		if i+1 < nsyms {
			next = gnuHash(m.dynsyms[i+1].name)
		}
		last := i+1 == nsyms || next%nbuckets != b
		c := h &^ 1
		if last {
			c |= 1
		}
		le.PutUint32(chain[4*(i-symoffset):], c)
		prev = b
	}
	for i := uint32(1); i < symoffset; i++ {
		if s := m.dynsyms[i]; s.shndx != uint16(elf.SHN_UNDEF) {
			return corruptf("dynamic symbol %d (%s) is defined but not in the hash table", i, s.name)
		}
	}
	if !bytes.Equal(got, want) {
		i := 0
		for got[i] == want[i] {
			i++
		}
		return corruptf("the GNU hash table differs, at byte %d, from the one its symbols give", i)
	}
	return nil
}
