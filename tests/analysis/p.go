package main

// F is a symbol for the plugin fixtures.
func F() {}
