package loader

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"plugin"
	"reflect"
	"strings"
	"sync"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// Plugin is a loaded plugin.
type Plugin struct {
	*plugin.Plugin
	// Path is the file it was opened from.
	Path string
	// PluginPath is its plugin path (-pluginpath).
	PluginPath string
}

// Option configures Open.
type Option func(*options)

type options struct {
	sha256   string
	manifest string
	release  string
}

// WithSHA256 makes Open refuse a file whose sha256 is not sum (hex), before
// loading it.
func WithSHA256(sum string) Option { return func(o *options) { o.sha256 = strings.ToLower(sum) } }

// WithManifest makes Open refuse a file that is not the one shipped with the
// host: the release manifest (go_plugin_host's `manifest` output group, or
// `plugincheck --write-manifest`) must list a plugin of that file name with
// that sha256.
func WithManifest(path string) Option { return func(o *options) { o.manifest = path } }

var (
	mu sync.Mutex
	// self is the running executable, read once.
	self *plugincheck.Binary
	// opened are the plugins this package opened, in order: they define
	// packages for the plugins opened after them.
	opened []*plugincheck.Binary
	loaded = map[string]*Plugin{} // by pluginpath
)

// Open loads a plugin after checking, from the files, that it will load:
// the file exists and is a regular file, has the expected checksum if one is
// given, is a sound Go plugin for this machine (what the dynamic loader and
// the runtime read is well-formed; see plugincheck.ErrCorrupt), and was
// built with the same version of every package the process already has. A
// plugin that fails a check is not loaded, and the error says why: every
// error wraps one of the Err variables (a mismatch is a *MismatchError).
func Open(path string, opts ...Option) (*Plugin, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	bin, cp, err := check(path, o)
	if err != nil {
		return nil, err
	}
	defer cp.remove()

	mu.Lock()
	defer mu.Unlock()
	if prev, ok := loaded[bin.PluginPath]; ok {
		return nil, &pathError{path, ErrAlreadyLoaded, fmt.Sprintf("%s has the same pluginpath %s", prev.Path, bin.PluginPath), nil}
	}
	host, err := executable()
	if err != nil {
		return nil, &pathError{path, ErrOpen, err.Error(), err}
	}
	res := plugincheck.Check(host, append(append([]*plugincheck.Binary{}, opened...), bin)).Plugins
	if last := res[len(res)-1]; len(last.Mismatches) > 0 {
		return nil, &MismatchError{Path: path, Mismatches: last.Mismatches, Causes: last.Causes}
	}

	// The checked bytes, not whatever path names by now.
	p, err := plugin.Open(cp.path)
	// The runtime keeps a plugin mapped even when Open fails, so it counts
	// for the checks of later plugins either way.
	opened = append(opened, bin)
	if err != nil {
		return nil, classify(path, cp, err)
	}
	lp := &Plugin{Plugin: p, Path: path, PluginPath: bin.PluginPath}
	loaded[bin.PluginPath] = lp
	return lp, nil
}

func executable() (*plugincheck.Binary, error) {
	if self != nil {
		return self, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("loader: finding the running executable: %w", err)
	}
	b, err := plugincheck.Read(exe)
	if err != nil {
		return nil, fmt.Errorf("loader: reading the running executable: %w", err)
	}
	self = b
	return b, nil
}

