// Command hello does not import plugin.
package main

import "fmt"

func main() { fmt.Println("hello") }
