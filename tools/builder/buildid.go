package main

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"sort"
	"strings"
)

// linkBuildID is the Go build ID a link writes, in the go command's four
// parts: "<main>/<args>/<inputs>/<content>", where <main> hashes the main
// package's archive, <args> the link's arguments, <inputs> the contents of
// every archive in the link's importcfg with the arguments, and <content> is
// a placeholder that stampContentID replaces with the hash of the linked file.
// The same inputs give the same ID, so relinks stay byte-identical; any change
// of an input changes it, as the go command's action IDs do. `go tool
// buildid` prints it, and the linker derives the ELF build ID
// (.note.gnu.build-id) from it.
func linkBuildID(importcfg, mainArchive string, args []string) (string, error) {
	cfg, err := readImportcfg(importcfg)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	a := sha256.New()
	for _, arg := range args {
		io.WriteString(h, arg+"\x00")
		io.WriteString(a, arg+"\x00")
	}
	pkgs := make([]string, 0, len(cfg))
	for p := range cfg {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		io.WriteString(h, p+"\x00")
		if err := hashFile(h, cfg[p]); err != nil {
			return "", err
		}
	}
	m := sha256.New()
	if err := hashFile(m, mainArchive); err != nil {
		return "", err
	}
	if err := hashFile(h, mainArchive); err != nil {
		return "", err
	}
	return shortID(m.Sum(nil)) + "/" + shortID(a.Sum(nil)) + "/" + shortID(h.Sum(nil)) + "/" + contentIDPlaceholder, nil
}

func hashFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// shortID spells a hash as the go command spells build IDs: 20 characters
// of URL-safe base64.
func shortID(sum []byte) string {
	return strings.TrimRight(base64.URLEncoding.EncodeToString(sum[:15]), "=")
}
