/* SPDX-License-Identifier: Apache-2.0 */
/* A streaming JSON writer: values go straight into a strbuf, indented by two spaces, strings
 * escaped to ASCII (\uXXXX; bytes that are not UTF-8 become U+FFFD). No tree is built. */
#ifndef NVITOP_RENDER_JSON_WRITER_H
#define NVITOP_RENDER_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "util/util.h"

#define JW_MAX_DEPTH 16

typedef struct jw {
    strbuf_t *out;
    int depth;
    bool empty[JW_MAX_DEPTH]; /* nothing written yet in the open container */
    bool after_key;           /* a key was written: the value follows on the same line */
    int error;                /* -1 once anything failed (out of memory, bad nesting) */
} jw_t;

void jw_init(jw_t *w, strbuf_t *out);
void jw_object_begin(jw_t *w);
void jw_object_end(jw_t *w);
void jw_array_begin(jw_t *w);
void jw_array_end(jw_t *w);
void jw_key(jw_t *w, const char *key);
void jw_string(jw_t *w, const char *s);
void jw_int(jw_t *w, int64_t v);
/* Finite numbers keep a decimal point or exponent (12.0, not 12); NaN and infinities: null. */
void jw_real(jw_t *w, double v);
void jw_bool(jw_t *w, bool v);
void jw_null(jw_t *w);

#endif
