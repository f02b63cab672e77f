// Under bzlmod the ruleset's repository has the name the root module gives
// it: loads and deps use it.
package main

import "github.com/rules-go-plugin/rules_go_plugin/loader"

func main() { loader.Paths() }
