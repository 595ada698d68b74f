/* SPDX-License-Identifier: Apache-2.0 */
/* The two primitives of the Prometheus text format that need care: numbers written exactly as
 * prometheus_client writes them (Python's repr, then Go's exponent form for large values) and
 * escaped, valid UTF-8 label values. */
#include "exporter/exporter_internal.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

/* The shortest decimal digits that read back as v (v finite and > 0), as Python's repr finds
 * them: the correctly rounded 15-, then 16-, then 17-digit form. Every decimal of at most 15
 * digits survives a round trip through a double, so when the 15-digit form reads back, its
 * trailing zeros stripped it is the shortest; the first longer form that reads back is the
 * closest of its length. Writes the digits (no dot, no trailing zeros) and returns their
 * count; *exp10 receives the power of ten of the first digit. */
/* The digits of k (an integer below 10^15), trailing zeros off; *exp10 as above for the
 * decimal k * 10^-places. */
static int integer_digits(double k, int places, char digits[20], int *exp10)
{
    char rev[20];
    int n = 0, m = 0;
    unsigned long long u = (unsigned long long)k;
    do
        rev[n++] = (char)('0' + u % 10);
    while (u /= 10);
    *exp10 = n - 1 - places;
    while (n)
        digits[m++] = rev[--n];
    while (m > 1 && digits[m - 1] == '0')
        m--;
    digits[m] = '\0';
    return m;
}

/* The fast way to the same digits, for values with at most 15 significant digits (most of a
 * page: percentages, MiB, watts): the first number of decimal places at which v's nearest
 * multiple k * 10^-places reads back as v (k / 10^places is the correctly rounded quotient of
 * two exact doubles, as strtod reads the decimal). A decimal of at most 15 digits within half
 * an ulp of v is the only one of its length, and v * 10^places is off by far less than 0.5, so
 * the nearest integer is that decimal's; the first places that works is the shortest. Returns
 * 0 when v is not such a value. */
