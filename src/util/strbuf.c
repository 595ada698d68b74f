/* SPDX-License-Identifier: Apache-2.0 */
/* A growable NUL-terminated string buffer. */
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int strbuf_reserve(strbuf_t *sb, size_t extra)
{
    if (extra > SIZE_MAX - sb->len - 1) return -1;
    void *data = sb->data;
    if (array_reserve(&data, &sb->cap, sb->len + extra + 1, 1) < 0) return -1;
    sb->data = data;
    return 0;
}

int strbuf_append(strbuf_t *sb, const char *s, size_t n)
{
    if (strbuf_reserve(sb, n) < 0) return -1;
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return 0;
}

int strbuf_puts(strbuf_t *sb, const char *s)
{
    return strbuf_append(sb, s, strlen(s));
}

int strbuf_putc(strbuf_t *sb, char c)
{
    return strbuf_append(sb, &c, 1);
}

int strbuf_vprintf(strbuf_t *sb, const char *fmt, va_list ap)
{
    /* Format straight into the spare room; only a result that does not fit is formatted a
     * second time, into a buffer grown to its size. */
    va_list copy;
    va_copy(copy, ap);
    size_t room = sb->data ? sb->cap - sb->len : 0;
    int n = vsnprintf(room ? sb->data + sb->len : NULL, room, fmt, copy);
    va_end(copy);
    if (n < 0) return -1;
    if ((size_t)n >= room) {
        if (strbuf_reserve(sb, (size_t)n) < 0) return -1;
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    }
    sb->len += (size_t)n;
    return 0;
}

int strbuf_printf(strbuf_t *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

void strbuf_reset(strbuf_t *sb)
{
    sb->len = 0;
    if (sb->data) sb->data[0] = '\0';
}

char *strbuf_take(strbuf_t *sb)
{
    if (!sb->data) {
        if (strbuf_reserve(sb, 0) < 0) return NULL;
        sb->data[0] = '\0';
    }
    char *s = sb->data;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void strbuf_fini(strbuf_t *sb)
{
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
