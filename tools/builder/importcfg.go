package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strings"
)

// readImportcfg reads the "packagefile path=file" lines of an importcfg.
func readImportcfg(name string) (map[string]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		rest, ok := strings.CutPrefix(line, "packagefile ")
		if !ok {
			continue
		}
		p, file, ok := strings.Cut(rest, "=")
		if !ok {
			return nil, fmt.Errorf("%s: malformed line %q", name, line)
		}
		m[p] = file
	}
	return m, sc.Err()
}

// parsePairs turns "key=value" flags into a map and refuses duplicate keys.
func parsePairs(flagName string, pairs []string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("-%s %q: want key=value", flagName, kv)
		}
		if old, dup := m[k]; dup && old != v {
			return nil, fmt.Errorf("-%s: %s is given twice, as %s and %s", flagName, k, old, v)
		}
		m[k] = v
	}
	return m, nil
}

// writeImportcfg writes the packages, sorted so that the file is stable.
func writeImportcfg(name string, pkgs map[string]string, extra ...string) error {
	keys := make([]string, 0, len(pkgs))
	for k := range pkgs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "packagefile %s=%s\n", k, pkgs[k])
	}
	for _, line := range extra {
		b.WriteString(line + "\n")
	}
	return os.WriteFile(name, []byte(b.String()), 0o644)
}
