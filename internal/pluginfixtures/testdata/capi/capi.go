// Package capi is a cgo package that the host chost and the plugin cplug
// both link: its C symbols are defined in both, the plugin's copy is bound
// to the host's as a whole, and that is no interposition to report (the
// same code, by the cgo prefix cgo derives from these files).
package capi

/*
int capi_count;
int capi_add(int a, int b) { capi_count++; return a + b; }
int capi_twice(int a) { return capi_add(a, a); }
*/
import "C"

// Twice doubles a in C.
func Twice(a int) int { return int(C.capi_twice(C.int(a))) }

// Count is how many additions the C code made.
func Count() int { return int(C.capi_count) }
