package loader

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// runfiles resolves runfiles paths ("repo/pkg/file") to files, from a
// runfiles directory or a manifest, following Bazel's conventions:
// RUNFILES_MANIFEST_FILE, RUNFILES_DIR, TEST_SRCDIR, then the directory or
// manifest next to the executable.
type runfiles struct {
	dir      string
	manifest map[string]string
	// repoMapping is _repo_mapping (bzlmod): source canonical repo ->
	// apparent name -> canonical name. Nil without bzlmod.
	repoMapping []repoMappingEntry
}

type repoMappingEntry struct {
	source    string // canonical name of the repo the path is written in
	prefix    bool   // source ends with "*": any repo whose name starts with it
	apparent  string
	canonical string
}

// mainRepo is the canonical name of the main repository in _repo_mapping.
const mainRepo = ""

// Runfile returns the path of a file in the executable's runfiles, given its
// runfiles path as the main repository writes it: "repo/package/file" with
// the apparent repository name (what `$(rlocationpath)` gives in the main
// repository, and under bzlmod translated through the _repo_mapping file
// Bazel 7+ writes), or with the canonical name.
func Runfile(rlocation string) (string, error) {
	rf, err := findRunfiles()
	if err != nil {
		return "", err
	}
	return rf.resolve(rlocation)
}

func findRunfiles() (*runfiles, error) {
	if m := os.Getenv("RUNFILES_MANIFEST_FILE"); m != "" {
		return readManifest(m)
	}
	for _, env := range []string{"RUNFILES_DIR", "TEST_SRCDIR"} {
		if d := os.Getenv(env); d != "" {
			return dirRunfiles(d)
		}
	}
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		candidates = append(candidates, exe)
	}
	if len(os.Args) > 0 {
		if abs, err := filepath.Abs(os.Args[0]); err == nil {
			candidates = append(candidates, abs)
		}
	}
	for _, exe := range candidates {
		if st, err := os.Stat(exe + ".runfiles"); err == nil && st.IsDir() {
			return dirRunfiles(exe + ".runfiles")
		}
		if _, err := os.Stat(exe + ".runfiles_manifest"); err == nil {
			return readManifest(exe + ".runfiles_manifest")
		}
	}
	return nil, fmt.Errorf("loader: cannot find the runfiles of %v (no RUNFILES_DIR, RUNFILES_MANIFEST_FILE or <executable>.runfiles); run the host with bazel run, from bazel-bin, or set %s", candidates, EnvPaths)
}

func dirRunfiles(dir string) (*runfiles, error) {
	rf := &runfiles{dir: dir}
	m, err := readRepoMapping(filepath.Join(dir, "_repo_mapping"))
	rf.repoMapping = m
	return rf, err
}

func readManifest(path string) (*runfiles, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("loader: runfiles manifest: %w", err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if k, v, ok := parseManifestLine(sc.Text()); ok {
			m[k] = v
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("loader: runfiles manifest %s: %w", path, err)
	}
	rf := &runfiles{manifest: m}
	if p := m["_repo_mapping"]; p != "" {
		if rf.repoMapping, err = readRepoMapping(p); err != nil {
			return nil, err
		}
	}
	return rf, nil
}

// parseManifestLine splits "runfiles-path target". Bazel 7.4+ writes a line
// whose runfiles path holds a space, newline or backslash with a leading
// space and escapes: `\s` space (path only), `\n` newline, `\b` backslash.
func parseManifestLine(line string) (key, target string, ok bool) {
	if !strings.HasPrefix(line, " ") {
		return strings.Cut(line, " ")
	}
	key, target, ok = strings.Cut(line[1:], " ")
	return unescape(key, true), unescape(target, false), ok
}

func unescape(s string, spaces bool) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case 'b':
				b.WriteByte('\\')
				i++
				continue
			case 's':
				if spaces {
					b.WriteByte(' ')
					i++
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// readRepoMapping reads _repo_mapping: lines "source,apparent,canonical".
// A missing file means no bzlmod (WORKSPACE, or Bazel before 7).
func readRepoMapping(path string) ([]repoMappingEntry, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("loader: runfiles repository mapping: %w", err)
	}
	var entries []repoMappingEntry
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 3 {
			return nil, fmt.Errorf("loader: runfiles repository mapping %s:%d: %q is not source,apparent,canonical", path, n+1, line)
		}
		e := repoMappingEntry{source: f[0], apparent: f[1], canonical: f[2]}
		// Bazel 8 may compress the mapping: "foo+*" stands for every repo
		// whose canonical name starts with "foo+".
		if strings.HasSuffix(e.source, "*") {
			e.source, e.prefix = strings.TrimSuffix(e.source, "*"), true
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// canonical rewrites the first segment of rloc, an apparent repository name
// as seen from source, to its canonical name. A path whose first segment
// the mapping does not name (a canonical path, or no bzlmod) is kept.
func (r *runfiles) canonical(source, rloc string) string {
	repo, rest, ok := strings.Cut(rloc, "/")
	if !ok {
		return rloc
	}
	for _, e := range r.repoMapping {
		match := e.source == source || (e.prefix && strings.HasPrefix(source, e.source))
		if match && e.apparent == repo {
			return e.canonical + "/" + rest
		}
	}
	return rloc
}

func (r *runfiles) resolve(rloc string) (string, error) {
	if rloc == "" || strings.HasPrefix(rloc, "/") || strings.HasPrefix(rloc, "../") || strings.Contains(rloc, "/../") {
		return "", fmt.Errorf("loader: %q is not a runfiles path (want repo/package/file)", rloc)
	}
	path := r.canonical(mainRepo, rloc)
	var p string
	if r.manifest != nil {
		p = r.manifest[path]
	} else {
		p = filepath.Join(r.dir, filepath.FromSlash(path))
	}
	if p == "" {
		if path != rloc {
			return "", fmt.Errorf("loader: %s (%s through _repo_mapping) is not in the runfiles manifest", rloc, path)
		}
		return "", fmt.Errorf("loader: %s is not in the runfiles manifest", rloc)
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("loader: runfile %s: %w", rloc, err)
	}
	return filepath.Abs(p)
}
