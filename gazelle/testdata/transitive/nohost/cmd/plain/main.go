// An ordinary command with a real main.
package main

import "fmt"

func main() { fmt.Println("tool") }
