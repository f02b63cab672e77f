// Plugin other greets too, from another package (another pluginpath).
package main

import "example.com/fixture/api"

// Greet is looked up by the host.
var Greet api.Greet = func(name string) string { return "hi " + name }
