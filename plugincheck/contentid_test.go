package plugincheck

import (
	"bytes"
	"crypto/sha256"
	"math/rand/v2"
	"testing"
)

// hashAsGoCommand is the content hash as the go command computes it: on a
// copy of the file with the GNU build ID cleared, every copy of the build ID
// found from the start, each after the one before, hashed as zeros.
func hashAsGoCommand(file []byte, id string, gnuLo, gnuHi int) [32]byte {
	data := bytes.Clone(file)
	clear(data[gnuLo:gnuHi])
	h := sha256.New()
	for {
		i := bytes.Index(data, []byte(id))
		if i < 0 {
			h.Write(data)
			break
		}
		h.Write(data[:i])
		h.Write(make([]byte, len(id)))
		data = data[i+len(id):]
	}
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// The hash that only reads the file equals the go command's, including
// where copies of the build ID touch, overlap each other or overlap the GNU
// build ID, and for IDs with zero bytes.
func TestContentHashInPlace(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ids := []string{"abcd/efgh/ijkl/mnopqrstuvwxyz0123456", "aaaa", "abab", "a\x00b\x00", "\x00\x00\x00"}
	for n := 0; n < 5000; n++ {
		id := ids[n%len(ids)]
		file := make([]byte, 64+rng.IntN(128))
		for i := range file {
			file[i] = "ab\x00"[rng.IntN(3)]
		}
		for k := rng.IntN(6); k > 0; k-- {
			at := rng.IntN(len(file) - len(id))
			copy(file[at:], id)
		}
		lo := rng.IntN(len(file))
		hi := lo + rng.IntN(min(24, len(file)-lo)+1)
		if rng.IntN(4) == 0 {
			lo, hi = 0, 0
		}
		c := contentCheck{id: id, gnuLo: lo, gnuHi: hi}
		if got, want := c.hash(file), hashAsGoCommand(file, id, lo, hi); got != want {
			t.Fatalf("id %q, GNU build ID at [%d, %d), file %q: hash differs from the go command's", id, lo, hi, file)
		}
	}
}
