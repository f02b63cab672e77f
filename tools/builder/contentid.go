package main

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"strings"
)

// A linked file gets the go command's kind of build ID: four parts, the
// last of which is a hash of the file itself (with every copy of the ID,
// and the GNU build ID, read as zeros). The link writes a placeholder; the
// builder then hashes the file and writes the hash over it, as `go build`
// (and `go tool buildid -w`) do. A checker (plugincheck) can then tell a
// file changed after the link from the file the build wrote.

// contentIDPlaceholder is the last part of the build ID the linker writes
// (linkBuildID): stampContentID replaces it with the content hash. Each part
// is 20 characters, as the go command's are.
const contentIDPlaceholder = "contenthashplacehold"

// stampContentID replaces the last part of the build ID id, wherever the
// file holds it, with the file's content hash. It reads the file in small
// pieces and writes only the copies of the ID: a fresh process pays for
// every page of a buffer the size of the file, more than for hashing it.
func stampContentID(path, id string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = stampOpenFile(f, id)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func stampOpenFile(f *os.File, id string) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var zeros []span
	if ef, err := elf.NewFile(f); err == nil {
		// The GNU build ID, past its 16-byte note header.
		if s := ef.Section(".note.gnu.build-id"); s != nil && s.Size >= 16 && s.Offset+s.Size <= uint64(st.Size()) {
			zeros = append(zeros, span{int64(s.Offset) + 16, int64(s.Offset + s.Size)})
		}
	}
	positions, sum, err := contentHash(io.NewSectionReader(f, 0, st.Size()), id, zeros)
	if err != nil {
		return err
	}
	if len(positions) == 0 {
		return fmt.Errorf("the build ID %s is not in the file", id)
	}
	newID := []byte(id[:strings.LastIndexByte(id, '/')+1] + shortID(sum[:]))
	for _, p := range positions {
		if _, err := f.WriteAt(newID, p); err != nil {
			return err
		}
	}
	return nil
}

// span is the byte range [from, to) of a file.
type span struct{ from, to int64 }

// contentHashChunk is how much of the file contentHash reads at a time.
const contentHashChunk = 64 << 10

// contentHash hashes what r reads, with every copy of id (found from the
// start, without overlaps, as bytes.Index finds them) and the spans zeros
// read as zeros: the go command's content hash of a linked file. It
// returns where the copies of id start.
func contentHash(r io.Reader, id string, zeros []span) (positions []int64, sum [sha256.Size]byte, err error) {
	if id == "" {
		return nil, sum, fmt.Errorf("empty build ID")
	}
	want := []byte(id)
	h := sha256.New()
	buf := make([]byte, 0, contentHashChunk+len(want))
	masked := make([]byte, 0, cap(buf))
	var base int64 // the offset of buf[0] in the file
	for eof := false; !eof; {
		n, rerr := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch rerr {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			eof = true
		default:
			return nil, sum, rerr
		}
		// Every copy found lies wholly in buf; one that starts in the
		// last len(id)-1 bytes may not yet, so those wait for the next
		// piece unless a copy already covers them.
		done := len(buf)
		if !eof {
			done = len(buf) - (len(want) - 1)
		}
		for from := 0; ; {
			i := bytes.Index(buf[from:], want)
			if i < 0 {
				break
			}
			at := base + int64(from+i)
			positions = append(positions, at)
			zeros = append(zeros, span{at, at + int64(len(want))})
			from += i + len(want)
			done = max(done, from)
		}
		masked = append(masked[:0], buf[:done]...)
		for _, z := range zeros {
			from, to := max(z.from-base, 0), min(z.to-base, int64(done))
			if from < to {
				clear(masked[from:to])
			}
		}
		h.Write(masked)
		buf = buf[:copy(buf, buf[done:])]
		base += int64(done)
	}
	h.Sum(sum[:0])
	return positions, sum, nil
}
