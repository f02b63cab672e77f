package loadcheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
)

// source is one Go file of a plugin: where it is, and its name for messages
// (its path in the workspace).
type source struct{ path, name string }

// explainMissing says why a plugin exports no symbol name, from its Go
// sources, when they declare something of that name that plugin.Lookup
// cannot find: a generic function, a type, a constant, a method, or an
// unexported spelling. It returns "" when the sources say nothing.
func explainMissing(srcs []source, name string) string {
	fset := token.NewFileSet()
	for _, src := range srcs {
		if !strings.HasSuffix(src.name, ".go") {
			continue
		}
		data, err := os.ReadFile(src.path)
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(fset, src.name, data, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			if why := explainDecl(fset, d, name); why != "" {
				return why
			}
		}
	}
	return ""
}

func explainDecl(fset *token.FileSet, d ast.Decl, name string) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		at := fset.Position(d.Pos())
		switch {
		case d.Recv != nil && d.Name.Name == name:
			return fmt.Sprintf("%s:%d declares %s as a method; plugin.Lookup finds only package-level functions and variables", at.Filename, at.Line, name)
		case d.Recv == nil && d.Name.Name == name && d.Type.TypeParams != nil:
			return fmt.Sprintf("%s:%d declares %s as a generic function, which a plugin cannot export (only instantiations are compiled); export a function or variable of one instantiation, e.g. var %sInt = %s[int]", at.Filename, at.Line, name, name, name)
		case d.Recv == nil && d.Name.Name != name && strings.EqualFold(d.Name.Name, name):
			return fmt.Sprintf("%s:%d declares %s, not %s; plugin.Lookup is case-sensitive and finds only exported names", at.Filename, at.Line, d.Name.Name, name)
		}
	case *ast.GenDecl:
		for _, spec := range d.Specs {
			var names []*ast.Ident
			switch s := spec.(type) {
			case *ast.TypeSpec:
				names = []*ast.Ident{s.Name}
			case *ast.ValueSpec:
				names = s.Names
			}
			for _, id := range names {
				at := fset.Position(id.Pos())
				switch {
				case id.Name == name && d.Tok == token.TYPE:
					return fmt.Sprintf("%s:%d declares %s as a type; plugin.Lookup finds only functions and variables", at.Filename, at.Line, name)
				case id.Name == name && d.Tok == token.CONST:
					return fmt.Sprintf("%s:%d declares %s as a constant, which is not a symbol; declare it as a variable", at.Filename, at.Line, name)
				case id.Name != name && strings.EqualFold(id.Name, name):
					return fmt.Sprintf("%s:%d declares %s, not %s; plugin.Lookup is case-sensitive and finds only exported names", at.Filename, at.Line, id.Name, name)
				}
			}
		}
	}
	return ""
}
