/* SPDX-License-Identifier: Apache-2.0 */
/* Styled text: UTF-8 text plus the spans that carry a colour and attributes. The report's
 * panels write into it once; the report turns it into termcolor's ANSI escapes and the monitor
 * into curses attributes, so the two outputs cannot drift apart. */
#ifndef NVITOP_RENDER_STYLED_H
#define NVITOP_RENDER_STYLED_H

#include "util/util.h"

/* Colours as termcolor numbers them (ESC[<n>m); RPT_NOCOLOR keeps the terminal's. */
enum {
    RPT_NOCOLOR = 0,
    RPT_RED = 31,
    RPT_GREEN = 32,
    RPT_YELLOW = 33,
    RPT_BLUE = 34,
    RPT_MAGENTA = 35,
    RPT_CYAN = 36
};
#define RPT_BOLD (1U << 0) /* ESC[1m */
#define RPT_DARK (1U << 1) /* ESC[2m, A_DIM in curses */

/* One coloured() call: bytes [start, start + len) of the text. */
typedef struct sty_span {
    size_t start, len;
    int color;      /* RPT_* */
    unsigned attrs; /* RPT_BOLD | RPT_DARK */
} sty_span_t;

/* A zeroed styled_t is empty. Text outside every span is plain. Like strbuf_t its first error
 * sticks (in `text`): later appends do nothing and the writer checks sty_error() once. */
typedef struct styled {
    strbuf_t text;
    sty_span_t *spans;
    size_t count, cap;
} styled_t;

/* Plain text. Each returns 0 or -1 (the sticky error). */
int sty_append(styled_t *s, const char *text, size_t len);
int sty_puts(styled_t *s, const char *text);
int sty_putc(styled_t *s, char c);
int sty_printf(styled_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Text in a colour with attributes (one span, even for no colour and no attribute: termcolor
 * still closes it with ESC[0m). */
int sty_colored(styled_t *s, const char *text, size_t len, int color, unsigned attrs);
/* The text of a part built in a strbuf, plain or coloured; the part's error becomes s's. */
int sty_put_buf(styled_t *s, const strbuf_t *part);
int sty_colored_buf(styled_t *s, const strbuf_t *part, int color, unsigned attrs);
/* 0, or -1 when any append since the last reset failed. */
int sty_error(const styled_t *s);
/* Empties the text and forgets the error. */
void sty_reset(styled_t *s);
void sty_fini(styled_t *s);

/* Appends the text to `out`, each span wrapped as termcolor's colored() wraps it when `color`
 * is on (see rpt_colored), plain otherwise. Returns 0 or -1, also when s holds an error. */
int sty_to_ansi(const styled_t *s, bool color, strbuf_t *out);

#endif
