package main

import _ "plugin"

func main() {}
