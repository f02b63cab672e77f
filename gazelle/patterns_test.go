package pluginlang

import (
	"reflect"
	"testing"

	"github.com/bazelbuild/bazel-gazelle/label"
)

func TestExpand(t *testing.T) {
	set := pluginSet{
		label.New("repo", "plugins/a", "a"):   true,
		label.New("repo", "plugins/b", "b"):   true,
		label.New("repo", "plugins", "top"):   true,
		label.New("repo", "pluginsx", "nope"): true, // not below plugins/
		label.New("other", "plugins/c", "c"):  true, // another repository
	}
	for _, tc := range []struct {
		patterns  []string
		want      []string
		unmatched []string
	}{
		{[]string{"//plugins/..."}, []string{"//plugins:top", "//plugins/a", "//plugins/b"}, nil},
		{[]string{"//plugins:all"}, []string{"//plugins:top"}, nil},
		{[]string{"//plugins:*", "//plugins/b"}, []string{"//plugins:top", "//plugins/b"}, nil},
		{[]string{"//plugins/b", "//plugins/..."}, []string{"//plugins/b", "//plugins:top", "//plugins/a"}, nil},
		{[]string{"//..."}, []string{"//plugins:top", "//plugins/a", "//plugins/b", "//pluginsx:nope"}, nil},
		{[]string{"@ext//so:x", "//missing/..."}, []string{"@ext//so:x"}, []string{"//missing/..."}},
	} {
		labels, unmatched := set.expand(tc.patterns, "repo")
		var got []string
		for _, l := range labels {
			got = append(got, l.String())
		}
		if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(unmatched, tc.unmatched) {
			t.Errorf("expand(%q) = %q, unmatched %q; want %q, unmatched %q", tc.patterns, got, unmatched, tc.want, tc.unmatched)
		}
	}
}