// check copies the file privately (see privateCopy) and checks the copy
// for everything that does not depend on what is loaded: that it was a
// regular file, the shipped one, and a sound Go plugin for this machine.
func check(path string, o options) (*plugincheck.Binary, *privateCopy, error) {
	f, err := plugincheck.OpenRegular(path)
	switch {
	case errors.Is(err, plugincheck.ErrNotRegular):
		return nil, nil, &pathError{path, ErrNotPlugin, strings.TrimPrefix(err.Error(), path+": "), err}
	case err != nil:
		return nil, nil, &pathError{path, ErrNotFound, err.Error(), err}
	}
	defer f.Close()
	var rel *deployed
	if manifest := releaseOption(o); manifest != "" {
		if rel, err = releaseFor(manifest); err != nil {
			return nil, nil, &pathError{path, ErrManifest, strings.TrimPrefix(err.Error(), ErrManifest.Error()+": "), err}
		}
	}
	if o.manifest != "" {
		m, err := plugincheck.ReadManifest(o.manifest)
		if err != nil {
			return nil, nil, &pathError{path, ErrManifest, err.Error(), err}
		}
		shipped, ok := m.Shipped(filepath.Base(path))
		if !ok {
			return nil, nil, &pathError{path, ErrChecksum, "the manifest " + o.manifest + " lists no plugin " + filepath.Base(path), nil}
		}
		o.sha256 = shipped.SHA256
	}
	cp, sum, err := copyPrivately(f, path)
	if err != nil {
		return nil, nil, readError(path, err)
	}
	if rel != nil {
		if err := rel.refuseUnreleased(path, sum); err != nil {
			cp.remove()
			return nil, nil, err
		}
	}
	bin, err := checkCopy(path, cp, sum, o)
	if err != nil {
		cp.remove()
		return nil, nil, err
	}
	return bin, cp, nil
}

func checkCopy(path string, cp *privateCopy, sum string, o options) (*plugincheck.Binary, error) {
	if o.sha256 != "" && sum != o.sha256 {
		return nil, &pathError{path, ErrChecksum, fmt.Sprintf("sha256 %s, want %s", sum, o.sha256), nil}
	}
	f, err := os.Open(cp.path)
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	bin, err := plugincheck.ReadFrom(f, path)
	if err != nil {
		return nil, readError(path, err)
	}
	if bin.Kind != plugincheck.Plugin {
		return nil, &pathError{path, ErrNotPlugin, "it is an executable", nil}
	}
	return bin, nil
}

// readError maps an error of reading a plugin file to the loader's errors.
func readError(path string, err error) error {
	kind := ErrNotPlugin
	switch {
	case errors.Is(err, plugincheck.ErrCorrupt), errors.Is(err, plugincheck.ErrMalformed):
		kind = ErrCorrupt
	case errors.Is(err, plugincheck.ErrNotRegular), errors.Is(err, plugincheck.ErrNotELF), errors.Is(err, plugincheck.ErrArch),
		errors.Is(err, plugincheck.ErrNoHashes), errors.Is(err, plugincheck.ErrStripped), errors.Is(err, plugincheck.ErrKindUnknown):
	default: // the file system's: permissions, a file that went away
		kind = ErrNotFound
	}
	// plugincheck's sentinel may read as the loader's ("damaged plugin
	// file"): said once.
	detail := strings.TrimPrefix(strings.TrimPrefix(err.Error(), path+": "), kind.Error()+": ")
	return &pathError{path, kind, detail, err}
}

// classify maps what plugin.Open returns as text to the typed errors, for
// what the checks before it could not see.
func classify(path string, cp *privateCopy, err error) error {
	msg := cp.named(err.Error(), path)
	if strings.Contains(msg, "failed to map segment") {
		msg += " (the private copy is in " + os.TempDir() + ": is it mounted noexec? Set TMPDIR to a directory dlopen may map)"
	}
	switch {
	case strings.Contains(msg, "plugin already loaded"):
		return &pathError{path, ErrAlreadyLoaded, msg, err}
	case strings.Contains(msg, "different version of package"):
		return &pathError{path, ErrMismatch, msg, err}
	case strings.Contains(msg, "realpath failed"), strings.Contains(msg, "No such file"):
		return &pathError{path, ErrNotFound, msg, err}
	}
	return &pathError{path, ErrOpen, msg, err}
}

// Lookup finds a symbol and asserts its type: a function as its func type,
// a variable as a pointer to its type. It returns an error, never panics.
func Lookup[T any](p *Plugin, name string) (T, error) {
	var zero T
	sym, err := p.Plugin.Lookup(name)
	if err != nil {
		return zero, &pathError{p.Path, ErrSymbolNotFound, name, err}
	}
	v, ok := sym.(T)
	if !ok {
		return zero, &SymbolTypeError{Path: p.Path, Symbol: name, Want: typeName[T](), Got: fmt.Sprintf("%T", sym)}
	}
	return v, nil
}

func typeName[T any]() string { return reflect.TypeOf((*T)(nil)).Elem().String() }
