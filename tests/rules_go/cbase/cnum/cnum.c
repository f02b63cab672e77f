#include "cnum.h"

int cnum(void) { return 7; }
