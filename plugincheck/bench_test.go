package plugincheck

import (
	"fmt"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
)

// BenchmarkStaticCheck times what the validation action and the bench's
// "static check" row do: read a host and N plugins (every damage check of
// each plugin included) and decide, on files built by the go command like
// the bench's workload (pluginfixtures.BenchSet).
//
//	go test -run=NONE -bench=StaticCheck -benchmem ./plugincheck
func BenchmarkStaticCheck(b *testing.B) {
	host, plugins := pluginfixtures.BenchSet(b)
	for _, n := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("plugins=%d", n), func(b *testing.B) {
			for b.Loop() {
				h, err := Read(host)
				if err != nil {
					b.Fatal(err)
				}
				var ps []*Binary
				for _, p := range plugins[:n] {
					bin, err := Read(p)
					if err != nil {
						b.Fatal(err)
					}
					if !bin.ContentHashed {
						b.Fatalf("%s: the content hash was not checked", p)
					}
					ps = append(ps, bin)
				}
				if r := Check(h, ps); !r.OK() {
					b.Fatalf("the bench set does not load: %+v", r.Plugins)
				}
			}
		})
	}
}

// BenchmarkReadPlugin times reading one plugin of the bench set, damage
// checks included.
func BenchmarkReadPlugin(b *testing.B) {
	_, plugins := pluginfixtures.BenchSet(b)
	for b.Loop() {
		if _, err := Read(plugins[0]); err != nil {
			b.Fatal(err)
		}
	}
}
