package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// spec is what go_plugin_release tells the action (json.encode of a struct).
type spec struct {
	Label   string `json:"label"`
	Name    string `json:"name"`
	Version string `json:"version"`
	// Prefix is the directory every file of the archive is under ("" for none).
	Prefix string `json:"prefix"`
	// ManifestFile is the manifest's path in the release.
	ManifestFile string `json:"manifest_file"`
	// StatusFiles are Bazel's workspace status files when stamping.
	StatusFiles []string   `json:"status_files"`
	Hosts       []specHost `json:"hosts"`
	// Outputs.
	Manifest string `json:"manifest"`
	Archive  string `json:"archive"`
}

type specFile struct {
	Path  string `json:"path"`  // in the exec root
	File  string `json:"file"`  // in the release
	Label string `json:"label"` // the target that built it
}

type specHost struct {
	specFile
	Name    string     `json:"name"`
	Plugins []specFile `json:"plugins"`
}

func readSpec(p string) (*spec, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var s spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %v", p, err)
	}
	return &s, nil
}

// inputs reads every host and plugin, each plugin once however many hosts
// ship it.
func (s *spec) inputs() ([]plugincheck.ReleaseHostInput, error) {
	read := map[string]*plugincheck.Binary{}
	bin := func(f specFile) (plugincheck.ReleaseFile, error) {
		b, ok := read[f.Path]
		if !ok {
			var err error
			if b, err = plugincheck.Read(f.Path); err != nil {
				return plugincheck.ReleaseFile{}, fmt.Errorf("%s: %v", f.Label, err)
			}
			read[f.Path] = b
		}
		return plugincheck.ReleaseFile{Bin: b, File: f.File, Label: f.Label}, nil
	}
	var hosts []plugincheck.ReleaseHostInput
	for _, h := range s.Hosts {
		hf, err := bin(h.specFile)
		if err != nil {
			return nil, err
		}
		in := plugincheck.ReleaseHostInput{ReleaseFile: hf, Name: h.Name}
		for _, p := range h.Plugins {
			pf, err := bin(p)
			if err != nil {
				return nil, err
			}
			in.Plugins = append(in.Plugins, pf)
		}
		hosts = append(hosts, in)
	}
	return hosts, nil
}

// archiveFiles lists what the archive holds: the manifest, each host and
// each plugin once.
func (s *spec) archiveFiles(manifest []byte) []archiveFile {
	files := []archiveFile{{name: path.Join(s.Prefix, s.ManifestFile), data: manifest, mode: 0o644}}
	seen := map[string]bool{}
	add := func(f specFile) {
		if !seen[f.File] {
			seen[f.File] = true
			files = append(files, archiveFile{name: path.Join(s.Prefix, f.File), src: f.Path, mode: 0o755})
		}
	}
	for _, h := range s.Hosts {
		add(h.specFile)
		for _, p := range h.Plugins {
			add(p)
		}
	}
	return files
}
