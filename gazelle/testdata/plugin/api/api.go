package api

// Greeter is what plugins return.
type Greeter interface{ Greet() string }
