// A plugin that refuses to run as a command, as plugin templates do.
package main

// Name is what the server looks up.
func Name() string { return "echo" }

func main() {
	panic("this should be built as go plugin")
}
