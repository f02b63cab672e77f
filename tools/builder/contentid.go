package main

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"fmt"
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
// file holds it, with the file's content hash.
func stampContentID(path, id string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var positions []int
	for at := 0; ; {
		i := bytes.Index(data[at:], []byte(id))
		if i < 0 {
			break
		}
		positions = append(positions, at+i)
		at += i + len(id)
	}
	if len(positions) == 0 {
		return fmt.Errorf("%s: the build ID %s is not in the file", path, id)
	}
	hashed := append([]byte(nil), data...)
	if f, err := elf.NewFile(bytes.NewReader(data)); err == nil {
		if s := f.Section(".note.gnu.build-id"); s != nil && s.Size >= 16 && s.Offset+s.Size <= uint64(len(data)) {
			clear(hashed[s.Offset+16 : s.Offset+s.Size])
		}
	}
	for _, p := range positions {
		clear(hashed[p : p+len(id)])
	}
	sum := sha256.Sum256(hashed)
	newID := id[:strings.LastIndexByte(id, '/')+1] + shortID(sum[:])
	for _, p := range positions {
		copy(data[p:], newID)
	}
	return os.WriteFile(path, data, 0o755)
}
