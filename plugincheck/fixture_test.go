package plugincheck

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/rules-go-plugin/rules_go_plugin/internal/pluginfixtures"
)

// fixture returns the path of a file built by the plain go command (see
// package pluginfixtures).
var fixture = pluginfixtures.MustPath

// runtimeVerdict runs the fixture host, which really calls plugin.Open on
// each plugin in order, and returns its line per plugin.
func runtimeVerdict(t *testing.T, host string, plugins []string) []string {
	t.Helper()
	out, err := exec.Command(host, plugins...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", host, err, out)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}
