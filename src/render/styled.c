/* SPDX-License-Identifier: Apache-2.0 */
/* Styled text (styled.h): text with coloured spans, and its ANSI form for the report. */
#include "render/styled.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/printable.h"
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
    if (s->text.error) return s->text.error;
    void *spans = s->spans;
    if (array_reserve(&spans, &s->cap, s->count + 1, sizeof(*s->spans)) < 0) {
        s->text.error = -1;
        return -1;
    }
    s->spans = spans;
    size_t start = s->text.len;
    if (strbuf_append(&s->text, text, len) < 0) return -1;
    s->spans[s->count++] = (sty_span_t){start, len, color, attrs};
    return 0;
}

int sty_put_buf(styled_t *s, const strbuf_t *part)
{
    return strbuf_put_buf(&s->text, part);
}

int sty_colored_buf(styled_t *s, const strbuf_t *part, int color, unsigned attrs)
{
    strbuf_keep_error(&s->text, part);
    return sty_colored(s, strbuf_str(part), part->len, color, attrs);
}

int sty_error(const styled_t *s)
{
    return strbuf_error(&s->text);
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

/* The text is made printable here too (printable.h), whatever wrote it: only the colour
 * escapes added below reach the terminal as escapes. */
int sty_to_ansi(const styled_t *s, bool color, strbuf_t *out)
{
    if (sty_error(s)) {
        strbuf_keep_error(out, &s->text);
        return -1;
    }
    const char *text = strbuf_str(&s->text);
    size_t at = 0;
    strbuf_t span = {0};
    for (size_t i = 0; i < s->count; i++) {
        const sty_span_t *sp = &s->spans[i];
        strbuf_reset(&span);
        printable_append(out, text + at, sp->start - at, true);
        printable_append(&span, text + sp->start, sp->len, true);
        strbuf_keep_error(out, &span);
        rpt_colored(out, strbuf_str(&span), span.len, sp->color, sp->attrs, color);
        at = sp->start + sp->len;
    }
    printable_append(out, text + at, s->text.len - at, true);
    strbuf_fini(&span);
    return strbuf_error(out);
}
