package asm

func add(a, b int64) int64 // implemented in add_amd64.s
