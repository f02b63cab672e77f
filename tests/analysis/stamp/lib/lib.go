package lib

import _ "example.com/stamp/rgo"

var Commit string
