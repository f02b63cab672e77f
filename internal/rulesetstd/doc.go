// Package rulesetstd holds the test that keeps COMMON_STD and RULESET_STD in
// go_plugin/private/rules/stdlib.bzl complete: together they list the
// standard library packages that the ruleset's own Go code imports, which the
// build's predicted standard library always holds (a package they miss would
// still be built, by a std delta per target, which is slower).
package rulesetstd
