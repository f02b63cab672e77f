package main

import "example.com/repo/api"

var _ api.Factory = New

func New() string { return "migrated" }
