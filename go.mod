module github.com/rules-go-plugin/rules_go_plugin

go 1.26
