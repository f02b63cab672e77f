package api

// Factory is the type of New.
type Factory = func() string
