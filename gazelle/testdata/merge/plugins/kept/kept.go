package main

func New() string { return "kept" }
