/* SPDX-License-Identifier: Apache-2.0 */
/* Text made safe for a terminal (printable.h). */
#include "render/printable.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

const char *printable_control(uint32_t cp, char buf[3])
{
    if (cp < 0x20 || cp == 0x7F)
        buf[0] = '^', buf[1] = (char)(cp ^ 0x40); /* ^@ .. ^_, ^? */
    else if (cp >= 0x80 && cp <= 0x9F)
        buf[0] = '~', buf[1] = (char)(cp - 0x40); /* ~@ .. ~_ */
    else
        return NULL;
    buf[2] = '\0';
    return buf;
}

int printable_append(strbuf_t *out, const char *s, size_t len, bool keep_newlines)
{
    if (strbuf_reserve(out, len) < 0) return -1;
    size_t i = 0;
    while (i < len && s[i]) {
        size_t run = i; /* printable ASCII, the common case, is copied as it is */
        while (run < len && s[run] >= 0x20 && s[run] < 0x7F)
            run++;
        if (run > i && strbuf_append(out, s + i, run - i) < 0) return -1;
        if (run >= len || !s[run]) break;
        i = run;
        uint32_t cp;
        size_t n = utf8_decode(s + i, &cp);
        if (i + n > len) n = len - i, cp = UTF8_REPLACEMENT; /* a sequence the length cuts in two */
        i += n;
        char buf[4];
        const char *control = cp == '\n' && keep_newlines ? NULL : printable_control(cp, buf);
        int rc =
            control ? strbuf_puts(out, control) : strbuf_append(out, buf, utf8_encode(cp, buf));
        if (rc < 0) return -1;
    }
    return 0;
}

char *printable_dup(const char *s)
{
    size_t n = 0;
    while (s[n] >= 0x20 && s[n] < 0x7F) /* printable ASCII, the common case, as it is */
        n++;
    if (!s[n]) {
        char *copy = malloc(n + 1);
        if (copy) memcpy(copy, s, n + 1);
        return copy;
    }
    strbuf_t sb = {0};
    if (printable_append(&sb, s, strlen(s), false) < 0 || strbuf_reserve(&sb, 1) < 0) {
        strbuf_fini(&sb);
        return NULL;
    }
    return strbuf_take(&sb);
}
