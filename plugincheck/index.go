package plugincheck

import "hash/maphash"

// index finds the entries of a table (symbols, relocations; numbered from
// 1) by a key: the first entry of each key, and through next the others of
// the same key, in table order. It is a hash table of entry numbers with
// open addressing, sized once for its table: a plugin has tens of
// thousands of symbols and relocations, and Go maps of them took most of
// the checks' time.
type index struct {
	slots []uint64 // 0: empty; else the key's hash in the high 32 bits, the entry in the low 32
	mask  uint64
	next  []int // next[i]: the next entry with i's key, or 0
}

var indexSeed = maphash.MakeSeed()

func hashString(s string) uint64 { return maphash.String(indexSeed, s) }

func hashAddr(a uint64) uint64 { return maphash.Comparable(indexSeed, a) }

// reset empties x for a table of n entries, reusing its memory.
func (x *index) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(x.slots) < size {
		x.slots = make([]uint64, size)
	}
	x.slots = x.slots[:size]
	clear(x.slots)
	x.mask = uint64(size - 1)
	if cap(x.next) < n+1 {
		x.next = make([]int, n+1)
	}
	x.next = x.next[:n+1]
	clear(x.next)
}

// add adds entry i (1 <= i <= n, added from the last to the first) with a
// key of hash h; same(j) reports whether entry j has i's key.
func (x *index) add(i int, h uint64, same func(j int) bool) {
	tag := h >> 32
	for s := h & x.mask; ; s = (s + 1) & x.mask {
		v := x.slots[s]
		if v == 0 || v>>32 == tag && same(int(uint32(v))) {
			x.next[i] = int(uint32(v))
			x.slots[s] = tag<<32 | uint64(i)
			return
		}
	}
}

// first returns the first entry with a key of hash h for which same is
// true, or 0.
func (x *index) first(h uint64, same func(j int) bool) int {
	tag := h >> 32
	for s := h & x.mask; x.slots[s] != 0; s = (s + 1) & x.mask {
		if v := x.slots[s]; v>>32 == tag && same(int(uint32(v))) {
			return int(uint32(v))
		}
	}
	return 0
}
