package main

import (
	"reflect"
	"testing"
)

func TestWithRepoRootDefault(t *testing.T) {
	for _, tc := range []struct{ args, want []string }{
		{[]string{"-repo_root", "/w"}, []string{"-repo_root", "/w", "/w"}},
		{[]string{"-repo_root=/w"}, []string{"-repo_root=/w", "/w"}},
		{[]string{"update", "-mode", "diff", "-repo_root", "w"}, []string{"update", "-mode", "diff", "-repo_root", "w", "w"}},
		{[]string{"fix", "-r=false", "-go_prefix", "example.com", "-repo_root", "/w"}, []string{"fix", "-r=false", "-go_prefix", "example.com", "-repo_root", "/w", "/w"}},
		// Directories given: Gazelle's.
		{[]string{"-repo_root", "/w", "/w/sub"}, []string{"-repo_root", "/w", "/w/sub"}},
		{[]string{"-repo_root", "/w", "-mode", "diff", "sub"}, []string{"-repo_root", "/w", "-mode", "diff", "sub"}},
		// No -repo_root: Gazelle finds the root from the current directory.
		{[]string{"-mode", "diff"}, []string{"-mode", "diff"}},
		// An unknown flag: left for Gazelle to report.
		{[]string{"-nosuchflag", "-repo_root", "/w"}, []string{"-nosuchflag", "-repo_root", "/w"}},
	} {
		if got := withRepoRootDefault(tc.args, newLanguages()); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("withRepoRootDefault(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
