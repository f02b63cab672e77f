package loader

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rules-go-plugin/rules_go_plugin/plugincheck"
)

// Errors of Open and Lookup, for errors.Is. The error values returned carry
// the details (path, packages, types) and wrap one of these.
var (
	// ErrNotFound: the file does not exist or cannot be read.
	ErrNotFound = errors.New("plugin file not found or unreadable")
	// ErrNotPlugin: not a regular file (a named pipe, a device, a
	// directory), not an ELF file, another architecture, an executable, or
	// a plugin the checks cannot read (stripped).
	ErrNotPlugin = errors.New("not a Go plugin for this machine")
	// ErrCorrupt: a damaged plugin file: it does not match its Go build ID,
	// or what the dynamic loader and the runtime read is malformed or
	// inconsistent (see plugincheck.ErrCorrupt). Opening it could crash the
	// process, so it is refused before dlopen.
	ErrCorrupt = errors.New("damaged plugin file")
	// ErrMismatch: built with a different version of packages the process
	// has; the error is a *MismatchError with every one of them.
	ErrMismatch = errors.New("plugin built with different versions of packages")
	// ErrAlreadyLoaded: a plugin with the same pluginpath is loaded.
	ErrAlreadyLoaded = errors.New("plugin already loaded")
	// ErrChecksum: the file is not the one the host shipped with.
	ErrChecksum = errors.New("plugin checksum mismatch")
	// ErrNotReleased: the file is not a plugin that the release
	// (WithRelease, GO_PLUGIN_RELEASE) ships with this host.
	ErrNotReleased = errors.New("plugin not part of the release")
	// ErrManifest: the manifest given with WithManifest, WithRelease or
	// GO_PLUGIN_RELEASE is missing, unreadable or not a manifest, or does
	// not list this host.
	ErrManifest = errors.New("cannot use the plugin manifest")
	// ErrOpen: plugin.Open failed for a reason the checks before it did not
	// foresee; the error carries its message.
	ErrOpen = errors.New("plugin.Open failed")
	// ErrSymbolNotFound: Lookup found no such symbol.
	ErrSymbolNotFound = errors.New("symbol not found")
	// ErrSymbolType: the symbol has another type than asked for.
	ErrSymbolType = errors.New("symbol has another type")
)

// MismatchError lists every package whose hash in the plugin differs from
// the one already loaded (by the executable or an earlier plugin), found by
// reading the files before dlopen, so the plugin was not loaded.
type MismatchError struct {
	Path       string
	Mismatches []plugincheck.Mismatch
	// Causes are the likely reasons, read from the build info.
	Causes []string
}

func (e *MismatchError) Error() string {
	var pkgs []string
	for _, m := range e.Mismatches {
		pkgs = append(pkgs, m.Package)
	}
	msg := fmt.Sprintf("loader: %s: %v: %s", e.Path, ErrMismatch, strings.Join(pkgs, ", "))
	if len(e.Causes) > 0 {
		msg += " (likely cause: " + strings.Join(e.Causes, "; ") + ")"
	}
	return msg
}

func (e *MismatchError) Unwrap() error { return ErrMismatch }

// SymbolTypeError is a symbol whose type is not the one asked for.
type SymbolTypeError struct {
	Path, Symbol string
	Want, Got    string
}

func (e *SymbolTypeError) Error() string {
	return fmt.Sprintf("loader: %s: symbol %s is %s, want %s", e.Path, e.Symbol, e.Got, e.Want)
}

func (e *SymbolTypeError) Unwrap() error { return ErrSymbolType }

// pathError is an error about one plugin file that wraps a sentinel and,
// when there is one, the error that caused it.
type pathError struct {
	path   string
	kind   error
	detail string
	cause  error
}

func (e *pathError) Error() string {
	if e.detail == "" {
		return fmt.Sprintf("loader: %s: %v", e.path, e.kind)
	}
	return fmt.Sprintf("loader: %s: %v: %s", e.path, e.kind, e.detail)
}

func (e *pathError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}
