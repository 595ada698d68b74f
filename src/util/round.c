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
    static const double scales[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    if (digits >= 0 && digits < (int)(sizeof(scales) / sizeof(scales[0]))) {
        /* The fast path: x * 10^digits rounded to an integer k, then k / 10^digits (both
         * exact operands, so the division is the double nearest to the decimal, as strtod
         * reads it). The product is off the exact one by half an ulp at most; unless that
         * could move it across a half, k is the integer the exact value rounds to. */
        double y = x * scales[digits];
        if (fabs(y) < 0x1p52) {
            double k = nearbyint(y);
            if (fabs(fabs(y - k) - 0.5) > fabs(y) * 0x1p-51) return k / scales[digits];
        }
    }
    char text[400];
    snprintf(text, sizeof(text), "%.*f", digits, x);
    return strtod(text, NULL);
}
