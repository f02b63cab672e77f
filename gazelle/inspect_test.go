package pluginlang

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"testing"
)

func TestStubMain(t *testing.T) {
	for body, want := range map[string]bool{
		`{}`:                                true,
		`{ panic("build me as a plugin") }`: true,
		`{ panic(nil) }`:                    true,
		`{ println("x") }`:                  false,
		`{ panic("a"); panic("b") }`:        false,
		`{ run() }`:                         false,
		`{ for {} }`:                        false,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "m.go", "package main\nfunc main() "+body+"\nfunc run() {}\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		fn := f.Decls[0].(*ast.FuncDecl)
		if got := isStubMain(fn); got != want {
			t.Errorf("func main() %s: isStubMain = %v, want %v", body, got, want)
		}
	}
}

func TestSatisfiable(t *testing.T) {
	for line, want := range map[string]bool{
		"//go:build ignore":               false,
		"//go:build linux":                true,
		"//go:build !windows && cgo":      true,
		"//go:build linux && !linux":      false,
		"//go:build ignore && linux":      false,
		"//go:build (a || b) && !a && !b": false,
		"//go:build !ignore":              true,
	} {
		expr, err := constraint.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		if got := satisfiable(expr); got != want {
			t.Errorf("%s: satisfiable = %v, want %v", line, got, want)
		}
	}
}
