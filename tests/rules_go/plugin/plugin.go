package main

import "example.com/rgo/lib"

// Hello is looked up by the host.
func Hello() string { return "plugin: " + lib.Hello() }
