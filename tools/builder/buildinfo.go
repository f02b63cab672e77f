package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// The markers around the build info the linker embeds, as the go command
// writes them (cmd/go/internal/modload.ModInfoData); debug/buildinfo and
// `go version -m` look for them.
const (
	infoStart = "\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6"
	infoEnd   = "\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2"
)

// modinfoLine is the importcfg line that makes the linker embed build info:
// the path, the modules (mod and dep lines, with a module graph) and the
// settings, so that `go version -m` says how the file was built and the
// compatibility checker can explain a mismatch.
func modinfoLine(path string, main debug.Module, deps []*debug.Module, settings []string) (string, error) {
	bi := debug.BuildInfo{Path: path, Main: main, Deps: deps}
	for _, s := range settings {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			return "", fmt.Errorf("-buildinfo %q: want key=value", s)
		}
		bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: v})
	}
	return fmt.Sprintf("modinfo %q", infoStart+bi.String()+infoEnd), nil
}
