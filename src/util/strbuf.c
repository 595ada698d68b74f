/* SPDX-License-Identifier: Apache-2.0 */
/* A growable NUL-terminated string buffer whose first error sticks (util.h). */
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(strbuf_t *sb)
{
    sb->error = -1;
    return -1;
}

int strbuf_reserve(strbuf_t *sb, size_t extra)
{
    if (sb->error) return sb->error;
    if (extra > SIZE_MAX - sb->len - 1) return fail(sb);
    void *data = sb->data;
    if (array_reserve(&data, &sb->cap, sb->len + extra + 1, 1) < 0) return fail(sb);
    sb->data = data;
    return 0;
}

int strbuf_reserve_exact(strbuf_t *sb, size_t extra)
{
    if (sb->error) return sb->error;
    if (extra > SIZE_MAX - sb->len - 1) return fail(sb);
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap) return 0;
    char *data = realloc(sb->data, need);
    if (!data) return fail(sb);
    sb->data = data;
    sb->cap = need;
    return 0;
}

int strbuf_append(strbuf_t *sb, const char *s, size_t n)
{
    /* the common case, room to spare, without strbuf_reserve's checks */
    if (!sb->error && sb->data && n < sb->cap - sb->len) {
        memcpy(sb->data + sb->len, s, n);
        sb->len += n;
        sb->data[sb->len] = '\0';
        return 0;
    }
    if (strbuf_reserve(sb, n) < 0) return -1;
    if (n) memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return 0;
}

int strbuf_puts(strbuf_t *sb, const char *s)
{
    if (sb->error) return sb->error;
    return strbuf_append(sb, s, strlen(s));
}

int strbuf_putc(strbuf_t *sb, char c)
{
    return strbuf_append(sb, &c, 1);
}

int strbuf_vprintf(strbuf_t *sb, const char *fmt, va_list ap)
{
    if (sb->error) return sb->error;
    /* Format straight into the spare room; only a result that does not fit is formatted a
     * second time, into a buffer grown to its size. */
    va_list copy;
    va_copy(copy, ap);
    size_t room = sb->data ? sb->cap - sb->len : 0;
    int n = vsnprintf(room ? sb->data + sb->len : NULL, room, fmt, copy);
    va_end(copy);
    if (n < 0) {
        if (sb->data) sb->data[sb->len] = '\0'; /* drop what a failed format left */
        return fail(sb);
    }
    if ((size_t)n >= room) {
        if (strbuf_reserve(sb, (size_t)n) < 0) {
            if (sb->data) sb->data[sb->len] = '\0'; /* vsnprintf wrote a cut piece */
            return -1;
        }
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

int strbuf_put_buf(strbuf_t *sb, const strbuf_t *part)
{
    strbuf_keep_error(sb, part);
    return strbuf_append(sb, strbuf_str(part), part->len);
}

void strbuf_keep_error(strbuf_t *sb, const strbuf_t *part)
{
    if (part->error && !sb->error) sb->error = part->error;
}

int strbuf_error(const strbuf_t *sb)
{
    return sb->error;
}

const char *strbuf_str(const strbuf_t *sb)
{
    return sb->data ? sb->data : "";
}

void strbuf_reset(strbuf_t *sb)
{
    sb->len = 0;
    sb->error = 0;
    if (sb->data) sb->data[0] = '\0';
}

char *strbuf_take(strbuf_t *sb)
{
    if (sb->error) {
        strbuf_fini(sb);
        return NULL;
    }
    if (!sb->data) {
        if (strbuf_reserve(sb, 0) < 0) {
            strbuf_fini(sb);
            return NULL;
        }
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
    *sb = (strbuf_t){0};
}
