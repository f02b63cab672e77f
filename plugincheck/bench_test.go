package plugincheck

import (
	"fmt"
	"syscall"
	"testing"
	"time"

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
			defer reportCPU(b)()
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
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Read(plugins[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadHost times reading the host of the bench set.
func BenchmarkReadHost(b *testing.B) {
	host, _ := pluginfixtures.BenchSet(b)
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Read(host); err != nil {
			b.Fatal(err)
		}
	}
}

// reportCPU adds the process's CPU time (user and system, all threads) per
// operation to a benchmark's results, as cpu-ms/op: on a shared machine it
// varies less than the time per operation.
func reportCPU(b *testing.B) (stop func()) {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
