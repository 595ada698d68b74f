/* SPDX-License-Identifier: Apache-2.0 */
/* The bar chart of the wide device table and the host lines (nvitop's make_bar_chart), and the
 * loading-intensity colours that go with it. */
#include "render/report_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double rpt_round(double x)
{
    /* The default rounding mode is to nearest, ties to even: Python's round(). */
    return nearbyint(x);
}

rpt_percent_t rpt_pct_int(nvitop_int_t v)
{
    rpt_percent_t p = {(double)v.value, NVITOP_HAS(v), false};
    return p;
}

rpt_percent_t rpt_pct_real(nvitop_real_t v)
{
    rpt_percent_t p = {v.value, NVITOP_HAS(v) && isfinite(v.value), true};
    return p;
}

int rpt_load_color(rpt_percent_t v, const int thresholds[2])
{
    if (!v.valid) return RPT_YELLOW;
    if (v.value >= thresholds[1]) return RPT_RED;
    if (v.value >= thresholds[0]) return RPT_YELLOW;
    return RPT_GREEN;
}

/* "12.8%" when a float fits beside the bar, else the rounded integer with 100% and more as
 * "MAX" (the bar width is measured in columns, every glyph being one column). */
static void value_text(char *buf, size_t len, rpt_percent_t p, size_t bar_cols, int width)
{
    if (p.is_float) {
        snprintf(buf, len, "%.1f%%", p.value);
        if (bar_cols + 1 + strlen(buf) <= (size_t)width) return;
    }
    double r = rpt_round(p.value) + 0.0; /* + 0.0: Python's round() has no negative zero */
    if (r >= 100)
        snprintf(buf, len, "MAX");
    else
        snprintf(buf, len, "%.0f%%", r);
}

/* Appends "PREFIX: " and the blocks of a valid percentage; returns the columns used. */
static size_t append_blocks(strbuf_t *out, const char *prefix, double percent, int width)
{
    static const char *const partial[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    strbuf_printf(out, "%s: ", prefix);
    size_t head = strlen(prefix) + 2;
    double fraction = fmax(0.0, fmin(percent / 100.0, 1.0));
    double eighths = rpt_round((double)(8 * (width - (int)head - 4)) * fraction);
    long n = eighths < 1 ? 1 : (long)eighths;
    for (long i = 0; i < n / 8; i++)
        strbuf_puts(out, "█");
    strbuf_puts(out, partial[n % 8]);
    return head + (size_t)(n / 8) + (n % 8 ? 1 : 0);
}

static void pad_to(strbuf_t *out, size_t cols, size_t width)
{
    for (; cols < width; cols++)
        strbuf_putc(out, ' ');
}

int rpt_bar_chart(strbuf_t *out, const char *prefix, rpt_percent_t percent, int width,
                  const char *extra, bool swap, const char *blank)
{
    char value[32];
    const char *text = value;
    size_t cols, extra_len = extra ? rpt_width(extra) : 0, blank_len = strlen(blank);
    if (!extra) extra = "";
    if (percent.valid) {
        cols = append_blocks(out, prefix, percent.value, width);
        value_text(value, sizeof(value), percent, cols, width);
    } else {
        snprintf(value, sizeof(value), NVITOP_NA_TEXT);
        strbuf_printf(out, "%s: ", prefix);
        cols = strlen(prefix) + 2;
        if (extra_len && !strcasestr(extra, NVITOP_NA_TEXT) && swap &&
            cols + extra_len + 2 <= (size_t)width) {
            text = extra; /* the absolute value stands in for the unknown percentage */
            extra = "";
            extra_len = 0;
        }
        for (long i = (long)width - (long)cols - (long)rpt_width(text) - 1; i > 0; i--, cols++)
            strbuf_puts(out, "░");
    }
    size_t text_len = rpt_width(text);
    if (extra_len && cols + 1 + text_len + 1 + blank_len + extra_len <= (size_t)width) {
        if (swap) { /* the absolute value sits after the bar, the percentage at the end */
            const char *t = text;
            text = extra;
            extra = t;
            size_t l = text_len;
            text_len = extra_len;
            extra_len = l;
        }
        strbuf_printf(out, " %s", text);
        pad_to(out, cols + 1 + text_len, (size_t)width - blank_len - extra_len - 1);
        return strbuf_printf(out, " %s%s", blank, extra);
    }
    if (extra_len && swap && cols + 1 + extra_len <= (size_t)width)
        text = extra, text_len = extra_len;
    strbuf_printf(out, " %s", text);
    pad_to(out, cols + 1 + text_len, (size_t)width);
    return strbuf_error(out);
}

rpt_bars_t rpt_bars(int width)
{
    rpt_bars_t b = {.rem = width - RPT_FIXED_WIDTH};
    b.on = width >= RPT_BARS_MIN_WIDTH;
    b.split = b.rem >= RPT_BARS_SPLIT_REM;
    /* two bars share R less their " " and " │" (3 columns each) */
    b.left = (b.rem - 6 + 1) / 2 - 1;
    b.right = (b.rem - 6) / 2 + 1;
    b.single = b.rem - 3;
    b.split_x = RPT_BAR_X + b.left + 1;
    b.right_x = b.split_x + 2;
    return b;
}
