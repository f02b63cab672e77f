// Package rulesetstd holds the test that keeps RULESET_STD in
// go_plugin/private/rules/stdlib.bzl complete: the standard library packages
// that the ruleset's own Go code imports, which the std_packages setting
// always builds.
package rulesetstd
