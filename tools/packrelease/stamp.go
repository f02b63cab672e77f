package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// stampedVersion substitutes {KEY} in the version with Bazel's workspace
// status values when the build is stamped; unstamped, the version is kept
// as written.
func (s *spec) stampedVersion() (string, error) {
	if len(s.StatusFiles) == 0 || !strings.Contains(s.Version, "{") {
		return s.Version, nil
	}
	status := map[string]string{}
	for _, f := range s.StatusFiles {
		if err := readStatus(f, status); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	rest := s.Version
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			break
		}
		key := rest[open+1 : open+end]
		v, ok := status[key]
		if !ok {
			return "", fmt.Errorf("%s: version %q names {%s}, which the workspace status does not set; print it from --workspace_status_command, or remove it", s.Label, s.Version, key)
		}
		b.WriteString(rest[:open])
		b.WriteString(v)
		rest = rest[open+end+1:]
	}
	b.WriteString(rest)
	return b.String(), nil
}

// readStatus reads a workspace status file: "KEY value" lines.
func readStatus(path string, into map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, _ := strings.Cut(sc.Text(), " ")
		if key != "" {
			into[key] = value
		}
	}
	return sc.Err()
}
