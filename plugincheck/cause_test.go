package plugincheck

import (
	"runtime/debug"
	"strings"
	"testing"
)

func withModules(path string, deps ...*debug.Module) *Binary {
	return &Binary{Path: path, BuildInfo: &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "example.com/m", Version: "(devel)"},
		Deps:      deps,
		Settings:  []debug.BuildSetting{{Key: "-trimpath", Value: "true"}},
	}}
}

// The cause names another version of a module only when the build infos
// list other versions; with equal versions it names how the packages were
// compiled (positions, -lang), which is what differs then.
func TestExplainModules(t *testing.T) {
	gin := func(v, sum string) *debug.Module {
		return &debug.Module{Path: "github.com/gin-gonic/gin", Version: v, Sum: sum}
	}
	pkgs := []string{"github.com/gin-gonic/gin/internal/bytesconv", "runtime"}
	for _, tc := range []struct {
		name         string
		host, plugin *Binary
		want, refuse string
	}{
		{"same versions", withModules("host", gin("v1.12.0", "h1:a")), withModules("p.so", gin("v1.12.0", "h1:a")),
			"the same module versions (github.com/gin-gonic/gin@v1.12.0): the differing packages were compiled differently from the same sources: file positions", "another version"},
		{"other versions", withModules("host", gin("v1.12.0", "h1:a")), withModules("p.so", gin("v1.11.0", "h1:b")),
			"module github.com/gin-gonic/gin: the host has v1.12.0 h1:a, the plugin v1.11.0 h1:b (another version of the module)", "compiled differently"},
		{"replaced", withModules("host", gin("v1.12.0", "h1:a")), withModules("p.so", &debug.Module{Path: "github.com/gin-gonic/gin", Version: "v1.12.0", Replace: &debug.Module{Path: "../gin", Version: "(devel)"}}),
			"the plugin v1.12.0 => ../gin (devel)", "compiled differently"},
		{"no modules", withModules("host", gin("v1.12.0", "h1:a")), &Binary{Path: "p.so", BuildInfo: &debug.BuildInfo{GoVersion: "go1.26.8", Settings: []debug.BuildSetting{{Key: "-trimpath", Value: "true"}}}},
			"p.so lists no modules, so the versions of the differing packages' modules cannot be compared", "same module versions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(explain(tc.host, tc.plugin, pkgs), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("causes %q lack %q", got, tc.want)
			}
			if strings.Contains(got, tc.refuse) {
				t.Errorf("causes %q say %q", got, tc.refuse)
			}
		})
	}
}
