// An ordinary command: neither a plugin nor a host.
package main

func main() {}
