/* SPDX-License-Identifier: Apache-2.0 */
/* The braille history graph of the monitor (spec §3.4): each character holds two points side
 * by side, each point up to four dots high per row; upright graphs grow from the bottom,
 * upside-down ones hang from the top. A pure function of the points. */
#ifndef NVITOP_RENDER_GRAPH_H
#define NVITOP_RENDER_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

typedef struct graph_spec {
    int width, height;  /* characters */
    bool upside_down;   /* hang from the top row */
    double base, bound; /* the value drawn as empty and as full height */
} graph_spec_t;

/* Renders the graph of `recent` (n points, newest first; NaN points draw nothing, as do the
 * points missing beyond n) into rows[0..height-1], top row first, each `width` glyphs of
 * UTF-8 appended to the row's buffer. The rightmost character shows recent[1] (left dots) and
 * recent[0] (right dots). Returns 0 or -1 when out of memory. */
int graph_render(const graph_spec_t *spec, const float *recent, size_t n, strbuf_t *rows);

/* The glyph (a code point from U+2800) for a left and a right dot level (0..4 each). */
uint32_t graph_glyph(int left, int right, bool upside_down);

#endif
