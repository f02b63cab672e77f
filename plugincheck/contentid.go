package plugincheck

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"strings"
)

// The go command's build ID ends in a content ID: a hash of the file itself,
// with every copy of the build ID (and the GNU build ID, which -B gobuildid
// derives from it) read as zeros. `go build` writes it (`go tool buildid -w`
// does the same), so a file it linked can be checked byte for byte: any
// change after the link shows. A file without such an ID cannot be checked
// this way.

// goBuildID returns the Go build ID from the .note.go.buildid note, or "".
func goBuildID(f *elf.File) (string, error) {
	sec := f.Section(".note.go.buildid")
	if sec == nil || sec.Type != elf.SHT_NOTE {
		return "", nil
	}
	data, err := sec.Data()
	if err != nil {
		return "", err
	}
	// namesz, descsz, type, then "Go\x00\x00" and the ID.
	if len(data) < 16 {
		return "", fmt.Errorf("Go build ID note is %d bytes", len(data))
	}
	namesz := binary.LittleEndian.Uint32(data[0:])
	descsz := binary.LittleEndian.Uint32(data[4:])
	typ := binary.LittleEndian.Uint32(data[8:])
	if namesz != 4 || typ != 4 || string(data[12:16]) != "Go\x00\x00" || uint64(descsz) > uint64(len(data)-16) {
		return "", fmt.Errorf("Go build ID note has a bad header (namesz %d, descsz %d, type %d)", namesz, descsz, typ)
	}
	return string(data[16 : 16+descsz]), nil
}

const contentIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// contentID returns the content ID the build ID claims: its last part, when
// it has the form the go command gives a linked file (four parts joined by
// "/": the main package's action and content IDs, the link's action ID and
// the file's content ID, each 20 characters of the hash alphabet). Other
// forms, such as the two parts of a package archive or of other builders,
// need not hash the file.
func contentID(id string) (string, bool) {
	parts := strings.Split(id, "/")
	if len(parts) != 4 {
		return "", false
	}
	last := parts[3]
	if len(last) != 20 {
		return "", false
	}
	for j := 0; j < len(last); j++ {
		if strings.IndexByte(contentIDAlphabet, last[j]) < 0 {
			return "", false
		}
	}
	return last, true
}

// hashToContentID encodes the first 15 bytes of a sha256 in 20 characters.
func hashToContentID(h [32]byte) string {
	var dst [20]byte
	for i := 0; i < 5; i++ {
		v := uint32(h[3*i])<<16 | uint32(h[3*i+1])<<8 | uint32(h[3*i+2])
		dst[4*i+0] = contentIDAlphabet[(v>>18)&0x3F]
		dst[4*i+1] = contentIDAlphabet[(v>>12)&0x3F]
		dst[4*i+2] = contentIDAlphabet[(v>>6)&0x3F]
		dst[4*i+3] = contentIDAlphabet[v&0x3F]
	}
	return string(dst[:])
}

// contentCheck is the check of a file against the content ID of its Go
// build ID: what to hash, and what the hash must give.
type contentCheck struct {
	id, want string
	// gnuLo and gnuHi delimit the GNU build ID, past its 16-byte note
	// header: it reads as zeros (gnuLo == gnuHi: none).
	gnuLo, gnuHi int
}

// newContentCheck reads what the check needs from the headers; ok is false
// when the file has no content ID.
func newContentCheck(file []byte, f *elf.File) (c contentCheck, ok bool, err error) {
	id, err := goBuildID(f)
	if err != nil {
		return c, false, err
	}
	want, ok := contentID(id)
	if !ok {
		return c, false, nil
	}
	c = contentCheck{id: id, want: want}
	if sec := f.Section(".note.gnu.build-id"); sec != nil && sec.Size >= 16 && sec.Offset <= uint64(len(file)) && sec.Size <= uint64(len(file))-sec.Offset {
		c.gnuLo, c.gnuHi = int(sec.Offset+16), int(sec.Offset+sec.Size)
	}
	return c, true, nil
}

// verify hashes the file, only reading it (so it can run beside the other
// checks), and compares.
func (c contentCheck) verify(file []byte) error {
	if got := hashToContentID(c.hash(file)); got != c.want {
		return fmt.Errorf("the file does not match its Go build ID %s: its content hashes to %s, not %s; it was changed after it was linked", c.id, got, c.want)
	}
	return nil
}

// hash is the sha256 the content ID is made of.
func (c contentCheck) hash(file []byte) [32]byte {
	sum, ok := c.hashInPlace(file)
	if !ok {
		// The rare file where hashing in place might differ: hash a copy
		// with the GNU build ID cleared, as the go command does.
		cp := bytes.Clone(file)
		clear(cp[c.gnuLo:c.gnuHi])
		sum, _ = contentCheck{id: c.id}.hashInPlace(cp)
	}
	return sum
}

// hashInPlace hashes the file with the GNU build ID and each copy of the
// build ID as zeros; the go command finds the copies in the file with its
// GNU build ID already cleared, from the start, each after the one before.
// Searching the file as it is finds the same copies, provided the ID has
// no zero byte (else a copy could overlap the cleared bytes) and no copy
// found overlaps the GNU build ID (else clearing could hide it): when that
// is not so, ok is false.
func (c contentCheck) hashInPlace(file []byte) (sum [32]byte, ok bool) {
	id := []byte(c.id)
	if bytes.IndexByte(id, 0) >= 0 && c.gnuLo < c.gnuHi {
		return sum, false
	}
	h := sha256.New()
	zeros := make([]byte, max(len(id), c.gnuHi-c.gnuLo))
	// write hashes file[from:to] with the GNU build ID as zeros.
	write := func(from, to int) {
		if to <= c.gnuLo || from >= c.gnuHi {
			h.Write(file[from:to])
			return
		}
		h.Write(file[from:max(from, c.gnuLo)])
		h.Write(zeros[:min(to, c.gnuHi)-max(from, c.gnuLo)])
		h.Write(file[min(c.gnuHi, to):to])
	}
	for at := 0; ; {
		i := bytes.Index(file[at:], id)
		if i < 0 {
			write(at, len(file))
			break
		}
		i += at
		if i < c.gnuHi && i+len(id) > c.gnuLo {
			return sum, false
		}
		write(at, i)
		h.Write(zeros[:len(id)])
		at = i + len(id)
	}
	h.Sum(sum[:0])
	return sum, true
}
