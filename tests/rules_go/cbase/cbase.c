#include <math.h>
#include "cbase.h"
#include "tests/rules_go/cbase/cnum/cnum.h"

// rules_go's copts reach C files, cppopts every file.
int c_part(void) { return FROM_COPTS * FROM_CPPOPTS * cnum() + (int)sqrt(0.0); }
