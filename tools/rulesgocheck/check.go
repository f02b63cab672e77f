package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/bazelbuild/buildtools/build"
)

// ruleSchema is what the deps aspect expects of one rules_go rule, read
// from go_plugin/private/rules_go/schema.bzl, and where to find the rule in
// a rules_go tree.
type ruleSchema struct {
	Entry, Symbol     string // the .bzl file users load and the name the rule is found by
	KindVar, AttrsVar string // the schema's globals
	OutputGroupVar    string // a schema global naming an output group the rule's file must return, or ""
	OutputGroup       string
	Kind              string            // the kind the aspect matches
	Attrs             map[string]string // attribute -> attr.<type> the aspect reads
	// ExactStandIn: the stand-in has exactly the release's public attributes;
	// otherwise at least them (the proto rules: rules_go 0.34 has fewer).
	ExactStandIn bool
}

// checkedRules are the rules the aspect reads, in the order they are checked.
func checkedRules() []*ruleSchema {
	return []*ruleSchema{
		{Entry: "go/def.bzl", Symbol: "go_library", KindVar: "RULES_GO_LIBRARY_KIND", AttrsVar: "RULES_GO_LIBRARY_ATTRS", ExactStandIn: true},
		{Entry: "proto/def.bzl", Symbol: "go_proto_library", KindVar: "RULES_GO_PROTO_LIBRARY_KIND", AttrsVar: "RULES_GO_PROTO_LIBRARY_ATTRS", OutputGroupVar: "RULES_GO_PROTO_OUTPUT_GROUP"},
		// go_proto_compiler is a macro around this rule, whose kind targets have.
		{Entry: "proto/compiler.bzl", Symbol: "_go_proto_compiler", KindVar: "RULES_GO_PROTO_COMPILER_KIND", AttrsVar: "RULES_GO_PROTO_COMPILER_ATTRS"},
	}
}

// readSchema reads the globals the aspect is built from.
func readSchema(path string) ([]*ruleSchema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := build.ParseBzl(path, data)
	if err != nil {
		return nil, err
	}
	globals := map[string]build.Expr{}
	for _, st := range f.Stmt {
		if a, ok := st.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok {
				globals[id.Name] = a.RHS
			}
		}
	}
	rules := checkedRules()
	for _, r := range rules {
		v, ok := globals[r.KindVar].(*build.StringExpr)
		if !ok {
			return nil, fmt.Errorf("%s: %s is missing or not a string literal", path, r.KindVar)
		}
		r.Kind = v.Value
		if r.OutputGroupVar != "" {
			g, ok := globals[r.OutputGroupVar].(*build.StringExpr)
			if !ok {
				return nil, fmt.Errorf("%s: %s is missing or not a string literal", path, r.OutputGroupVar)
			}
			r.OutputGroup = g.Value
		}
		d, ok := globals[r.AttrsVar].(*build.DictExpr)
		if !ok || len(d.List) == 0 {
			return nil, fmt.Errorf("%s: %s is missing, empty or not a dict literal", path, r.AttrsVar)
		}
		r.Attrs = map[string]string{}
		for _, kv := range d.List {
			k, ok1 := kv.Key.(*build.StringExpr)
			v, ok2 := kv.Value.(*build.StringExpr)
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("%s: %s has an entry that is not \"name\": \"type\"", path, r.AttrsVar)
			}
			r.Attrs[k.Value] = v.Value
		}
	}
	return rules, nil
}

// checkRule compares a rules_go rule with what the aspect reads: the rule's
// kind, and each attribute's presence and type.
func checkRule(name string, def *ruleDef, want *ruleSchema) []string {
	var problems []string
	where := fmt.Sprintf("%s %s:%d", name, def.File, def.Line)
	if def.Kind != want.Kind {
		problems = append(problems, fmt.Sprintf("%s: %s is declared as %s, so Bazel reports its kind as %q, but the aspect compiles targets of kind %q (%s)", where, want.Symbol, def.Kind, def.Kind, want.Kind, want.KindVar))
	}
	if want.OutputGroup != "" && !namesOutputGroup(def.Tree, want.OutputGroup) {
		problems = append(problems, fmt.Sprintf("%s: %s's file never names the output group %q, which the aspect reads the generated sources from (%s)", where, want.Symbol, want.OutputGroup, want.OutputGroupVar))
	}
	for _, attr := range sortedKeys(want.Attrs) {
		got, ok := def.Attrs[attr]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s: %s has no attribute %q, which the aspect reads as attr.%s (%s); rules_go has: %s", where, want.Symbol, attr, want.Attrs[attr], want.AttrsVar, strings.Join(sortedKeys(def.Attrs), ", ")))
		case got != want.Attrs[attr]:
			problems = append(problems, fmt.Sprintf("%s: %s's attribute %q is attr.%s, but the aspect reads it as attr.%s (%s)", where, want.Symbol, attr, got, want.Attrs[attr], want.AttrsVar))
		}
	}
	return problems
}

// namesOutputGroup reports whether f returns an output group of that name:
// a dict key ({"go_generated_srcs": srcs}, passed as **kwargs) or a keyword
// argument (OutputGroupInfo(go_generated_srcs = srcs)).
func namesOutputGroup(f *build.File, name string) bool {
	found := false
	build.Walk(f, func(e build.Expr, _ []build.Expr) {
		switch x := e.(type) {
		case *build.KeyValueExpr:
			if s, ok := x.Key.(*build.StringExpr); ok && s.Value == name {
				found = true
			}
		case *build.CallExpr:
			if id, ok := x.X.(*build.Ident); ok && id.Name == "OutputGroupInfo" && kwarg(x, name) != nil {
				found = true
			}
		}
	})
	return found
}

// checkStandIn compares the public attributes (names and types) of the
// stand-in the tests use with rules_go's.
func checkStandIn(name string, want *ruleSchema, rulesGo, standIn *ruleDef) []string {
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
			problems = append(problems, fmt.Sprintf("%s: %s lacks attribute %q (attr.%s in %s)", where, want.Symbol, attr, rulesGo.Attrs[attr], name))
		case got != rulesGo.Attrs[attr]:
			problems = append(problems, fmt.Sprintf("%s: attribute %q is attr.%s; attr.%s in %s", where, attr, got, rulesGo.Attrs[attr], name))
		}
	}
	if !want.ExactStandIn {
		return problems
	}
	for _, attr := range sortedKeys(standIn.Attrs) {
		if _, ok := rulesGo.Attrs[attr]; !ok {
			problems = append(problems, fmt.Sprintf("%s: attribute %q is not in %s's %s", where, attr, name, want.Symbol))
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
