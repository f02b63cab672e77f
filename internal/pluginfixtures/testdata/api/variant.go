//go:build variant

package api

// Variant exists only with -tags variant, which changes the package's hash.
func Variant() string { return "variant" }
