/* SPDX-License-Identifier: Apache-2.0 */
/* Styled text (styled.h): text with coloured spans, and its ANSI form for the report. */
#include "render/styled.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report_internal.h"

int sty_append(styled_t *s, const char *text, size_t len)
{
    return strbuf_append(&s->text, text, len);
}

int sty_puts(styled_t *s, const char *text)
{
    return strbuf_puts(&s->text, text);
}

int sty_putc(styled_t *s, char c)
{
    return strbuf_putc(&s->text, c);
}

int sty_printf(styled_t *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = strbuf_vprintf(&s->text, fmt, ap);
    va_end(ap);
    return rc;
}

int sty_colored(styled_t *s, const char *text, size_t len, int color, unsigned attrs)
{
    void *spans = s->spans;
    if (array_reserve(&spans, &s->cap, s->count + 1, sizeof(*s->spans)) < 0) return -1;
    s->spans = spans;
    size_t start = s->text.len;
    if (strbuf_append(&s->text, text, len) < 0) return -1;
    s->spans[s->count++] = (sty_span_t){start, len, color, attrs};
    return 0;
}

void sty_reset(styled_t *s)
{
    strbuf_reset(&s->text);
    s->count = 0;
}

void sty_fini(styled_t *s)
{
    strbuf_fini(&s->text);
    free(s->spans);
    *s = (styled_t){0};
}

int sty_to_ansi(const styled_t *s, bool color, strbuf_t *out)
{
    const char *text = s->text.data ? s->text.data : "";
    size_t at = 0;
    for (size_t i = 0; i < s->count; i++) {
        const sty_span_t *sp = &s->spans[i];
        if (strbuf_append(out, text + at, sp->start - at) < 0) return -1;
        if (rpt_colored(out, text + sp->start, sp->len, sp->color, sp->attrs, color) < 0) return -1;
        at = sp->start + sp->len;
    }
    return strbuf_append(out, text + at, s->text.len - at);
}
