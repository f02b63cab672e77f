package api

// Factory is the type of the plugins' New.
type Factory = func() string
