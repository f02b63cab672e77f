package plugincheck

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"sort"
)

// Manifest describes a host and the plugins shipped with it, for lockstep
// releases: a plugin can be checked against the manifest alone, without the
// host binary.
type Manifest struct {
	Host    ManifestHost     `json:"host"`
	Plugins []ManifestPlugin `json:"plugins"`
}

// ManifestHost is what the checks need of the host.
type ManifestHost struct {
	File      string            `json:"file"`
	SHA256    string            `json:"sha256"`
	GoVersion string            `json:"go_version,omitempty"`
	Settings  map[string]string `json:"settings,omitempty"`
	Packages  map[string]string `json:"packages"`
}

// ManifestPlugin is one plugin shipped with the host.
type ManifestPlugin struct {
	File       string `json:"file"`
	SHA256     string `json:"sha256"`
	PluginPath string `json:"pluginpath"`
}

// FileSHA256 returns the hex sha256 of a file.
func FileSHA256(path string) (string, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// NewManifest describes host and plugins, read from their files.
func NewManifest(host *Binary, plugins []*Binary) (*Manifest, error) {
	sum, err := FileSHA256(host.Path)
	if err != nil {
		return nil, err
	}
	m := &Manifest{Host: ManifestHost{File: filepath.Base(host.Path), SHA256: sum, Packages: host.Hashes}}
	if bi := host.BuildInfo; bi != nil {
		m.Host.GoVersion = bi.GoVersion
		m.Host.Settings = map[string]string{}
		for _, s := range bi.Settings {
			m.Host.Settings[s.Key] = s.Value
		}
	}
	for _, p := range plugins {
		sum, err := FileSHA256(p.Path)
		if err != nil {
			return nil, err
		}
		m.Plugins = append(m.Plugins, ManifestPlugin{File: filepath.Base(p.Path), SHA256: sum, PluginPath: p.PluginPath})
	}
	return m, nil
}

// ReadManifest reads a manifest written by WriteJSON.
func ReadManifest(path string) (*Manifest, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: not a plugin manifest: %v", path, err)
	}
	if len(m.Host.Packages) == 0 {
		return nil, fmt.Errorf("%s: not a plugin manifest: no host packages", path)
	}
	return &m, nil
}

// readRegular reads a whole file that must be a regular one.
func readRegular(path string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// WriteJSON writes the manifest with sorted keys, so equal inputs give equal files.
func (m *Manifest) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// HostBinary stands in for the host binary in Check; its path names the manifest.
func (m *Manifest) HostBinary(manifestPath string) *Binary {
	b := &Binary{Path: manifestPath + " (host " + m.Host.File + ")", Kind: Host, Hashes: m.Host.Packages}
	if m.Host.GoVersion != "" {
		bi := &debug.BuildInfo{GoVersion: m.Host.GoVersion}
		keys := make([]string, 0, len(m.Host.Settings))
		for k := range m.Host.Settings {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: m.Host.Settings[k]})
		}
		b.BuildInfo = bi
	}
	return b
}

// Shipped returns the manifest's entry for a plugin file name, if any.
func (m *Manifest) Shipped(file string) (ManifestPlugin, bool) {
	for _, p := range m.Plugins {
		if p.File == file {
			return p, true
		}
	}
	return ManifestPlugin{}, false
}
