// package main without func main and without exports: not a plugin, and
// not a command either; the Go language's library stays.
package main

func helper() {}
