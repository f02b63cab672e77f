#include "cbase.h"

// rules_go's copts are for C only: a C++ file must not see them.
#ifdef FROM_COPTS
#error "copts reached a C++ file"
#endif

extern "C" int cxx_part(void) { return FROM_CXXOPTS * FROM_CPPOPTS; }
