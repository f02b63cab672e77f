package plugincheck

import (
	"debug/elf"
	"fmt"
	"io"
	"strings"
	"sync"
)

// A plugin is read whole into memory once: its content hash covers every
// byte anyway, and the checks then look at tens of thousands of symbols,
// relocations and function records, which a read (and an allocation) each
// made slow. The buffers are reused from file to file.
var fileBuffers sync.Pool // of *[]byte

// readWhole reads the size bytes of r into a buffer of the pool; give it
// back with putBuffer once nothing refers to it.
func readWhole(r io.ReaderAt, size int64) (*[]byte, error) {
	bp, _ := fileBuffers.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	if int64(cap(*bp)) < size {
		*bp = make([]byte, size)
	}
	*bp = (*bp)[:size]
	if n, err := r.ReadAt(*bp, 0); int64(n) < size {
		fileBuffers.Put(bp)
		return nil, err
	}
	return bp, nil
}

func putBuffer(bp *[]byte) { fileBuffers.Put(bp) }

// elfBytes gives the bytes of sections and symbols: slices of the whole
// file when it is in memory (file != nil), reads through f otherwise.
// Either way it accepts and refuses what debug/elf's Section.Data and
// Section.ReadAt do.
type elfBytes struct {
	f    *elf.File
	file []byte
}

// section is Section.Data, without a copy when the file is in memory.
func (e elfBytes) section(sec *elf.Section) ([]byte, error) {
	if e.file == nil || sec.Type == elf.SHT_NOBITS || sec.Flags&elf.SHF_COMPRESSED != 0 || strings.HasPrefix(sec.Name, ".zdebug") {
		// Rare in what is checked here; debug/elf knows what these hold.
		return sec.Data()
	}
	if sec.Offset > uint64(len(e.file)) || sec.FileSize > uint64(len(e.file))-sec.Offset {
		return nil, io.ErrUnexpectedEOF
	}
	return e.file[sec.Offset : sec.Offset+sec.FileSize : sec.Offset+sec.FileSize], nil
}

// symbolData reads the bytes a symbol covers from the section it lives in.
func (e elfBytes) symbolData(s elf.Symbol) ([]byte, error) {
	f := e.f
	if int(s.Section) >= len(f.Sections) || s.Section == elf.SHN_UNDEF {
		return nil, fmt.Errorf("symbol %s is in no section", s.Name)
	}
	sec := f.Sections[s.Section]
	if sec.Type == elf.SHT_NOBITS {
		return nil, fmt.Errorf("symbol %s is in %s, which has no data in the file", s.Name, sec.Name)
	}
	if s.Value < sec.Addr || s.Size > sec.Size || s.Value-sec.Addr > sec.Size-s.Size || s.Size > 1<<16 {
		return nil, fmt.Errorf("symbol %s lies outside its section %s", s.Name, sec.Name)
	}
	if e.file == nil || sec.Flags&elf.SHF_COMPRESSED != 0 {
		data := make([]byte, s.Size)
		if _, err := sec.ReadAt(data, int64(s.Value-sec.Addr)); err != nil {
			return nil, fmt.Errorf("symbol %s: %v", s.Name, err)
		}
		return data, nil
	}
	// As Section.ReadAt on the file: nothing at or past the section's end,
	// and the bytes must be in the file.
	off := s.Value - sec.Addr
	if off >= sec.FileSize || s.Size > 0 && (sec.Offset > uint64(len(e.file)) || off+s.Size > uint64(len(e.file))-sec.Offset) {
		return nil, fmt.Errorf("symbol %s: %v", s.Name, io.EOF)
	}
	if s.Size == 0 {
		return nil, nil
	}
	return e.file[sec.Offset+off : sec.Offset+off+s.Size], nil
}
