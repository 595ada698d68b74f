/* SPDX-License-Identifier: Apache-2.0 */
/* Python's round(x, ndigits), which nvitop's percentages go through, and printf's %.*f and %lld
 * without printf for the values the monitor and the report format every refresh. */
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double scales[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

/* x * 10^digits rounded to the integer the exact value rounds to (half to even), when that
 * can be told from the double product: it is off the exact one by half an ulp at most, so
 * unless that could move it across a half, its nearest integer is the exact one's. */
static bool scaled_round(double x, int digits, double *k)
{
    if (digits < 0 || digits >= (int)(sizeof(scales) / sizeof(scales[0]))) return false;
    double y = x * scales[digits];
    if (!(fabs(y) < 0x1p52)) return false;
    *k = nearbyint(y);
    return fabs(fabs(y - *k) - 0.5) > fabs(y) * 0x1p-51;
}

double round_digits(double x, int digits)
{
    /* Python rounds the exact binary value to the nearest decimal, ties (exact halves such
     * as 6.25) to even; glibc's printf does the same, and strtod reads it back to the double
     * Python returns. Scaling first (round(x * 10) / 10) would round 6.25 up and 0.15 (really
     * 0.1499...) to 0.2, hence the guard of scaled_round; k and 10^digits are exact, so k /
     * 10^digits is the double nearest to the decimal, as strtod reads it. */
    if (!isfinite(x)) return x;
    double k;
    if (scaled_round(x, digits, &k)) return k / scales[digits];
    char text[400];
    snprintf(text, sizeof(text), "%.*f", digits, x);
    return strtod(text, NULL);
}

size_t format_ll(char *buf, long long v)
{
    char rev[24];
    size_t n = 0, len = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        rev[n++] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0) buf[len++] = '-';
    while (n)
        buf[len++] = rev[--n];
    buf[len] = '\0';
    return len;
}

size_t format_fixed(char *buf, size_t size, double x, int digits)
{
    double k;
    if (!isfinite(x) || !scaled_round(x, digits, &k)) {
        int n = snprintf(buf, size, "%.*f", digits, x);
        return n < 0 ? 0 : (size_t)n;
    }
    char rev[32], out[40];
    size_t n = 0, len = 0;
    unsigned long long u = (unsigned long long)fabs(k);
    do
        rev[n++] = (char)('0' + u % 10);
    while (u /= 10);
    while (n <= (size_t)digits) /* at least one digit before the point */
        rev[n++] = '0';
    if (signbit(k)) out[len++] = '-'; /* printf writes -0.0 too */
    while (n > (size_t)digits)
        out[len++] = rev[--n];
    if (digits) out[len++] = '.';
    while (n)
        out[len++] = rev[--n];
    out[len] = '\0';
    if (size) str_copy(buf, size, out);
    return len;
}
