package main

var A, B string

// F is a symbol for the test.
func F() {}
