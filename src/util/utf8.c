/* SPDX-License-Identifier: Apache-2.0 */
/* Strict UTF-8 decoding and encoding (utf8.h). */
#include "util/utf8.h"

size_t utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = u[0] < 0x80             ? 1
                 : (u[0] & 0xE0) == 0xC0 ? 2
                 : (u[0] & 0xF0) == 0xE0 ? 3
                 : (u[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (len == 1) return *cp = u[0], 1;
    uint32_t v = u[0] & (0x7Fu >> len);
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) { /* also stops at the terminating NUL */
            len = 0;
            break;
        }
        v = (v << 6) | (u[i] & 0x3F);
    }
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000}; /* below it: overlong */
    if (len && v >= least[len] && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF))
        return *cp = v, len;
    *cp = UTF8_REPLACEMENT;
    return 1;
}

size_t utf8_encode(uint32_t cp, char buf[4])
{
    if (cp < 0x80) return buf[0] = (char)cp, 1;
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}
