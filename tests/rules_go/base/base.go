// Package base is a rules_go go_library that another one depends on.
package base

// Word is part of what lib says.
const Word = "rules_go"
