package main

import "example.com/repo/api"

var _ api.Factory = New

// New is looked up by the hosts.
func New() string { return "two" }
