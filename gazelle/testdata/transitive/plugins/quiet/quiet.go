package main

// Level is what the server looks up.
var Level = 3

func main() {}
