// Shaped like a plugin, but opted out.
package main

func Exported() {}
