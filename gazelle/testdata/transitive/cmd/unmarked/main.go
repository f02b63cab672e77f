// Imports internal/plugin for its types only: not a host.
package main

import "example.com/srv/internal/plugin"

var _ = plugin.Load

func main() {}
