//go:build !amd64

package asm

func add(a, b int64) int64 { return a + b }
