// A plugin by directive, although it declares func main.
package main

var Version = "1.0"

func main() {}
