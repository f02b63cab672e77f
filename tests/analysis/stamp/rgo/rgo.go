package rgo

var Label string
