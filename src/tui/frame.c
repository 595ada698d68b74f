/* SPDX-License-Identifier: Apache-2.0 */
/* The frame (frame.h): cells written the way curses writes them, minus curses. */
#include "tui/frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/cells.h"
#include "render/printable.h"
#include "util/utf8.h"

tstyle_t ts_gradient(double x)
{
    if (!(x >= 0)) x = 0;
    if (x > 1) x = 1;
    return TS_GRADIENT + (tstyle_t)lround(x * (TS_GRADIENT_STEPS - 1));
}

tstyle_t ts_from_rpt(int color, unsigned attrs)
{
    tstyle_t s = color >= RPT_RED && color <= RPT_CYAN ? (tstyle_t)(color - 30 + TC_BLACK) : 0;
    if (attrs & RPT_BOLD) s |= TS_BOLD;
    if (attrs & RPT_DARK) s |= TS_DIM;
    return s;
}

int frame_resize(frame_t *f, int rows, int cols)
{
    if (rows < 0) rows = 0;
    if (cols < 0) cols = 0;
    tcell_t *cells = calloc((size_t)rows * (size_t)cols + 1, sizeof(*cells));
    if (!cells) return -1;
    free(f->cells);
    f->cells = cells;
    f->rows = rows;
    f->cols = cols;
    frame_clear(f);
    return 0;
}

void frame_clear(frame_t *f)
{
    for (size_t i = 0; i < (size_t)f->rows * (size_t)f->cols; i++)
        f->cells[i] = (tcell_t){' ', 0};
}

void frame_clear_cells(frame_t *f, int y, int x, int width)
{
    if (y < 0 || y >= f->rows) return;
    for (int i = x < 0 ? 0 : x; i < x + width && i < f->cols; i++)
        f->cells[(size_t)y * (size_t)f->cols + (size_t)i] = (tcell_t){' ', 0};
}

void frame_clear_rows(frame_t *f, int y, int n)
{
    for (int r = y; r < y + n; r++)
        frame_clear_cells(f, r, 0, f->cols);
}

void frame_fini(frame_t *f)
{
    free(f->cells);
    f->cells = NULL;
    f->rows = f->cols = 0;
}

static tcell_t *at(frame_t *f, int y, int x)
{
    return &f->cells[(size_t)y * (size_t)f->cols + (size_t)x];
}

const tcell_t *frame_cell(const frame_t *f, int y, int x)
{
    if (y < 0 || y >= f->rows || x < 0 || x >= f->cols) return NULL;
    return &f->cells[(size_t)y * (size_t)f->cols + (size_t)x];
}

/* Puts one character; a wide character it half covers loses its other half. */
static void set_cell(frame_t *f, int y, int x, uint32_t cp, int w, tstyle_t style)
{
    if (at(f, y, x)->cp == 0 && x > 0) *at(f, y, x - 1) = (tcell_t){' ', at(f, y, x - 1)->style};
    int end = x + w;
    if (end < f->cols && at(f, y, end)->cp == 0) at(f, y, end)->cp = ' ';
    *at(f, y, x) = (tcell_t){cp, style};
    if (w == 2) *at(f, y, x + 1) = (tcell_t){0, style};
}

static int put_cp(frame_t *f, int y, int x, uint32_t cp, tstyle_t style)
{
    if (f->ascii) {
        char c = rpt_ascii_char(cp);
        if (c) cp = (unsigned char)c;
    }
    int w = rpt_codepoint_width(cp);
    if (y >= 0 && y < f->rows && x >= 0 && x + w <= f->cols) set_cell(f, y, x, cp, w, style);
    return x + w;
}

/* A box, bar or block glyph (one cell, never a control) as a valid three-byte UTF-8 sequence
 * at s: its code point, else 0. */
static uint32_t narrow_glyph(const char *s, size_t left)
{
    unsigned char c = (unsigned char)s[0];
    if ((c & 0xF0) != 0xE0 || left < 3) return 0;
    unsigned char c1 = (unsigned char)s[1], c2 = (unsigned char)s[2];
    if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return 0;
    uint32_t cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(c1 & 0x3F) << 6 | (c2 & 0x3Fu);
    return cp >= 0x2500 && cp < 0x25FD ? cp : 0;
}

/* Puts the run of one-cell characters (printable ASCII, and box and bar glyphs unless -U) at
 * the start of s, as set_cell would one by one: inside the run each cell covers the half its
 * left neighbour's check left, so only the run's two ends can meet a wide character. Moves *x
 * past the run; returns the bytes it took. */
