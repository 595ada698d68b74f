/* SPDX-License-Identifier: Apache-2.0 */
/* A frame: the screen as a grid of cells (a code point and a style each) that the monitor's
 * panels draw into. Pure data, no curses: the panels are tested by reading frames back as
 * text, and screen.c hands only the rows that changed to curses. */
#ifndef NVITOP_TUI_FRAME_H
#define NVITOP_TUI_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#include "render/styled.h"

/* A cell's style: a foreground colour and attributes. */
typedef uint32_t tstyle_t;
#define TS_FG_MASK 0xFFu
/* Colours: the terminal's default, the eight curses colours (curses number + 1), and from
 * TS_GRADIENT on the colorful mode's spectrum, TS_GRADIENT_STEPS levels green to red. */
enum {
    TC_DEFAULT = 0,
    TC_BLACK,
    TC_RED,
    TC_GREEN,
    TC_YELLOW,
    TC_BLUE,
    TC_MAGENTA,
    TC_CYAN,
    TC_WHITE,
    TS_GRADIENT = 16
};
#define TS_GRADIENT_STEPS 160
#define TS_BOLD (1u << 8)
#define TS_DIM (1u << 9)
#define TS_REVERSE (1u << 10)
#define TS_UNDERLINE (1u << 11)
#define TS_BLINK (1u << 12)
#define TS_ITALIC (1u << 13)
#define TS_STANDOUT (1u << 14)
#define TS_ATTRS 0x7F00u

/* The gradient colour of x in [0, 1] (clamped): 0 green ... 1 red. */
tstyle_t ts_gradient(double x);
/* The frame colour of a report colour (RPT_RED, ...). */
tstyle_t ts_from_rpt(int color, unsigned attrs);

typedef struct tcell {
    uint32_t cp; /* 0: right half of the wide character to its left */
    tstyle_t style;
} tcell_t;

typedef struct frame {
    int rows, cols;
    bool ascii; /* -U: box, bar and graph glyphs become ASCII as they are put */
    tcell_t *cells;
} frame_t;

/* Sizes the frame (cleared). Returns 0 or -1 when out of memory. */
int frame_resize(frame_t *f, int rows, int cols);
void frame_clear(frame_t *f);
/* Clears rows [y, y + n) (clipped) and columns [x, x + width) of row y. */
void frame_clear_rows(frame_t *f, int y, int n);
void frame_clear_cells(frame_t *f, int y, int x, int width);
void frame_fini(frame_t *f);

/* Writes UTF-8 text at (y, x), clipped to the frame; wide characters take two cells. Returns
 * the column after the text (as if unclipped). */
int frame_put(frame_t *f, int y, int x, const char *text, tstyle_t style);
int frame_putn(frame_t *f, int y, int x, const char *text, size_t len, tstyle_t style);
/* Replaces the style of `width` cells (curses chgat). */
void frame_chgat(frame_t *f, int y, int x, int width, tstyle_t style);
/* Adds attributes to `width` cells. */
void frame_addattr(frame_t *f, int y, int x, int width, tstyle_t attrs);
/* Writes styled text, one line per '\n', from row y on; `extra` attributes are added to every
 * cell. Returns the number of lines. */
int frame_put_styled(frame_t *f, int y, int x, const styled_t *s, tstyle_t extra);

const tcell_t *frame_cell(const frame_t *f, int y, int x);
/* The text of a row (wide characters once), trailing blanks kept. Returns 0 or -1. */
int frame_row_text(const frame_t *f, int y, strbuf_t *out);

#endif
