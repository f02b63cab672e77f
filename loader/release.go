package loader

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// EnvRelease names the environment variable that ties a deployed host to
// its release: the path of the release manifest (release.json of a
// go_plugin_release archive). When it is set, every Open refuses a file that
// is not a plugin the release ships with this host (compared by sha256),
// and Paths, unless GO_PLUGIN_PATHS is set, returns this host's plugins
// from the release, next to the manifest.
const EnvRelease = "GO_PLUGIN_RELEASE"

// WithRelease makes Open refuse a file that is not a plugin the release
// (its manifest's path) ships with this host, as GO_PLUGIN_RELEASE does.
func WithRelease(manifest string) Option { return func(o *options) { o.release = manifest } }

// deployed is a release manifest and this executable's place in it.
type deployed struct {
	manifest string
	release  *plugincheck.Release
	host     *plugincheck.ReleaseHost
}

var (
	releaseMu sync.Mutex
	releases  = map[string]*deployed{} // by manifest path
)

// releaseFor reads a release manifest once and finds the running
// executable among its hosts, by sha256.
func releaseFor(manifest string) (*deployed, error) {
	releaseMu.Lock()
	defer releaseMu.Unlock()
	if d, ok := releases[manifest]; ok {
		return d, nil
	}
	r, err := plugincheck.ReadRelease(manifest)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("%w: finding the running executable: %v", ErrManifest, err)
	}
	sum, err := plugincheck.FileSHA256(exe)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifest, err)
	}
	h, ok := r.HostWithSHA256(sum)
	if !ok {
		var names []string
		for _, h := range r.Hosts {
			names = append(names, h.File)
		}
		return nil, fmt.Errorf("%w: %s (sha256 %s) is not a host of release %s %s (%s ships %s): run a host of the release, or point %s at this host's release", ErrManifest, exe, sum, r.Name, r.Version, manifest, strings.Join(names, ", "), EnvRelease)
	}
	d := &deployed{manifest: manifest, release: r, host: h}
	releases[manifest] = d
	return d, nil
}

// paths are the host's plugins in the release, in its load order.
func (d *deployed) paths() ([]string, error) {
	dir := filepath.Dir(d.manifest)
	var paths []string
	for _, file := range d.host.Plugins {
		p, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(file)))
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("loader: plugin %s of release %s %s (%s): %w", file, d.release.Name, d.release.Version, d.manifest, err)
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("loader: release %s %s (%s) ships no plugins with host %s", d.release.Name, d.release.Version, d.manifest, d.host.Name)
	}
	return paths, nil
}

// refuseUnreleased fails unless sum is a plugin the release ships with
// this host; a file of the release's name with other bytes is named as such.
func (d *deployed) refuseUnreleased(path, sum string) error {
	if p, ok := d.release.PluginWithSHA256(sum); ok {
		if p.ShippedBy(d.host.Name) {
			return nil
		}
		return &pathError{path, ErrNotReleased, fmt.Sprintf("it is %s of release %s %s, which ships it with %s, not with this host (%s)", p.File, d.release.Name, d.release.Version, strings.Join(p.ShippedWith, ", "), d.host.Name), nil}
	}
	detail := fmt.Sprintf("sha256 %s is no plugin release %s %s (%s) ships with host %s", sum, d.release.Name, d.release.Version, d.manifest, d.host.Name)
	for _, file := range d.host.Plugins {
		if filepath.Base(file) == filepath.Base(path) {
			p, _ := d.release.PluginFile(file)
			detail += fmt.Sprintf("; the release's %s has sha256 %s: this file was changed or replaced", file, p.SHA256)
		}
	}
	return &pathError{path, ErrNotReleased, detail, nil}
}

// releaseOption is the release Open checks against: WithRelease's, else
// GO_PLUGIN_RELEASE's, else none ("").
func releaseOption(o options) string {
	if o.release != "" {
		return o.release
	}
	return os.Getenv(EnvRelease)
}
