package main

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// linkBuildID is the Go build ID a link writes, in the go command's four
// parts: "<main>/<args>/<inputs>/<content>", where <main> hashes the main
// package's archive, <args> the link's arguments, <inputs> the arguments
// with the hash of every archive in the link's importcfg and of the main
// archive, and <content> is a placeholder that stampContentID replaces with
// the hash of the linked file. The same inputs give the same ID, so relinks
// stay byte-identical; any change of an input changes it, as the go
// command's action IDs do. `go tool buildid` prints it, and the linker
// derives the ELF build ID (.note.gnu.build-id) from it.
func linkBuildID(importcfg, mainArchive string, args []string) (string, error) {
	cfg, err := readImportcfg(importcfg)
	if err != nil {
		return "", err
	}
	pkgs := make([]string, 0, len(cfg))
	for p := range cfg {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	files := make([]string, 0, len(pkgs)+1)
	for _, p := range pkgs {
		files = append(files, cfg[p])
	}
	files = append(files, mainArchive)
	sums, err := hashFiles(files)
	if err != nil {
		return "", err
	}
	mainSum := sums[len(pkgs)]

	h := sha256.New()
	a := sha256.New()
	for _, arg := range args {
		io.WriteString(h, arg+"\x00")
		io.WriteString(a, arg+"\x00")
	}
	for i, p := range pkgs {
		io.WriteString(h, p+"\x00")
		h.Write(sums[i][:])
	}
	h.Write(mainSum[:])
	return shortID(mainSum[:]) + "/" + shortID(a.Sum(nil)) + "/" + shortID(h.Sum(nil)) + "/" + contentIDPlaceholder, nil
}

// hashFiles returns the sha256 of each file, in order. Hashing is the cost
// here (a plugin's link reads about 40 MB of -dynlink std, which the page
// cache usually holds), so the files are hashed on every core, the largest
// first so that the last one to finish is a small one.
func hashFiles(paths []string) ([][sha256.Size]byte, error) {
	sizes := make([]int64, len(paths))
	order := make([]int, len(paths))
	for i, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		sizes[i] = st.Size()
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return sizes[order[x]] > sizes[order[y]] })

	sums := make([][sha256.Size]byte, len(paths))
	errs := make([]error, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One small buffer per worker: a large one would cost more
			// in page faults of a fresh process than it saves in reads.
			buf := make([]byte, 64<<10)
			for i := range next {
				sums[i], errs[i] = hashFile(paths[i], buf)
			}
		}()
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sums, nil
}

func hashFile(path string, buf []byte) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	// Hiding f's WriteTo makes io.CopyBuffer use buf.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, buf); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// shortID spells a hash as the go command spells build IDs: 20 characters
// of URL-safe base64.
func shortID(sum []byte) string {
	return strings.TrimRight(base64.URLEncoding.EncodeToString(sum[:15]), "=")
}
