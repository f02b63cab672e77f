package main

import (
	_ "plugin"

	_ "example.com/stamp/lib"
)

func main() {}
