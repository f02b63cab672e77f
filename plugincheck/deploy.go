package plugincheck

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
)

// DeployReport says how a deployed directory differs from its release.
type DeployReport struct {
	Release string `json:"release"`
	Dir     string `json:"dir"`
	// Missing are the release's files not in the directory.
	Missing []string `json:"missing,omitempty"`
	// Changed are the release's files whose bytes are not the released ones.
	Changed []ChangedFile `json:"changed,omitempty"`
	// Foreign are Go hosts and plugins in the directory that the release
	// does not ship (other files, such as configuration, are not counted).
	Foreign []string `json:"foreign,omitempty"`
}

// ChangedFile is a released file whose sha256 is not the manifest's.
type ChangedFile struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Want   string `json:"want"`
}

// OK reports whether the directory holds exactly the release's Go files.
func (d *DeployReport) OK() bool {
	return len(d.Missing) == 0 && len(d.Changed) == 0 && len(d.Foreign) == 0
}

// VerifyDeployed compares the directory a release was unpacked into with
// its manifest: every host and plugin present with its released bytes, and
// no Go host or plugin the release does not ship.
func VerifyDeployed(r *Release, dir string) (*DeployReport, error) {
	rep := &DeployReport{Release: r.Name + " " + r.Version, Dir: dir}
	want := map[string]string{} // file -> sha256
	for _, h := range r.Hosts {
		want[h.File] = h.SHA256
	}
	for _, p := range r.Plugins {
		want[p.File] = p.SHA256
	}
	for _, file := range sortedKeys(want) {
		sum, err := FileSHA256(filepath.Join(dir, filepath.FromSlash(file)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			rep.Missing = append(rep.Missing, file)
		case err != nil:
			return nil, err
		case sum != want[file]:
			rep.Changed = append(rep.Changed, ChangedFile{File: file, SHA256: sum, Want: want[file]})
		}
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if _, ok := want[filepath.ToSlash(rel)]; ok {
			return nil
		}
		if isGoBinary(p) {
			rep.Foreign = append(rep.Foreign, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(rep.Foreign)
	return rep, nil
}

// isGoBinary reports whether the file is one plugincheck reads as a host or
// a plugin, including a damaged plugin: all of them can be loaded, or tried.
func isGoBinary(path string) bool {
	b, err := Read(path)
	return b != nil || errors.Is(err, ErrCorrupt)
}

// WriteText writes the report for people.
func (d *DeployReport) WriteText(w io.Writer) error {
	if d.OK() {
		fmt.Fprintf(w, "ok    %s holds release %s: every host and plugin as released, nothing else\n", d.Dir, d.Release)
		return nil
	}
	fmt.Fprintf(w, "FAIL  %s is not release %s as released:\n", d.Dir, d.Release)
	for _, f := range d.Missing {
		fmt.Fprintf(w, "      missing  %s\n", f)
	}
	for _, c := range d.Changed {
		fmt.Fprintf(w, "      changed  %s: sha256 %s, released %s\n", c.File, c.SHA256, c.Want)
	}
	for _, f := range d.Foreign {
		fmt.Fprintf(w, "      foreign  %s: a Go host or plugin the release does not ship\n", f)
	}
	return nil
}