static int shortest_digits_fast(double v, char digits[20], int *exp10)
{
    static const double scale[] = {1e0, 1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,
                                   1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    if (v < DBL_MIN) return 0;
    for (int places = 0; places < (int)(sizeof(scale) / sizeof(scale[0])); places++) {
        double y = v * scale[places];
        if (!(y < 1e15)) return 0;
        double k = nearbyint(y);
        if (k != 0 && k / scale[places] == v) return integer_digits(k, places, digits, exp10);
    }
    return 0;
}

static int shortest_digits(double v, char digits[20], int *exp10)
{
    int fast = shortest_digits_fast(v, digits, exp10);
    if (fast) return fast;
    char buf[40];
    /* A subnormal has fewer significant bits: there the search starts at one digit. */
    for (int precision = v < DBL_MIN ? 1 : 15; precision <= 17; precision++) {
        snprintf(buf, sizeof(buf), "%.*e", precision - 1, v);
        if (precision < 17 && strtod(buf, NULL) != v) continue;
        int n = 0;
        const char *p = buf;
        for (; *p && *p != 'e'; p++)
            if (*p >= '0' && *p <= '9') digits[n++] = *p;
        while (n > 1 && digits[n - 1] == '0')
            n--;
        digits[n] = '\0';
        *exp10 = *p == 'e' ? atoi(p + 1) : 0;
        return n;
    }
    return 0; /* not reached: the 17-digit form always returns */
}

/* Python's float repr of |v| (v finite): fixed notation for exponents -4..15, else d.ddde+XX. */
static size_t python_repr(double v, char *out)
{
    char digits[20];
    int e = 0;
    size_t len = 0;
    if (signbit(v)) {
        out[len++] = '-';
        v = -v;
    }
    if (v == 0.0) {
        memcpy(out + len, "0.0", 4);
        return len + 3;
    }
    int n = shortest_digits(v, digits, &e);
    if (e >= 16 || e < -4) {
        out[len++] = digits[0];
        if (n > 1) {
            out[len++] = '.';
            memcpy(out + len, digits + 1, (size_t)n - 1);
            len += (size_t)n - 1;
        }
        len += (size_t)sprintf(out + len, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    } else if (e >= 0) {
        for (int i = 0; i <= e; i++)
            out[len++] = i < n ? digits[i] : '0';
        out[len++] = '.';
        if (n > e + 1) {
            memcpy(out + len, digits + e + 1, (size_t)(n - e - 1));
            len += (size_t)(n - e - 1);
        } else {
            out[len++] = '0';
        }
    } else {
        out[len++] = '0';
        out[len++] = '.';
        for (int i = 0; i < -e - 1; i++)
            out[len++] = '0';
        memcpy(out + len, digits, (size_t)n);
        len += (size_t)n;
    }
    out[len] = '\0';
    return len;
}

/* prometheus_client's floatToGoString: "Go switches to exponents sooner than Python", for
 * positive values whose repr has 7 or more digits before the dot: "123456789.5" becomes
 * "1.234567895e+08" (always "e+0" and the exponent, so 1e10 is "1e+010", as it writes it). */
static size_t go_exponent(char *s, size_t len)
{
    const char *dot = memchr(s, '.', len);
    if (!dot || s[0] == '-' || dot - s <= 6) return len;
    size_t int_digits = (size_t)(dot - s);
    char mantissa[PROM_NUMBER_MAX];
    size_t m = 0;
    mantissa[m++] = s[0];
    mantissa[m++] = '.';
    memcpy(mantissa + m, s + 1, int_digits - 1);
    m += int_digits - 1;
    memcpy(mantissa + m, dot + 1, len - int_digits - 1);
    m += len - int_digits - 1;
    while (m > 0 && (mantissa[m - 1] == '0' || mantissa[m - 1] == '.'))
        m--;
    memcpy(s, mantissa, m);
    return m + (size_t)sprintf(s + m, "e+0%zu", int_digits - 1);
}

size_t prom_format_number(double v, char *buf)
{
    if (isnan(v)) return (size_t)sprintf(buf, "NaN");
    if (isinf(v)) return (size_t)sprintf(buf, v > 0 ? "+Inf" : "-Inf");
    size_t len;
    if (v == trunc(v) && fabs(v) < 1e15 && !(v == 0.0 && signbit(v))) {
        len = format_ll(buf, (long long)v); /* the common case, exactly */
        memcpy(buf + len, ".0", 3);
        len += 2;
    } else {
        len = python_repr(v, buf);
    }
    return go_exponent(buf, len);
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when the bytes there are not one. */
static size_t utf8_sequence(const unsigned char *s)
{
    uint32_t cp;
    size_t n = utf8_decode((const char *)s, &cp);
    return n == 1 && cp == UTF8_REPLACEMENT ? 0 : n; /* a real U+FFFD is 3 bytes long */
}

int prom_append_label_value(strbuf_t *out, const char *value)
{
    const unsigned char *s = (const unsigned char *)value;
    while (*s) {
        const unsigned char *run = s;
        size_t n;
        for (;;) { /* plain ASCII, most of every label, a byte at a time */
            while (*s >= 0x20 && *s < 0x80 && *s != '\\' && *s != '"')
                s++;
            if (!*s || *s == '\\' || *s == '"' || *s == '\n' || (n = utf8_sequence(s)) == 0) break;
            s += n;
        }
        if (s > run && strbuf_append(out, (const char *)run, (size_t)(s - run)) < 0) return -1;
        if (!*s) break;
        const char *escape = *s == '\\'   ? "\\\\"
                             : *s == '"'  ? "\\\""
                             : *s == '\n' ? "\\n"
                                          : "\xEF\xBF\xBD"; /* U+FFFD for a stray byte */
        if (strbuf_puts(out, escape) < 0) return -1;
        s++;
    }
    return 0;
}
