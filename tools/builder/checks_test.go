package main

import (
	"strings"
	"testing"
)

// A compiler flag the ruleset sets itself is refused in the gcflags
// setting, naming the setting: -dynlink there made every executable,
// plugincheck included, segfault at start.
func TestOwnedGcflagsRefused(t *testing.T) {
	for _, flags := range [][]string{{"-dynlink"}, {"-N", "--race"}, {"-p=x"}, {"-o", "out.a"}, {"-trimpath=a=>b"}, {"-importcfg", "cfg"}, {"-std"}, {"-complete"}, {"-buildid=x"}, {"-shared"}, {"-msan"}, {"-asan"}, {"-pack"}} {
		err := checkOwnedGcflags(flags)
		if err == nil || !strings.HasPrefix(err.Error(), gcflagsSetting+"=") || !strings.Contains(err.Error(), "remove it from the setting") {
			t.Errorf("%q: got %v", flags, err)
		}
	}
	for _, flags := range [][]string{{"-N", "-l"}, {"-m"}, {"-d=checkptr"}, {"-c=4"}, {"-l", "-B"}} {
		if err := checkOwnedGcflags(flags); err != nil {
			t.Errorf("%q: %v", flags, err)
		}
	}
}
