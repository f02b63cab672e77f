package main

import "plugin"

func main() { plugin.Open("x.so") }
