package main

import (
	"archive/zip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The std source bundle is one zip of the SDK's std sources (the files the
// SDK repository lists: sources of every kind, embedded files), written
// when the repository is set up. An action that may need any std package's
// sources declares this one file instead of thousands: staging those in a
// sandbox took seconds per action.

// runStdBundle writes the bundle: the files named in -list, relative to
// -goroot, in that order's sorted form, with no times or owners, so the same
// SDK gives the same bytes on every machine.
func runStdBundle(args []string) error {
	fs := flag.NewFlagSet("stdbundle", flag.ContinueOnError)
	goroot := fs.String("goroot", "", "GOROOT the listed files are relative to")
	list := fs.String("list", "", "file listing the GOROOT-relative paths to bundle, one per line")
	out := fs.String("o", "", "zip to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *goroot == "" || *list == "" || *out == "" {
		return errors.New("stdbundle: -goroot, -list and -o are required")
	}
	data, err := os.ReadFile(*list)
	if err != nil {
		return err
	}
	var names []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			names = append(names, line)
		}
	}
	sort.Strings(names)
	tmp := *out + ".tmp"
	if err := writeStdBundle(tmp, *goroot, names); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("stdbundle: %w", err)
	}
	return os.Rename(tmp, *out)
}

func writeStdBundle(out, goroot string, names []string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range names {
		if path.IsAbs(name) || strings.HasPrefix(path.Clean(name), "..") {
			return fmt.Errorf("%s: not a path inside GOROOT", name)
		}
		src, err := os.ReadFile(filepath.Join(goroot, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := w.Write(src); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// stdBundle reads std's sources from the bundle and writes the ones a
// compile needs into GOROOT, where the compiler and cgo must find them for
// the positions and debug paths in the archives to be the go command's.
// In a sandbox GOROOT/src holds none of them, and what is written goes away
// with the sandbox; run unsandboxed, GOROOT/src is the SDK itself, whose
// files already exist and are never overwritten.
type stdBundle struct {
	zr     *zip.ReadCloser
	goroot string
	dirs   map[string][]*zip.File // "src/fmt" -> the files directly in it; every ancestor directory is a key
}

func openStdBundle(file, goroot string) (*stdBundle, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("the Go SDK's std source bundle: %w", err)
	}
	b := &stdBundle{zr: zr, goroot: goroot, dirs: map[string][]*zip.File{}}
	for _, f := range zr.File {
		dir := path.Dir(f.Name)
		b.dirs[dir] = append(b.dirs[dir], f)
		for d := path.Dir(dir); d != "." && d != "/"; d = path.Dir(d) {
			if _, ok := b.dirs[d]; ok {
				break
			}
			b.dirs[d] = nil
		}
	}
	return b, nil
}

func (b *stdBundle) Close() error { return b.zr.Close() }

// isDir reports whether GOROOT/src/<rel> is a directory of the bundle.
func (b *stdBundle) isDir(rel string) bool {
	_, ok := b.dirs["src/"+rel]
	return ok
}

// prepare writes the files of GOROOT/src/<rel> into GOROOT, and those of
// its subdirectories too when withSubdirs (for //go:embed).
func (b *stdBundle) prepare(rel string, withSubdirs bool) error {
	dir := "src/" + rel
	for d, files := range b.dirs {
		if d != dir && !(withSubdirs && strings.HasPrefix(d, dir+"/")) {
			continue
		}
		for _, f := range files {
			if err := b.extract(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// packageSources writes the files of std package rel into GOROOT and
// returns the paths of those a package's srcs may hold.
func (b *stdBundle) packageSources(rel string) ([]string, error) {
	if !b.isDir(rel) {
		return nil, fmt.Errorf("the Go SDK's std source bundle has no package %s", rel)
	}
	if err := b.prepare(rel, false); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range b.dirs["src/"+rel] {
		if srcKinds[path.Ext(f.Name)] {
			out = append(out, filepath.Join(b.goroot, filepath.FromSlash(f.Name)))
		}
	}
	return out, nil
}

// embedFiles writes every file under std package rel's directory into
// GOROOT and returns them as the compile's -embedsrc pairs (relpath=file).
func (b *stdBundle) embedFiles(rel string) ([]string, error) {
	if err := b.prepare(rel, true); err != nil {
		return nil, err
	}
	dir := "src/" + rel + "/"
	var out []string
	for _, f := range b.zr.File {
		if strings.HasPrefix(f.Name, dir) {
			out = append(out, strings.TrimPrefix(f.Name, dir)+"="+filepath.Join(b.goroot, filepath.FromSlash(f.Name)))
		}
	}
	return out, nil
}

// prepareHeaders writes every .h file of GOROOT/src: std assembly includes
// headers of other packages (runtime includes cgo/abi_amd64.h).
func (b *stdBundle) prepareHeaders() error {
	for _, f := range b.zr.File {
		if strings.HasSuffix(f.Name, ".h") {
			if err := b.extract(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *stdBundle) extract(f *zip.File) error {
	dst := filepath.Join(b.goroot, filepath.FromSlash(f.Name))
	if _, err := os.Lstat(dst); err == nil {
		return nil // the SDK's own file (unsandboxed), or written already
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	r, err := f.Open()
	if err != nil {
		return fmt.Errorf("the Go SDK's std source bundle: %s: %w", f.Name, err)
	}
	defer r.Close()
	w, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		os.Remove(dst)
		return err
	}
	return w.Close()
}

// prepareStdPackage writes what a std package reads besides its own files:
// the headers of std for its assembly or C, and for //go:embed the files
// under its directory, which it adds to embedsrcs.
func prepareStdPackage(b *stdBundle, importPath string, ps *pkgSources, embedsrcs *multiFlag) error {
	if ps.usesCgo() || len(ps.asmFiles)+len(ps.cFiles)+len(ps.cxxFiles)+len(ps.hdrFiles) > 0 {
		if err := b.prepareHeaders(); err != nil {
			return err
		}
	}
	for _, f := range ps.goFiles {
		if len(f.embeds) > 0 {
			pairs, err := b.embedFiles(importPath)
			if err != nil {
				return err
			}
			*embedsrcs = append(*embedsrcs, pairs...)
			return nil
		}
	}
	return nil
}
