package main

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"path"
	"sort"
	"time"
)

// archiveFile is one entry: the bytes of src, or data.
type archiveFile struct {
	name string
	src  string
	data []byte
	mode int64
}

// epoch is every entry's time: the archive depends only on the files.
var epoch = time.Unix(0, 0).UTC()

// writeArchive writes a .tar.gz whose bytes depend only on the names, modes
// and contents: entries sorted, with their directories, owned by root, at
// the epoch, gzip without a name or time.
func writeArchive(out string, files []archiveFile) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		f.Close()
		return err
	}
	tw := tar.NewWriter(zw)
	err = writeEntries(tw, files)
	for _, c := range []io.Closer{tw, zw, f} {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func writeEntries(tw *tar.Writer, files []archiveFile) error {
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	dirs := map[string]bool{}
	for _, f := range files {
		if err := writeDirs(tw, path.Dir(f.name), dirs); err != nil {
			return err
		}
		if err := writeFile(tw, f); err != nil {
			return err
		}
	}
	return nil
}

// writeDirs writes the entries of dir and its parents not written yet.
func writeDirs(tw *tar.Writer, dir string, written map[string]bool) error {
	if dir == "." || dir == "/" || written[dir] {
		return nil
	}
	if err := writeDirs(tw, path.Dir(dir), written); err != nil {
		return err
	}
	written[dir] = true
	return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: epoch, Format: tar.FormatPAX})
}

func writeFile(tw *tar.Writer, f archiveFile) error {
	h := &tar.Header{Typeflag: tar.TypeReg, Name: f.name, Mode: f.mode, ModTime: epoch, Format: tar.FormatPAX}
	if f.src == "" {
		h.Size = int64(len(f.data))
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		_, err := tw.Write(f.data)
		return err
	}
	in, err := os.Open(f.src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	h.Size = st.Size()
	if err := tw.WriteHeader(h); err != nil {
		return err
	}
	_, err = io.Copy(tw, in)
	return err
}
