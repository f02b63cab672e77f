// The rules_go fixture is a module of its own (its import paths are example.com/rgo/...),
// so the root module's ./... leaves it to Bazel.
module example.com/rgo

go 1.26

require github.com/rules-go-plugin/rules_go_plugin v0.0.0

replace github.com/rules-go-plugin/rules_go_plugin => ../..
