// A generator command among the plugins.
package main

func main() {}
