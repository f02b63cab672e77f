package main

import (
	"plugin"

	"example.com/repo/api"
)

func main() {
	p, _ := plugin.Open("x.so")
	s, _ := p.Lookup("New")
	println(s.(api.Factory)())
}
