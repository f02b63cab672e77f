package main

func New() string { return "p" }