static size_t put_narrow_run(frame_t *f, int y, int *x, const char *s, size_t len, tstyle_t style)
{
    tcell_t *row = y >= 0 && y < f->rows ? at(f, y, 0) : NULL;
    int col = *x, first = -1;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        size_t n = 1;
        if (c < 0x20 || c >= 0x7F) {
            if (f->ascii || (cp = narrow_glyph(s + i, len - i)) == 0) break;
            n = 3;
        }
        if (row && col >= 0 && col < f->cols) {
            if (first < 0 && (first = col) > 0 && row[col].cp == 0) row[col - 1].cp = ' ';
            row[col] = (tcell_t){cp, style};
        }
        col++;
        i += n;
    }
    if (first >= 0 && col < f->cols && row[col].cp == 0) row[col].cp = ' ';
    *x = col;
    return i;
}

/* Puts the character at text[*i] that is no one-cell run: a control as its two-cell ^X / ~X
 * form, anything else as it is; moves *x past it. Returns false at a newline (not put). */
static bool put_other(frame_t *f, int y, int *x, const char *text, size_t len, size_t *i,
                      tstyle_t style)
{
    uint32_t cp;
    unsigned char c = (unsigned char)text[*i];
    if ((c & 0xF0) == 0xE0 && *i + 2 < len && !f->ascii) { /* other three-byte glyphs */
        unsigned char c1 = (unsigned char)text[*i + 1], c2 = (unsigned char)text[*i + 2];
        cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(c1 & 0x3F) << 6 | (c2 & 0x3Fu);
        if ((c1 & 0xC0) == 0x80 && (c2 & 0xC0) == 0x80 && cp >= 0x800 &&
            (cp < 0xD800 || cp > 0xDFFF)) { /* valid, and no control: as it is */
            *i += 3;
            *x = put_cp(f, y, *x, cp, style);
            return true;
        }
    }
    *i += utf8_decode(text + *i, &cp);
    if (cp == '\n') return false;
    char buf[3];
    const char *control = printable_control(cp, buf);
    if (!control) {
        *x = put_cp(f, y, *x, cp, style);
        return true;
    }
    *x = put_cp(f, y, *x, (unsigned char)control[0], style);
    *x = put_cp(f, y, *x, (unsigned char)control[1], style);
    return true;
}

/* Text from outside goes through printable.h's rule: a control takes the two cells of its
 * ^X / ~X form, so what curses writes is what the cells say and nothing reaches the terminal
 * as a control. */
int frame_putn(frame_t *f, int y, int x, const char *text, size_t len, tstyle_t style)
{
    for (size_t i = 0; i < len && text[i];) {
        i += put_narrow_run(f, y, &x, text + i, len - i, style); /* most of every frame */
        if (i >= len || !text[i]) break;
        if (!put_other(f, y, &x, text, len, &i, style)) break;
    }
    return x;
}

int frame_put(frame_t *f, int y, int x, const char *text, tstyle_t style)
{
    return frame_putn(f, y, x, text, strlen(text), style);
}

void frame_chgat(frame_t *f, int y, int x, int width, tstyle_t style)
{
    if (y < 0 || y >= f->rows) return;
    for (int i = x < 0 ? 0 : x; i < x + width && i < f->cols; i++)
        at(f, y, i)->style = style;
}

void frame_addattr(frame_t *f, int y, int x, int width, tstyle_t attrs)
{
    if (y < 0 || y >= f->rows) return;
    for (int i = x < 0 ? 0 : x; i < x + width && i < f->cols; i++)
        at(f, y, i)->style |= attrs;
}

int frame_put_styled(frame_t *f, int y, int x, const styled_t *s, tstyle_t extra)
{
    const char *text = strbuf_str(&s->text);
    size_t span = 0, line = 0;
    int col = x;
    for (size_t i = 0; i < s->text.len;) {
        if (text[i] == '\n') {
            line++;
            col = x;
            i++;
            continue;
        }
        if (y + (int)line < 0 || y + (int)line >= f->rows) { /* off the frame: to its end */
            const char *nl = memchr(text + i, '\n', s->text.len - i);
            i = nl ? (size_t)(nl - text) : s->text.len;
            continue;
        }
        while (span < s->count && s->spans[span].start + s->spans[span].len <= i)
            span++;
        tstyle_t style = extra;
        size_t end = s->text.len;
        if (span < s->count && s->spans[span].start <= i) {
            style |= ts_from_rpt(s->spans[span].color, s->spans[span].attrs);
            end = s->spans[span].start + s->spans[span].len;
        } else if (span < s->count) {
            end = s->spans[span].start;
        }
        const char *nl = memchr(text + i, '\n', end - i);
        if (nl) end = (size_t)(nl - text);
        col = frame_putn(f, y + (int)line, col, text + i, end - i, style);
        i = end;
    }
    return (int)line + (s->text.len && text[s->text.len - 1] != '\n');
}

int frame_row_text(const frame_t *f, int y, strbuf_t *out)
{
    if (y < 0 || y >= f->rows) return 0;
    for (int x = 0; x < f->cols; x++) {
        uint32_t cp = f->cells[(size_t)y * (size_t)f->cols + (size_t)x].cp;
        char buf[4];
        if (cp != 0 && strbuf_append(out, buf, utf8_encode(cp, buf)) < 0) return -1;
    }
    return 0;
}
