package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStampedVersion(t *testing.T) {
	status := filepath.Join(t.TempDir(), "stable-status.txt")
	os.WriteFile(status, []byte("STABLE_VERSION 1.2.0\nBUILD_EMBED_LABEL rc1\n"), 0o644)
	for _, c := range []struct{ version, files, want, err string }{
		{"{STABLE_VERSION}", status, "1.2.0", ""},
		{"v{STABLE_VERSION}-{BUILD_EMBED_LABEL}", status, "v1.2.0-rc1", ""},
		{"{not a key} {STABLE_VERSION}", status, "{not a key} 1.2.0", ""},
		{"{STABLE_VERSION}", "", "{STABLE_VERSION}", ""}, // unstamped
		{"{STABLE_GONE}", status, "", "names {STABLE_GONE}, which the workspace status does not set"},
		{"{", status, "{", ""},
	} {
		s := &spec{Label: "//:r", Version: c.version}
		if c.files != "" {
			s.StatusFiles = []string{c.files}
		}
		got, err := s.stampedVersion()
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err = %v, want %q", c.version, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q: %q, %v; want %q", c.version, got, err, c.want)
		}
	}
}
