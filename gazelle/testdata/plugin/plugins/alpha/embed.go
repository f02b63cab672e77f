package main

import _ "embed"

//go:embed data.txt
var Data string
