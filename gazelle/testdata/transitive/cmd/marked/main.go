// A host that opens plugins through a third-party module.
package main

import "github.com/x/pluginloader"

func main() { pluginloader.LoadAll() }
