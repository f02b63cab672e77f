// Command packrelease is go_plugin_release's action: it checks that every
// plugin of a release loads into each host that ships it, writes the release
// manifest, and packs hosts, plugins and manifest into one deterministic
// .tar.gz. On any failure it leaves no output behind.
//
//	packrelease SPEC.json
//
// The spec, written by the rule, names the outputs and every file with its
// path in the release; see spec.go.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: packrelease SPEC.json")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "packrelease:", err)
		os.Exit(1)
	}
}

func run(specPath string) error {
	spec, err := readSpec(specPath)
	if err != nil {
		return err
	}
	version, err := spec.stampedVersion()
	if err != nil {
		return err
	}
	hosts, err := spec.inputs()
	if err != nil {
		return err
	}
	release, err := plugincheck.NewRelease(spec.Name, version, hosts)
	var failed *plugincheck.ReleaseError
	if errors.As(err, &failed) {
		return fmt.Errorf("%s: %w", spec.Label, err)
	} else if err != nil {
		return err
	}
	var manifest bytes.Buffer
	if err := release.WriteJSON(&manifest); err != nil {
		return err
	}
	files := spec.archiveFiles(manifest.Bytes())
	if err := writeOutputs(spec, manifest.Bytes(), files); err != nil {
		os.Remove(spec.Manifest)
		os.Remove(spec.Archive)
		return err
	}
	return nil
}

func writeOutputs(spec *spec, manifest []byte, files []archiveFile) error {
	if err := os.WriteFile(spec.Manifest, manifest, 0o644); err != nil {
		return err
	}
	return writeArchive(spec.Archive, files)
}
