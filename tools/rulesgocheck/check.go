package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/bazelbuild/buildtools/build"
)

// schema is what the deps aspect expects of rules_go's go_library, read
// from go_plugin/private/rules_go/schema.bzl.
type schema struct {
	Kind  string            // RULES_GO_LIBRARY_KIND
	Attrs map[string]string // RULES_GO_LIBRARY_ATTRS
}

// readSchema reads the globals the aspect is built from.
func readSchema(path string) (*schema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := build.ParseBzl(path, data)
	if err != nil {
		return nil, err
	}
	s := &schema{Attrs: map[string]string{}}
	for _, st := range f.Stmt {
		a, ok := st.(*build.AssignExpr)
		if !ok {
			continue
		}
		id, _ := a.LHS.(*build.Ident)
		if id == nil {
			continue
		}
		switch id.Name {
		case "RULES_GO_LIBRARY_KIND":
			v, ok := a.RHS.(*build.StringExpr)
			if !ok {
				return nil, fmt.Errorf("%s: RULES_GO_LIBRARY_KIND is not a string literal", path)
			}
			s.Kind = v.Value
		case "RULES_GO_LIBRARY_ATTRS":
			d, ok := a.RHS.(*build.DictExpr)
			if !ok {
				return nil, fmt.Errorf("%s: RULES_GO_LIBRARY_ATTRS is not a dict literal", path)
			}
			for _, kv := range d.List {
				k, ok1 := kv.Key.(*build.StringExpr)
				v, ok2 := kv.Value.(*build.StringExpr)
				if !ok1 || !ok2 {
					return nil, fmt.Errorf("%s: RULES_GO_LIBRARY_ATTRS has an entry that is not \"name\": \"type\"", path)
				}
				s.Attrs[k.Value] = v.Value
			}
		}
	}
	if s.Kind == "" || len(s.Attrs) == 0 {
		return nil, fmt.Errorf("%s: RULES_GO_LIBRARY_KIND or RULES_GO_LIBRARY_ATTRS is missing or empty", path)
	}
	return s, nil
}

// checkLibrary compares rules_go's go_library with what the aspect reads:
// the rule's kind, and each attribute's presence and type.
func checkLibrary(name string, def *ruleDef, want *schema) []string {
	var problems []string
	where := fmt.Sprintf("%s %s:%d", name, def.File, def.Line)
	if def.Kind != want.Kind {
		problems = append(problems, fmt.Sprintf("%s: go_library is declared as %s, so Bazel reports its kind as %q, but the aspect compiles targets of kind %q (RULES_GO_LIBRARY_KIND)", where, def.Kind, def.Kind, want.Kind))
	}
	for _, attr := range sortedKeys(want.Attrs) {
		got, ok := def.Attrs[attr]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: go_library has no attribute %q, which the aspect reads as attr.%s (RULES_GO_LIBRARY_ATTRS); rules_go has: %s", where, attr, want.Attrs[attr], strings.Join(sortedKeys(def.Attrs), ", ")))
		case got != want.Attrs[attr]:
			problems = append(problems, fmt.Sprintf("%s: go_library's attribute %q is attr.%s, but the aspect reads it as attr.%s (RULES_GO_LIBRARY_ATTRS)", where, attr, got, want.Attrs[attr]))
		}
	}
	return problems
}

// checkStandIn compares the public attributes (names and types) of the
// stand-in the tests use with rules_go's.
func checkStandIn(name string, rulesGo, standIn *ruleDef) []string {
	var problems []string
	where := fmt.Sprintf("stand-in %s:%d", standIn.File, standIn.Line)
	if standIn.Kind != rulesGo.Kind {
		problems = append(problems, fmt.Sprintf("%s: declared as %s, rules_go's as %s", where, standIn.Kind, rulesGo.Kind))
	}
	for _, attr := range sortedKeys(rulesGo.Attrs) {
		if strings.HasPrefix(attr, "_") {
			continue
		}
		got, ok := standIn.Attrs[attr]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: go_library lacks attribute %q (attr.%s in %s)", where, attr, rulesGo.Attrs[attr], name))
		case got != rulesGo.Attrs[attr]:
			problems = append(problems, fmt.Sprintf("%s: attribute %q is attr.%s; attr.%s in %s", where, attr, got, rulesGo.Attrs[attr], name))
		}
	}
	for _, attr := range sortedKeys(standIn.Attrs) {
		if _, ok := rulesGo.Attrs[attr]; !ok {
			problems = append(problems, fmt.Sprintf("%s: attribute %q is not in %s's go_library", where, attr, name))
		}
	}
	return problems
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
