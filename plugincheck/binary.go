// Package plugincheck decides, before anything is loaded, whether Go plugins
// will load into a host: it reads the package hashes that the Go linker
// writes into both (the dynamic symbols go:link.pkghashbytes.<importpath>),
// each plugin's pluginpath and the build info, with debug/elf only (no cgo,
// no dlopen), and replays the checks plugin.Open makes, in load order.
//
// It uses only the standard library, so the rules can build it inside Bazel.
package plugincheck

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
)

// Kind says whether a file is a host (an executable) or a plugin.
type Kind string

const (
	Host   Kind = "host"
	Plugin Kind = "plugin"
)

// Binary is what the checks need to know of one host or plugin.
type Binary struct {
	Path string
	Kind Kind
	// PluginPath is the plugin's path (-pluginpath), unescaped; empty for a host.
	PluginPath string
	// Hashes maps each package linked in to its fingerprint, in hex, as the
	// exported symbols go:link.pkghashbytes.<package> hold it: what the
	// dynamic linker resolves for plugins opened later.
	Hashes map[string]string
	// LinkHashes is, for a plugin, the list plugin.Open compares: each
	// package's fingerprint as the plugin was linked with it
	// (go:link.pkgname.N and go:link.pkglinkhash.N).
	LinkHashes map[string]string
	// Machine is the ELF machine, e.g. EM_X86_64.
	Machine elf.Machine
	// BuildInfo is what `go version -m` shows; nil when the file has none.
	BuildInfo *buildinfo.BuildInfo
	// ContentHashed is true for a plugin whose every byte was checked
	// against the content hash of its Go build ID (as `go build` writes
	// it); false when the file has no such ID, and only its structures
	// were checked.
	ContentHashed bool
	// CExports are the C symbols the file exports a definition of (global
	// functions and variables of its C code, without the Go toolchain's
	// own), which the dynamic linker binds the uses of files opened later
	// to.
	CExports map[string]bool
	// CUses, of a plugin, are the C symbols it defines and uses through the
	// dynamic linker: an earlier definition takes their place.
	CUses []CUse
	// cgoPrefixes are the "_cgo_<hash>_" prefixes of the cgo wrappers the
	// file exports, one per package with cgo code.
	cgoPrefixes map[string]bool
	// toolchainC are the C definitions the file exports that CExports
	// leaves out as the Go or C toolchain's (runtime/cgo's, the race
	// runtime's): code that uses only these is the toolchain's too.
	toolchainC map[string]bool
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Errors for files that cannot be checked. Read wraps them with the path
// and details; test with errors.Is.
var (
	ErrNotELF      = errors.New("not an ELF file")
	ErrArch        = errors.New("ELF file of another architecture")
	ErrNoHashes    = errors.New("no package hashes: not a Go host that imports \"plugin\", nor a Go plugin")
	ErrStripped    = errors.New("stripped plugin: its symbol table, which holds the pluginpath, was removed")
	ErrMalformed   = errors.New("malformed ELF file")
	ErrKindUnknown = errors.New("neither an executable nor a shared object")
)

const (
	hashPrefix       = "go:link.pkghashbytes."
	pluginPathSymbol = "go:link.thispluginpath"
)

// Read reads a host or plugin from a file.
func Read(path string) (*Binary, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFrom(f, path)
}

// ReadFrom reads a host or plugin; name is used in errors. It never panics:
// a malformed file gives an error wrapping ErrMalformed. A plugin is read
// whole into memory, as its checks cover every byte; of a host, only what
// the checks need is read.
func ReadFrom(r io.ReaderAt, name string) (b *Binary, err error) {
	// debug/elf is meant not to panic on bad input; this makes sure of it.
	defer func() {
		if p := recover(); p != nil {
			b, err = nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, p)
		}
	}()
	return readFrom(r, name)
}

