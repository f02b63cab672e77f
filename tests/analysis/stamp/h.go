package main

import (
	_ "plugin"

	_ "example.com/stamp/lib"
)

var A string

func main() {}
