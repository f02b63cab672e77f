// Package cbase is a rules_go cgo library shared by a host and a plugin.
package cbase

// #include "cbase.h"
import "C"

// Number is 2*3*7 from C and 5*3 from C++: each rules_go flag attribute and
// the cc_library in cdeps contribute a factor.
func Number() int { return int(C.c_part()) + int(C.cxx_part()) }
