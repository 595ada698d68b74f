/* SPDX-License-Identifier: Apache-2.0 */
/* Bounded scanning for the /proc parsers: lines, blank-separated tokens and decimal numbers,
 * never reading past the end of the buffer and independent of the C locale. */
#include "host/host_internal.h"

#include <string.h>

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

host_scan_t host_scan_make(const char *buf, size_t len)
{
    host_scan_t s = {buf, buf ? buf + len : buf};
    return s;
}

bool host_scan_line(host_scan_t *s, host_scan_t *line)
{
    if (s->p >= s->end) return false;
    const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
    line->p = s->p;
    line->end = nl ? nl : s->end;
    s->p = nl ? nl + 1 : s->end;
    return true;
}

bool host_scan_token(host_scan_t *s, const char **tok, size_t *len)
{
    while (s->p < s->end && is_blank(*s->p))
        s->p++;
    if (s->p >= s->end) return false;
    const char *start = s->p;
    while (s->p < s->end && !is_blank(*s->p))
        s->p++;
    *tok = start;
    *len = (size_t)(s->p - start);
    return true;
}

bool host_token_is(const char *tok, size_t len, const char *word)
{
    size_t n = strlen(word);
    return n == len && memcmp(tok, word, n) == 0;
}

bool host_parse_u64_token(const char *tok, size_t len, uint64_t *v)
{
    if (len == 0) return false;
    uint64_t acc = 0;
    for (size_t i = 0; i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9') return false;
        uint64_t d = (uint64_t)(tok[i] - '0');
        if (acc > (UINT64_MAX - d) / 10) return false;
        acc = acc * 10 + d;
    }
    *v = acc;
    return true;
}

bool host_scan_u64(host_scan_t *s, uint64_t *v)
{
    const char *tok;
    size_t len;
    return host_scan_token(s, &tok, &len) && host_parse_u64_token(tok, len, v);
}

bool host_scan_i64(host_scan_t *s, int64_t *v)
{
    const char *tok;
    size_t len;
    if (!host_scan_token(s, &tok, &len)) return false;
    bool neg = tok[0] == '-';
    uint64_t mag;
    if (!host_parse_u64_token(tok + neg, len - neg, &mag)) return false;
    if (neg) {
        if (mag > (uint64_t)INT64_MAX + 1) return false;
        *v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
    } else {
        if (mag > (uint64_t)INT64_MAX) return false;
        *v = (int64_t)mag;
    }
    return true;
}

bool host_parse_decimal_token(const char *tok, size_t len, double *v)
{
    const char *dot = memchr(tok, '.', len);
    size_t int_len = dot ? (size_t)(dot - tok) : len;
    uint64_t whole;
    if (!host_parse_u64_token(tok, int_len, &whole)) return false;
    double frac = 0.0, scale = 1.0;
    if (dot) {
        size_t frac_len = len - int_len - 1;
        if (frac_len == 0) return false;
        /* Digits past the 18th cannot change a double built from them; check but skip. */
        for (size_t i = 0; i < frac_len; i++) {
            char c = dot[1 + i];
            if (c < '0' || c > '9') return false;
            if (i < 18) {
                frac = frac * 10.0 + (double)(c - '0');
                scale *= 10.0;
            }
        }
    }
    *v = (double)whole + frac / scale;
    return true;
}

bool host_scan_decimal(host_scan_t *s, double *v)
{
    const char *tok;
    size_t len;
    return host_scan_token(s, &tok, &len) && host_parse_decimal_token(tok, len, v);
}

int64_t host_bytes(uint64_t count, uint64_t unit)
{
    return unit && count > (uint64_t)INT64_MAX / unit ? INT64_MAX : (int64_t)(count * unit);
}
