/* SPDX-License-Identifier: Apache-2.0 */
/* Text as nvitop measures, cuts and pads it (its WideString counts display columns, Python's
 * str.format counts code points), termcolor's escapes, and the ASCII transliteration of -U. */
#include "render/report_internal.h"

#include <limits.h>
#include <string.h>

#include "util/utf8.h"

static int char_width(const char *s, size_t *len)
{
    if ((unsigned char)*s < 0x80) return *len = 1, 1; /* ASCII: the common case */
    uint32_t cp;
    *len = utf8_decode(s, &cp);
    return rpt_codepoint_width(cp);
}

size_t rpt_width(const char *s)
{
    size_t width = 0, len;
    for (; *s; s += len)
        width += (size_t)char_width(s, &len);
    return width;
}

size_t rpt_codepoints(const char *s)
{
    size_t n = 0;
    uint32_t cp;
    for (; *s; n++)
        s += utf8_decode(s, &cp);
    return n;
}

/* True when column `col` is the right half of a wide character (an empty entry of
 * WideString.chars). */
static bool right_half(const char *s, size_t col)
{
    size_t at = 0, len;
    for (; *s; s += len) {
        int w = char_width(s, &len);
        if (col < at + (size_t)w) return col != at;
        at += (size_t)w;
    }
    return false;
}

/* ''.join(chars[start:stop]): the characters whose first column lies in [start, stop). */
static void append_columns(strbuf_t *out, const char *s, size_t start, size_t stop)
{
    size_t at = 0, len;
    const char *first = NULL; /* the characters taken are contiguous: one append */
    for (; *s && at < stop; s += len) {
        int w = char_width(s, &len);
        if (at >= start && !first) first = s;
        at += (size_t)w;
    }
    if (first) strbuf_append(out, first, (size_t)(s - first));
}

int rpt_slice(strbuf_t *out, const char *s, long start, long stop)
{
    long length = (long)rpt_width(s);
    if (stop > length) stop = length;
    if (stop < 0) stop = length + stop > 0 ? length + stop : 0;
    if (start < 0) start = length + start > 0 ? length + start : 0;
    if (start >= length || start >= stop) return strbuf_error(out);
    bool head_half = right_half(s, (size_t)start);
    bool tail_half = stop < length && right_half(s, (size_t)stop);
    /* WideString.__getitem__: a wide character cut at either end becomes a space; when only the
     * head is cut it also drops the last column (a quirk kept for byte-exact output). */
    if (head_half) strbuf_putc(out, ' ');
    append_columns(out, s, (size_t)start, (size_t)stop - (head_half || tail_half ? 1 : 0));
    if (tail_half) strbuf_putc(out, ' ');
    return strbuf_error(out);
}

static void put_spaces(strbuf_t *out, size_t n)
{
    static const char spaces[] = "                                ";
    for (size_t part; n; n -= part) {
        part = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
        strbuf_append(out, spaces, part);
    }
}

int rpt_ljust(strbuf_t *out, const char *s, size_t width)
{
    size_t w = rpt_width(s);
    strbuf_puts(out, s);
    if (w < width) put_spaces(out, width - w);
    return strbuf_error(out);
}

int rpt_rjust(strbuf_t *out, const char *s, size_t width)
{
    size_t w = rpt_width(s);
    if (w < width) put_spaces(out, width - w);
    return strbuf_puts(out, s);
}

int rpt_cut(strbuf_t *out, const char *s, size_t maxlen, const char *pad, bool keep_tail)
{
    size_t len = rpt_width(s), pad_len = rpt_width(pad);
    if (len <= maxlen) return strbuf_puts(out, s);
    if (pad_len >= maxlen) return rpt_slice(out, pad, 0, (long)maxlen);
    long keep = (long)(maxlen - pad_len);
    if (!keep_tail) {
        rpt_slice(out, s, 0, keep);
        return strbuf_puts(out, pad);
    }
    strbuf_puts(out, pad);
    return rpt_slice(out, s, -keep, LONG_MAX);
}

int rpt_field(strbuf_t *out, const char *s, size_t width, char align)
{
    size_t n = rpt_codepoints(s);
    size_t fill = n < width ? width - n : 0;
    size_t left = align == '>' ? fill : align == '^' ? fill / 2 : 0;
    put_spaces(out, left);
    strbuf_puts(out, s);
    put_spaces(out, fill - left);
    return strbuf_error(out);
}

int rpt_colored(strbuf_t *out, const char *text, size_t len, int color, unsigned attrs,
                bool enabled)
{
    if (enabled) {
        /* termcolor applies the colour first and wraps each attribute around it, so the
         * attribute escapes come out first, last attribute outermost. */
        if (attrs & RPT_DARK) strbuf_puts(out, "\033[2m");
        if (attrs & RPT_BOLD) strbuf_puts(out, "\033[1m");
        if (color != RPT_NOCOLOR) strbuf_printf(out, "\033[%dm", color);
    }
    strbuf_append(out, text, len);
    if (enabled) strbuf_puts(out, "\033[0m");
    return strbuf_error(out);
}

/* The ASCII stand-in of a code point, or 0 to keep it (spec §2.7). */
char rpt_ascii_char(uint32_t cp)
{
    if (cp >= 0x2800 && cp <= 0x28FF) /* braille graph dots */
        return '=';
    switch (cp) {
    case 0x2550: /* ═ */
        return '=';
    case 0x2500: /* ─ */
    case 0x2574: /* ╴ */
        return '-';
    case 0x2552: /* ╒ */
    case 0x2564: /* ╤ */
    case 0x2555: /* ╕ */
    case 0x256A: /* ╪ */
    case 0x2558: /* ╘ */
    case 0x2567: /* ╧ */
    case 0x255B: /* ╛ */
    case 0x250C: /* ┌ */
    case 0x252C: /* ┬ */
    case 0x2510: /* ┐ */
    case 0x253C: /* ┼ */
    case 0x2514: /* └ */
    case 0x2534: /* ┴ */
    case 0x2518: /* ┘ */
        return '+';
    case 0x2502: /* │ */
    case 0x255E: /* ╞ */
    case 0x2561: /* ╡ */
    case 0x251C: /* ├ */
    case 0x2524: /* ┤ */
    case 0x2591: /* ░ */
        return '|';
    case 0x25B2: /* ▲ */
        return '^';
    case 0x25BC: /* ▼ */
        return 'v';
    case 0x25AA: /* ▪ (the fleet screen's node mark) */
        return '*';
    case 0x00D7: /* × (a stale node's mark) */
        return 'x';
    case 0x2424: /* ␤ */
        return '?';
    default:
        return cp >= 0x2588 && cp <= 0x258F ? '|' : 0; /* █ and the eighth blocks ▉..▏ */
    }
}

int rpt_ascii(strbuf_t *out, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(text + i, &cp);
        if (i + n > len) n = len - i;
        char c = rpt_ascii_char(cp);
        if (c)
            strbuf_putc(out, c);
        else
            strbuf_append(out, text + i, n);
        i += n;
    }
    return strbuf_error(out);
}
