/* SPDX-License-Identifier: Apache-2.0 */
/* Braille history graphs (graph.h), drawn like nvitop's HistoryGraph.make_bar. */
#include "render/graph.h"

#include <math.h>

#include "util/utf8.h"

/* Braille dots: left column 1, 2, 3, 7 and right column 4, 5, 6, 8 from top to bottom are bits
 * 0, 1, 2, 6 and 3, 4, 5, 7 of the offset from U+2800. A level fills that many dots from the
 * bottom (upright) or from the top (upside down). */
static const uint8_t left_up[5] = {0x00, 0x40, 0x44, 0x46, 0x47};
static const uint8_t right_up[5] = {0x00, 0x80, 0xA0, 0xB0, 0xB8};
static const uint8_t left_down[5] = {0x00, 0x01, 0x03, 0x07, 0x47};
static const uint8_t right_down[5] = {0x00, 0x08, 0x18, 0x38, 0xB8};

uint32_t graph_glyph(int left, int right, bool upside_down)
{
    if (left < 0) left = 0;
    if (left > 4) left = 4;
    if (right < 0) right = 0;
    if (right > 4) right = 4;
    if (left == 0 && right == 0) return ' ';
    const uint8_t *l = upside_down ? left_down : left_up;
    const uint8_t *r = upside_down ? right_down : right_up;
    return 0x2800u + (uint32_t)(l[left] | r[right]);
}

/* Height in rows of a value: rows * min((v - base) / (bound - base), 1), at least 0.2 for any
 * value at or above the base; negative (draws nothing) for N/A or below the base. */
static double scaled(const graph_spec_t *g, const float *recent, size_t n, size_t i)
{
    if (i >= n || isnan(recent[i]) || g->bound <= g->base) return -1.0;
    double v = g->height * fmin((recent[i] - g->base) / (g->bound - g->base), 1.0);
    return v >= 0.0 ? fmax(v, 0.2) : v;
}

/* Python's round(5 * (h - row)) clamped to 0..4 (half to even, the default rounding mode). */
static int level(double h, int row)
{
    double v = nearbyint(5.0 * (h - row));
    return v < 0 ? 0 : v > 4 ? 4 : (int)v;
}

static int put_glyph(strbuf_t *sb, uint32_t cp)
{
    char utf8[4];
    return strbuf_append(sb, utf8, utf8_encode(cp, utf8));
}

int graph_render(const graph_spec_t *g, const float *recent, size_t n, strbuf_t *rows)
{
    for (int x = 0; x < g->width; x++) {
        size_t from_right = (size_t)(g->width - 1 - x);
        double older = scaled(g, recent, n, 2 * from_right + 1);
        double newer = scaled(g, recent, n, 2 * from_right);
        for (int r = 0; r < g->height; r++) {
            int h = g->upside_down ? r : g->height - 1 - r; /* height level of this screen row */
            if (put_glyph(&rows[r], graph_glyph(level(older, h), level(newer, h), g->upside_down)) <
                0)
                return -1;
        }
    }
    return 0;
}
