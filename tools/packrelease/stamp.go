package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// stampedVersion substitutes {KEY} placeholders in the version with Bazel's
// workspace status values when the release is stamped (the rule passes the
// status files then); unstamped, the version is kept as written. Keys are
// matched as the links match them (stamp.bzl's stamp_keys); a key the
// status lacks is an error: a release must not ship without its version.
func (s *spec) stampedVersion() (string, error) {
	if len(s.StatusFiles) == 0 {
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
		end := strings.IndexByte(rest[open+1:], '}')
		if open < 0 || end < 0 {
			break
		}
		key := rest[open+1 : open+1+end]
		if !isKey(key) {
			b.WriteString(rest[:open+1])
			rest = rest[open+1:]
			continue
		}
		v, ok := status[key]
		if !ok {
			return "", fmt.Errorf("%s: version %q names {%s}, which the workspace status does not set: print it from the --workspace_status_command script, or correct its name", s.Label, s.Version, key)
		}
		b.WriteString(rest[:open])
		b.WriteString(v)
		rest = rest[open+1+end+1:]
	}
	b.WriteString(rest)
	return b.String(), nil
}

// isKey reports whether s is a workspace status key: upper case letters,
// digits and underscores, not starting with a digit.
func isKey(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// readStatus reads a workspace status file: "KEY value" lines.
func readStatus(path string, into map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		key, value, _ := strings.Cut(sc.Text(), " ")
		if key != "" {
			into[key] = value
		}
	}
	return sc.Err()
}
