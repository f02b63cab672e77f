package pluginlang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
)

// loaderImportPath is the ruleset's package that hosts find and open their
// plugins with; importing it makes a command a host, as importing "plugin"
// does.
const loaderImportPath = "github.com/rules-go-plugin/rules_go_plugin/loader"

// opensPlugins reports whether importing path makes a command a host.
func opensPlugins(path string) bool { return path == "plugin" || path == loaderImportPath }

// mainPackage is what the source of one package main says about its role.
type mainPackage struct {
	isMain        bool     // package main
	hasMain       bool     // declares a func main that does something: a command's
	stubMain      bool     // declares a func main that is empty or only panics: a plugin's stub
	exports       bool     // has an exported package-level function or variable: what plugin.Lookup finds
	importsPlugin bool     // imports "plugin" or the ruleset's loader
	imports       []string // every import path, for hosts found through libraries
}

// inspectMain reads the package's files (all of them, whatever their build
// constraints, as Gazelle lists them in srcs). It stops at the package
// clause of a package other than main.
func inspectMain(dir string, files []string) (mainPackage, error) {
	var pkg mainPackage
	fset := token.NewFileSet()
	for _, name := range files {
		if filepath.Ext(name) != ".go" {
			continue
		}
		file := filepath.Join(dir, name)
		if !pkg.isMain {
			// The first Go file: most packages are not main, read no further.
			f, err := parser.ParseFile(fset, file, nil, parser.PackageClauseOnly)
			if err != nil {
				return pkg, err
			}
			if pkg.isMain = f.Name.Name == "main"; !pkg.isMain {
				return pkg, nil
			}
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			return pkg, err
		}
		for _, imp := range f.Imports {
			if path, err := strconv.Unquote(imp.Path.Value); err == nil {
				pkg.imports = append(pkg.imports, path)
				pkg.importsPlugin = pkg.importsPlugin || opensPlugins(path)
			}
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil {
					continue
				}
				if d.Name.Name == "main" {
					if isStubMain(d) {
						pkg.stubMain = true
					} else {
						pkg.hasMain = true
					}
				} else if d.Name.IsExported() {
					pkg.exports = true
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if n.IsExported() {
							pkg.exports = true
						}
					}
				}
			}
		}
	}
	return pkg, nil
}

// isStubMain reports whether func main is empty or only panics, as plugins
// declare it so that "go build" without -buildmode=plugin fails loudly
// (func main() { panic("build this as a plugin") }). A command does more.
func isStubMain(d *ast.FuncDecl) bool {
	if d.Body == nil || len(d.Body.List) == 0 {
		return true
	}
	if len(d.Body.List) != 1 {
		return false
	}
	stmt, ok := d.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := stmt.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := call.Fun.(*ast.Ident)
	return ok && fn.Name == "panic"
}
