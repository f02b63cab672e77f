package plugincheck

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"io"
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

// verifyContentID checks the file against the content ID in its Go build
// ID. It returns checked=false when the file has no content ID, and an
// error when the file does not match it.
func verifyContentID(r io.ReaderAt, size int64, f *elf.File) (checked bool, err error) {
	id, err := goBuildID(f)
	if err != nil {
		return false, err
	}
	want, ok := contentID(id)
	if !ok {
		return false, nil
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return false, err
	}
	// The GNU build ID, past its 16-byte note header, reads as zeros.
	if sec := f.Section(".note.gnu.build-id"); sec != nil && sec.Size >= 16 && sec.Offset+sec.Size <= uint64(size) {
		clear(data[sec.Offset+16 : sec.Offset+sec.Size])
	}
	h := sha256.New()
	rest := data
	for {
		i := bytes.Index(rest, []byte(id))
		if i < 0 {
			h.Write(rest)
			break
		}
		h.Write(rest[:i])
		h.Write(make([]byte, len(id)))
		rest = rest[i+len(id):]
	}
	var sum [32]byte
	h.Sum(sum[:0])
	if got := hashToContentID(sum); got != want {
		return true, fmt.Errorf("the file does not match its Go build ID %s: its content hashes to %s, not %s; it was changed after it was linked", id, got, want)
	}
	return true, nil
}
