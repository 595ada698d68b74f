/* SPDX-License-Identifier: Apache-2.0 */
/* Python's round(x, ndigits), which nvitop's percentages go through. */
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

double round_digits(double x, int digits)
{
    /* Python rounds the exact binary value to the nearest decimal, ties (exact halves such
     * as 6.25) to even; glibc's printf does the same, and strtod reads it back to the double
     * Python returns. Scaling first (round(x * 10) / 10) would round 6.25 up and 0.15 (really
     * 0.1499...) to 0.2. */
    if (!isfinite(x)) return x;
    char text[400];
    snprintf(text, sizeof(text), "%.*f", digits, x);
    return strtod(text, NULL);
}
