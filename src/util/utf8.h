/* SPDX-License-Identifier: Apache-2.0 */
/* The one UTF-8 rule: how text is cut into code points (printable.h, the report's widths,
 * the monitor's cells, JSON and Prometheus escaping) and how a code point is written back. */
#ifndef NVITOP_UTIL_UTF8_H
#define NVITOP_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT 0xFFFDu /* U+FFFD, what a byte that is not valid UTF-8 stands for */

/* Decodes one strict UTF-8 code point at s (s[0] != 0; s is read no further than its NUL):
 * overlong forms, surrogates, values past U+10FFFF and sequences cut short are invalid.
 * Returns its length in bytes (1-4), or 1 with *cp = U+FFFD for a byte that does not start
 * a valid sequence (the next byte is then decoded on its own). */
size_t utf8_decode(const char *s, uint32_t *cp);

/* Writes code point cp (at most U+10FFFF, not a surrogate) as UTF-8 into buf; returns the
 * number of bytes (1-4). */
size_t utf8_encode(uint32_t cp, char buf[4]);

#endif
