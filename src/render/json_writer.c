/* SPDX-License-Identifier: Apache-2.0 */
/* The streaming JSON writer (json_writer.h). */
#include "render/json_writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

void jw_init(jw_t *w, strbuf_t *out)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
}

static void put(jw_t *w, const char *s, size_t n)
{
    if (!w->error && strbuf_append(w->out, s, n) < 0) w->error = -1;
}

static void puts_(jw_t *w, const char *s)
{
    put(w, s, strlen(s));
}

static void newline(jw_t *w)
{
    static const char spaces[2 * JW_MAX_DEPTH + 1] = "                                ";
    put(w, "\n", 1);
    put(w, spaces, (size_t)(2 * w->depth));
}

/* What goes before a value or a key: a comma after a sibling, a new indented line. */
static void before_item(jw_t *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0) return;
    if (!w->empty[w->depth - 1]) put(w, ",", 1);
    w->empty[w->depth - 1] = false;
    newline(w);
}

static void container_open(jw_t *w, char c)
{
    before_item(w);
    put(w, &c, 1);
    if (w->depth >= JW_MAX_DEPTH) {
        w->error = -1;
        return;
    }
    w->empty[w->depth++] = true;
}

static void container_close(jw_t *w, char c)
{
    if (w->depth == 0) {
        w->error = -1;
        return;
    }
    bool empty = w->empty[--w->depth];
    if (!empty) newline(w);
    put(w, &c, 1);
}

void jw_object_begin(jw_t *w)
{
    container_open(w, '{');
}

void jw_object_end(jw_t *w)
{
    container_close(w, '}');
}

void jw_array_begin(jw_t *w)
{
    container_open(w, '[');
}

void jw_array_end(jw_t *w)
{
    container_close(w, ']');
}

static void escaped(jw_t *w, const char *s)
{
    put(w, "\"", 1);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        put(w, (const char *)run, (size_t)(p - run));
        if (!*p) break;
        uint32_t cp;
        p += utf8_decode((const char *)p, &cp);
        char buf[16];
        if (cp == '"' || cp == '\\') {
            snprintf(buf, sizeof(buf), "\\%c", (char)cp);
        } else if (cp == '\n' || cp == '\t' || cp == '\r' || cp == '\b' || cp == '\f') {
            snprintf(buf, sizeof(buf), "\\%c",
                     cp == '\n'   ? 'n'
                     : cp == '\t' ? 't'
                     : cp == '\r' ? 'r'
                     : cp == '\b' ? 'b'
                                  : 'f');
        } else if (cp >= 0x10000) { /* a surrogate pair */
            cp -= 0x10000;
            snprintf(buf, sizeof(buf), "\\u%04x\\u%04x", 0xD800 + (cp >> 10),
                     0xDC00 + (cp & 0x3FF));
        } else {
            snprintf(buf, sizeof(buf), "\\u%04x", cp);
        }
        puts_(w, buf);
    }
    put(w, "\"", 1);
}

void jw_key(jw_t *w, const char *key)
{
    before_item(w);
    escaped(w, key);
    put(w, ": ", 2);
    w->after_key = true;
}

void jw_string(jw_t *w, const char *s)
{
    before_item(w);
    escaped(w, s);
}

void jw_int(jw_t *w, int64_t v)
{
    char buf[32];
    before_item(w);
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    puts_(w, buf);
}

void jw_real(jw_t *w, double v)
{
    if (!isfinite(v)) {
        jw_null(w);
        return;
    }
    char buf[48];
    before_item(w);
    snprintf(buf, sizeof(buf), "%.15g", v);
    if (!strpbrk(buf, ".e")) strcat(buf, ".0");
    puts_(w, buf);
}

void jw_bool(jw_t *w, bool v)
{
    before_item(w);
    puts_(w, v ? "true" : "false");
}

void jw_null(jw_t *w)
{
    before_item(w);
    puts_(w, "null");
}
