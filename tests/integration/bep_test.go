package integration

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// buildEvents is what the Build Event Protocol of one `bazel build` says
// about its targets. Outputs are found there, not by guessing paths: a build
// with any setting other than the default writes to an output directory of
// its own (bazel-out/<config>-ST-<hash>), which bazel-bin does not point to.
type buildEvents struct {
	status map[string]bool     // label -> built (the target and its validation)
	files  map[string][]string // label -> absolute paths of its default outputs
}

// readBuildEvents reads a --build_event_json_file.
func readBuildEvents(path string) (*buildEvents, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	type file struct {
		URI string `json:"uri"`
	}
	type fileSet struct {
		ID string `json:"id"`
	}
	sets := map[string]struct {
		Files    []file    `json:"files"`
		FileSets []fileSet `json:"fileSets"`
	}{}
	defaults := map[string][]fileSet{} // label -> its default output group
	ev := &buildEvents{status: map[string]bool{}, files: map[string][]string{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var e struct {
			ID struct {
				TargetCompleted *struct{ Label string } `json:"targetCompleted"`
				NamedSet        *fileSet                `json:"namedSet"`
			} `json:"id"`
			Completed *struct {
				Success     bool `json:"success"`
				OutputGroup []struct {
					Name     string    `json:"name"`
					FileSets []fileSet `json:"fileSets"`
				} `json:"outputGroup"`
			} `json:"completed"`
			NamedSetOfFiles *struct {
				Files    []file    `json:"files"`
				FileSets []fileSet `json:"fileSets"`
			} `json:"namedSetOfFiles"`
		}
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if id := e.ID.NamedSet; id != nil && e.NamedSetOfFiles != nil {
			sets[id.ID] = *e.NamedSetOfFiles
		}
		if tc := e.ID.TargetCompleted; tc != nil {
			ev.status[tc.Label] = e.Completed != nil && e.Completed.Success
			if e.Completed != nil {
				for _, g := range e.Completed.OutputGroup {
					if g.Name == "default" {
						defaults[tc.Label] = g.FileSets
					}
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	for label, roots := range defaults {
		seen := map[string]bool{}
		var walk func([]fileSet)
		walk = func(ids []fileSet) {
			for _, id := range ids {
				if seen[id.ID] {
					continue
				}
				seen[id.ID] = true
				set := sets[id.ID]
				for _, f := range set.Files {
					if u, err := url.Parse(f.URI); err == nil && u.Scheme == "file" {
						ev.files[label] = append(ev.files[label], u.Path)
					}
				}
				walk(set.FileSets)
			}
		}
		walk(roots)
		sort.Strings(ev.files[label])
	}
	return ev, nil
}

// file returns the output of label whose path ends in /name.
func (ev *buildEvents) file(label, name string) (string, error) {
	for _, f := range ev.files[label] {
		if strings.HasSuffix(f, "/"+name) {
			return f, nil
		}
	}
	return "", fmt.Errorf("the build events list no output %s of %s (outputs: %q)", name, label, ev.files[label])
}

// mustFile is file that fails t.
func (ev *buildEvents) mustFile(t *testing.T, label, name string) string {
	t.Helper()
	f, err := ev.file(label, name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// mustBuild runs `bazel build args`, which must succeed, and returns what its
// build events say.
func (w *workspace) mustBuild(args ...string) *buildEvents {
	w.t.Helper()
	bep := filepath.Join(w.t.TempDir(), "build.bep.json")
	w.mustRun("build", append([]string{"--build_event_json_file=" + bep}, args...)...)
	ev, err := readBuildEvents(bep)
	if err != nil {
		w.t.Fatal(err)
	}
	return ev
}

// outputDir is the configuration's output directory of an output path:
// .../bazel-out/<config>/bin.
func outputDir(path string) string {
	i := strings.LastIndex(path, "/bazel-out/")
	if i < 0 {
		return ""
	}
	rest := path[i+len("/bazel-out/"):]
	if j := strings.Index(rest, "/bin/"); j >= 0 {
		return path[:i+len("/bazel-out/")+j+len("/bin")]
	}
	return ""
}
