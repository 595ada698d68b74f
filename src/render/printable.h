/* SPDX-License-Identifier: Apache-2.0 */
/* The one rule for text that comes from outside (command lines, user, host and device names,
 * environment values) on its way to a terminal: nothing in it may act as a control. Controls
 * are written the way curses shows them on the monitor's screen: C0 controls and DEL as ^X
 * (ESC is ^[, BEL ^G, DEL ^?), C1 controls (U+0080..U+009F, e.g. CSI U+009B) as ~X (~[); a byte
 * that is not part of valid UTF-8 (util/utf8.h) becomes U+FFFD. Everything else is kept, so the
 * result is as wide as what the terminal shows and can be cut on character boundaries later. */
#ifndef NVITOP_RENDER_PRINTABLE_H
#define NVITOP_RENDER_PRINTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

/* The two characters that stand for control code point cp ("^[", "~["), or NULL when cp is
 * not a control. */
const char *printable_control(uint32_t cp, char buf[3]);

/* Appends len bytes of s (stops at a NUL) made printable. keep_newlines: '\n' is kept (the
 * report's own line breaks); otherwise it is written ^J like every other control. */
int printable_append(strbuf_t *out, const char *s, size_t len, bool keep_newlines);

/* A malloc'd printable copy of s (free()), or NULL when out of memory. */
char *printable_dup(const char *s);

#endif
