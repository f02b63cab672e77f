// Package asm has an assembly function, to test packages with .s files in
// both variants (the plugin's -dynlink and the host's normal build).
package asm

// Add returns a+b.
func Add(a, b int64) int64 { return add(a, b) }
