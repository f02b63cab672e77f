// The examples are also a Go module, so that the plain go command can build
// the same sources (go build -buildmode=plugin ./plugins/alpha) for comparison.
module example.com

go 1.26

require github.com/rules-go-plugin/rules_go_plugin v0.0.0

replace github.com/rules-go-plugin/rules_go_plugin => ../
