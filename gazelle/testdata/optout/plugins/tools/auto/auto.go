// Back to the default: shaped like a plugin, so a plugin.
package main

func Exported() {}
