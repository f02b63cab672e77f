// Plugin plug greets.
package main

import "example.com/fixture/api"

// Greet is looked up by the host.
var Greet api.Greet = func(name string) string { return "hello " + name }
