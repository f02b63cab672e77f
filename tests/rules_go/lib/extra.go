package lib

// extra comes from a library that lib embeds.
func extra() string { return "embedded" }
