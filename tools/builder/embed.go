package main

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
)

// embedCfg is the file the compiler reads with -embedcfg. Without it a
// //go:embed of a file in Bazel's sandbox fails ("cannot embed irregular
// file"), because sandbox inputs are symlinks.
type embedCfg struct {
	Patterns map[string][]string
	Files    map[string]string
}

// splitEmbedPatterns splits the text after //go:embed into patterns, which
// are separated by spaces and may be quoted with "..." or `...`.
func splitEmbedPatterns(s string) ([]string, error) {
	var pats []string
	s = strings.TrimSpace(s)
	for s != "" {
		var pat string
		switch s[0] {
		case '"', '`':
			q := s[0]
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return pats, fmt.Errorf("unterminated quote in //go:embed %s", s)
			}
			quoted := s[:end+2]
			var err error
			if pat, err = strconv.Unquote(quoted); err != nil {
				return pats, fmt.Errorf("invalid quoted pattern %s", quoted)
			}
			s = s[end+2:]
		default:
			end := strings.IndexAny(s, " \t")
			if end < 0 {
				end = len(s)
			}
			pat, s = s[:end], s[end:]
		}
		pats = append(pats, pat)
		s = strings.TrimSpace(s)
	}
	return pats, nil
}

// resolveEmbeds matches each pattern against the embeddable files, which are
// keyed by their path relative to the package directory, the way the go
// command matches them against the package's directory tree.
func resolveEmbeds(patterns []string, files map[string]string) (*embedCfg, error) {
	rels := make([]string, 0, len(files))
	for rel := range files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	cfg := &embedCfg{Patterns: map[string][]string{}, Files: map[string]string{}}
	var problems []string
	for _, pat := range patterns {
		if _, done := cfg.Patterns[pat]; done {
			continue
		}
		all := strings.HasPrefix(pat, "all:")
		glob := strings.TrimPrefix(pat, "all:")
		if _, err := path.Match(glob, ""); err != nil || glob == "" || strings.HasPrefix(glob, "/") || strings.HasSuffix(glob, "/") {
			problems = append(problems, fmt.Sprintf("//go:embed %s: invalid pattern", pat))
			continue
		}
		var matched []string
		for _, rel := range rels {
			if embedMatches(glob, rel, all) {
				matched = append(matched, rel)
				cfg.Files[rel] = files[rel]
			}
		}
		if len(matched) == 0 {
			problems = append(problems, fmt.Sprintf("//go:embed %s: no matching files in embedsrcs; add the files to embedsrcs", pat))
			continue
		}
		cfg.Patterns[pat] = matched
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return cfg, nil
}

// embedMatches reports whether rel is embedded by glob: either it matches
// itself, or one of its parent directories matches and no element below
// that directory is hidden (starts with . or _) unless the pattern is all:.
func embedMatches(glob, rel string, all bool) bool {
	if ok, _ := path.Match(glob, rel); ok {
		return true
	}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		if ok, _ := path.Match(glob, strings.Join(parts[:i], "/")); !ok {
			continue
		}
		if all {
			return true
		}
		for _, p := range parts[i:] {
			if strings.HasPrefix(p, ".") || strings.HasPrefix(p, "_") {
				return false
			}
		}
		return true
	}
	return false
}

func (c *embedCfg) marshal() ([]byte, error) { return json.MarshalIndent(c, "", "\t") }
