package pluginfixtures

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/benchworkload"
)

// BenchPlugins is the number of plugins of BenchSet: the bench's largest N.
const BenchPlugins = 16

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// BenchSet returns a host and BenchPlugins plugins with the bench's API
// and plugin sources (internal/benchworkload): plugins importing the API,
// encoding/json, fmt, sort and strings, about 5 MB each. They are built
// with the go command (-trimpath) on first use, into a directory of the
// system's temporary directory that later runs reuse (keyed by the sources
// and Go's version).
func BenchSet(tb testing.TB) (host string, plugins []string) {
	tb.Helper()
	benchOnce.Do(func() { benchDir, benchErr = buildBenchSet(BenchPlugins) })
	if benchErr != nil {
		tb.Fatal(benchErr)
	}
	dir := benchDir
	for i := 0; i < BenchPlugins; i++ {
		plugins = append(plugins, filepath.Join(dir, fmt.Sprintf("p%d.so", i)))
	}
	return filepath.Join(dir, "host"), plugins
}

func benchSources(n int) map[string]string {
	files := map[string]string{
		"go.mod":     "module bench.example\n\ngo 1.26\n",
		"api/api.go": benchworkload.API,
		"host/main.go": `// Command host opens the plugins named on its command line.
package main

import (
	"fmt"
	"os"
	"plugin"

	"bench.example/api"
)

func main() {
	for _, path := range os.Args[1:] {
		p, err := plugin.Open(path)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		sym, err := p.Lookup("New")
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		out, err := sym.(func() api.Plugin)().Handle(api.Request{Name: "bench", Count: 3})
		fmt.Println(out, err)
	}
}
`,
	}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("p%d", i)
		files[name+"/"+name+".go"] = benchworkload.Plugin(name, "v0")
	}
	return files
}

func buildBenchSet(n int) (string, error) {
	files := benchSources(n)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "%s %d\n", runtime.Version(), n)
	for _, name := range names {
		fmt.Fprintf(h, "%s %d\n%s", name, len(files[name]), files[name])
	}
	parent := filepath.Join(os.TempDir(), "rules_go_plugin_benchset")
	final := filepath.Join(parent, hex.EncodeToString(h.Sum(nil))[:16])
	if _, err := os.Stat(filepath.Join(final, "out", "host")); err == nil {
		return filepath.Join(final, "out"), nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "building-")
	if err != nil {
		return "", err
	}
	if err := buildBenchSetInto(tmp, files, n); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		// Another process finished first: use its files.
		os.RemoveAll(tmp)
		if _, err := os.Stat(filepath.Join(final, "out", "host")); err != nil {
			return "", err
		}
	}
	return filepath.Join(final, "out"), nil
}

func buildBenchSetInto(dir string, files map[string]string, n int) error {
	for name, text := range files {
		p := filepath.Join(dir, "src", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return err
		}
	}
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	builds := [][]string{{"-trimpath", "-o", filepath.Join(out, "host"), "./host"}}
	for i := 0; i < n; i++ {
		// -buildmode=plugin takes one package per go build.
		builds = append(builds, []string{"-trimpath", "-buildmode=plugin", "-o", filepath.Join(out, fmt.Sprintf("p%d.so", i)), fmt.Sprintf("./p%d", i)})
	}
	for _, args := range builds {
		cmd := exec.Command("go", append([]string{"build"}, args...)...)
		cmd.Dir = filepath.Join(dir, "src")
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOTOOLCHAIN=local", "GOWORK=off")
		if log, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building the bench set: go build %s: %v\n%s", strings.Join(args, " "), err, log)
		}
	}
	return nil
}
