package plugincheck

import (
	"bytes"
	"os"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
)

// FuzzRead feeds arbitrary bytes to the ELF reader without the recover of
// ReadFrom, so a panic anywhere in the reading fails the fuzzer. Seeds are
// real hosts and plugins, whole and cut short.
//
//	go test -fuzz=FuzzRead -fuzztime=5m ./plugincheck
func FuzzRead(f *testing.F) {
	for _, name := range []string{"good.so", "host", "stripped.so"} {
		data, err := os.ReadFile(pluginfixtures.MustPath(f, name))
		if err != nil {
			f.Fatal(err)
		}
		for _, n := range []int{0, 4, 16, 64, 512, 4096, len(data) / 2} {
			f.Add(data[:n])
		}
	}
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := readFrom(bytes.NewReader(data), "fuzz")
		if err == nil && (b == nil || len(b.Hashes) == 0) {
			t.Fatalf("no error, but no hashes either: %+v", b)
		}
	})
}
