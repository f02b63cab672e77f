package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// readStatus reads Bazel's workspace status files (stable-status.txt,
// volatile-status.txt): one "KEY value" a line, the value after the first
// space, a key alone meaning an empty value. Later files win, as later
// lines do.
func readStatus(paths []string) (map[string]string, error) {
	status := map[string]string{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, fmt.Errorf("reading the workspace status: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20) // a status value can be a long line
		for sc.Scan() {
			key, value, _ := strings.Cut(sc.Text(), " ")
			if key != "" {
				status[key] = value
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("reading %s: %v", p, err)
		}
	}
	return status, nil
}

// isKey reports whether s is a workspace status key as stamp.bzl's
// stamp_keys matches it: upper case letters, digits and underscores, not
// starting with a digit.
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

// stampValue replaces each {KEY} in value with the key's status value. It
// returns the keys that status lacks (value is then not to be set, as
// rules_go does), in order. Text in braces that is no key stays as written.
func stampValue(value string, status map[string]string) (string, []string) {
	var b strings.Builder
	var missing []string
	rest := value
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		b.WriteString(rest[:open])
		rest = rest[open+1:]
		end := strings.IndexByte(rest, '}')
		// Matched as stamp_keys does: the text up to the next brace of
		// either kind, so "{{KEY}" is "{" then {KEY}.
		if next := strings.IndexByte(rest, '{'); end < 0 || next >= 0 && next < end || !isKey(rest[:end]) {
			b.WriteByte('{')
			continue
		}
		key := rest[:end]
		rest = rest[end+1:]
		v, ok := status[key]
		if !ok {
			missing = append(missing, key)
		}
		b.WriteString(v)
	}
	b.WriteString(rest)
	return b.String(), missing
}

// stampXdefs substitutes the workspace status in each "pkg.name=value"
// definition. A definition naming a key that no status file has is dropped,
// so the variable keeps its value from the source, and a warning names it:
// the same as rules_go, and as an unstamped build.
func stampXdefs(label string, xdefs []string, status map[string]string) []string {
	out := make([]string, 0, len(xdefs))
	for _, x := range xdefs {
		name, value, _ := strings.Cut(x, "=")
		stamped, missing := stampValue(value, status)
		if missing != nil {
			fmt.Fprintf(os.Stderr, "%s: warning: x_defs of %s = %q: the workspace status has no %s, so %s is not set and keeps its value from the source. Print the key from the --workspace_status_command script (STABLE_ keys in stable-status.txt), or correct its name.\n",
				label, name, value, strings.Join(missing, ", "), name)
			continue
		}
		out = append(out, name+"="+stamped)
	}
	return out
}