func readFrom(r io.ReaderAt, name string) (*Binary, error) {
	var magic [4]byte
	if _, err := r.ReadAt(magic[:], 0); err != nil || string(magic[:]) != elf.ELFMAG {
		return nil, fmt.Errorf("%s: %w", name, ErrNotELF)
	}
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
	}
	if want := machineOf(runtime.GOARCH); want != 0 && f.Machine != want {
		return nil, fmt.Errorf("%s: %w: %s, but this machine is %s", name, ErrArch, f.Machine, want)
	}
	b := &Binary{Path: name, Machine: f.Machine, Hashes: map[string]string{}, CExports: map[string]bool{}, cgoPrefixes: map[string]bool{}, toolchainC: map[string]bool{}}
	switch {
	case f.Type == elf.ET_EXEC || (f.Type == elf.ET_DYN && hasInterp(f)):
		b.Kind = Host
	case f.Type == elf.ET_DYN:
		b.Kind = Plugin
	default:
		return nil, fmt.Errorf("%s: %w (ELF type %s)", name, ErrKindUnknown, f.Type)
	}

	e := elfBytes{f: f}
	if b.Kind == Plugin {
		// Read whole: every check of a plugin looks at it all.
		size, err := sizeOf(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		bp, err := readWhole(r, size)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: reading the file: %v", name, ErrMalformed, err)
		}
		defer putBuffer(bp) // nothing returned refers to it
		e.file = *bp
	}

	dyn, err := readSymbolTable(e, elf.SHT_DYNSYM)
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return nil, fmt.Errorf("%s: %w: reading dynamic symbols: %v", name, ErrMalformed, err)
	}
	for i := 0; dyn != nil && i < dyn.len(); i++ {
		if !dyn.nameMayHavePrefix(i, []byte(hashPrefix)) {
			if !dyn.mayBeCExport(i) {
				continue
			}
			symName, s := dyn.symbol(i)
			if cExport(symName, s) {
				b.CExports[string(symName)] = true
			} else if p, ok := cgoPrefix(string(symName)); ok && s.Section != elf.SHN_UNDEF {
				b.cgoPrefixes[p] = true
			} else if cDefined(symName, s) {
				b.toolchainC[string(symName)] = true
			}
			continue
		}
		symName, s := dyn.symbol(i)
		if !bytes.HasPrefix(symName, []byte(hashPrefix)) {
			continue
		}
		s.Name = string(symName)
		pkg := s.Name[len(hashPrefix):]
		data, err := e.symbolData(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w: hash of %s: %v", name, ErrMalformed, pkg, err)
		}
		b.Hashes[pkg] = hex.EncodeToString(data)
	}
	if len(b.Hashes) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoHashes)
	}

	if b.Kind == Plugin {
		syms, err := readSymbolTable(e, elf.SHT_SYMTAB)
		if errors.Is(err, elf.ErrNoSymbols) {
			return nil, fmt.Errorf("%s: %w; build it without -ldflags=-s and without strip", name, ErrStripped)
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w: reading symbols: %v", name, ErrMalformed, err)
		}
		if err := readPluginSymbols(e, syms, b); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if b.ContentHashed, b.CUses, err = validatePlugin(e.file, f); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if bi, err := buildinfo.Read(r); err == nil {
		b.BuildInfo = bi
	}
	return b, nil
}

// Prefixes of the local symbols that hold a plugin's link-time hash list.
var (
	goLinkPrefix      = []byte("go:link.") // of all, and of pluginPathSymbol
	pkgnamePrefix     = []byte("go:link.pkgname.")
	pkglinkhashPrefix = []byte("go:link.pkglinkhash.")
)

// readPluginSymbols reads the pluginpath and the link-time hash list from
// the local symbols the linker writes into a plugin.
func readPluginSymbols(e elfBytes, syms *symbolTable, b *Binary) error {
	names, hashes := map[string]string{}, map[string]string{}
	for i := 0; i < syms.len(); i++ {
		if !syms.nameMayHavePrefix(i, goLinkPrefix) {
			continue
		}
		symName, s := syms.symbol(i)
		var into map[string]string
		var index []byte
		switch {
		case string(symName) == pluginPathSymbol:
			s.Name = pluginPathSymbol
			data, err := e.symbolData(s)
			if err != nil {
				return fmt.Errorf("%w: pluginpath: %v", ErrMalformed, err)
			}
			b.PluginPath = unescapePath(string(data))
			continue
		case bytes.HasPrefix(symName, pkgnamePrefix):
			into, index = names, symName[len(pkgnamePrefix):]
		case bytes.HasPrefix(symName, pkglinkhashPrefix):
			into, index = hashes, symName[len(pkglinkhashPrefix):]
		default:
			continue
		}
		s.Name = string(symName)
		data, err := e.symbolData(s)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		into[string(index)] = string(data)
	}
	if b.PluginPath == "" {
		return ErrStripped
	}
	b.LinkHashes = map[string]string{}
	for i, pkg := range names {
		h, ok := hashes[i]
		if !ok {
			return fmt.Errorf("%w: package %s has no link-time hash", ErrMalformed, pkg)
		}
		b.LinkHashes[pkg] = hex.EncodeToString([]byte(h))
	}
	if len(b.LinkHashes) == 0 {
		return fmt.Errorf("%w: no link-time package hashes (go:link.pkglinkhash.*)", ErrStripped)
	}
	return nil
}

func hasInterp(f *elf.File) bool {
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return true
		}
	}
	return false
}

func machineOf(goarch string) elf.Machine {
	return map[string]elf.Machine{
		"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "386": elf.EM_386, "arm": elf.EM_ARM,
		"riscv64": elf.EM_RISCV, "s390x": elf.EM_S390, "ppc64le": elf.EM_PPC64, "loong64": elf.EM_LOONGARCH,
	}[goarch]
}

// unescapePath undoes the linker's escaping of a path in symbol data
// (cmd/internal/objabi.PathToPrefix): %xx for some bytes.
func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var out bytes.Buffer
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := hex.DecodeString(s[i+1 : i+3]); err == nil {
				out.WriteByte(v[0])
				i += 2
				continue
			}
		}
		out.WriteByte(s[i])
	}
	return out.String()
}
