/* SPDX-License-Identifier: Apache-2.0 */
/* The device panel of the main screen (spec §3.3): the date and the help hint, then the
 * report's device table (render/cells.h) in the full or the compact form; the rows of the
 * selected process's device bold and the others dim; in colorful mode the bars shaded cell by
 * cell from green to red. */
#include "tui/tui_internal.h"

#include <stdlib.h>
#include <string.h>

#define HINT "(Press h for help or q to quit)"

/* Does this device (snapshot position) run the selected process, or share its GPU? */
static tstyle_t device_attr(const tui_t *t, const nvitop_device_snapshot_t *d)
{
    if (!t->sel.set) return 0;
    int physical = t->sel.ident.physical, mig = t->sel.ident.mig;
    if (d->physical_index == physical && (d->is_mig ? d->mig_index : -1) == mig) return TS_BOLD;
    if (d->is_mig || d->physical_index != physical) return TS_DIM;
    return 0; /* the parent GPU of a selected MIG device */
}

/* Adds attributes to the cells of a row that are not frame glyphs. */
static void emphasize(frame_t *f, int y, tstyle_t attr)
{
    for (int x = 1; x < f->cols; x++) {
        const tcell_t *c = frame_cell(f, y, x);
        if (c && c->cp != 0x2502 && c->cp != '|') frame_addattr(f, y, x, 1, attr);
    }
}

static bool is_bar_glyph(uint32_t cp)
{
    return (cp >= 0x2588 && cp <= 0x258F) || cp == 0x2591 || cp == '|';
}

/* nvitop's gradient bar: the text in the colour of the filled fraction, each glyph in the
 * colour of its own place. */
static void gradient_bar(frame_t *f, int y, int x, int width, tstyle_t attr)
{
    const tcell_t *c = frame_cell(f, y, x + 3);
    if (!c || c->cp != ':') return;
    int full = width - 9, n = 0;
    while (x + 5 + n < f->cols && is_bar_glyph(frame_cell(f, y, x + 5 + n)->cp))
        n++;
    if (full <= 0) return;
    frame_chgat(f, y, x, width, ts_gradient((double)n / full) | attr);
    for (int i = 0; i < n; i++)
        frame_chgat(f, y, x + 5 + i, 1, ts_gradient((double)i / full) | attr);
}

static void gradient_bars(tui_t *t, int y, const nvitop_device_snapshot_t *d, int width,
                          tstyle_t attr)
{
    rpt_bars_t b = rpt_bars(width);
    if (!b.on) return;
    bool split = b.split && !d->is_mig;
    gradient_bar(&t->frame, y, RPT_BAR_X, split ? b.left : b.single, attr);
    if (split) gradient_bar(&t->frame, y, b.right_x, b.right, attr);
}

#define DATE_WIDTH 32 /* the columns of the date, left of the hint */

void panel_device_date(tui_t *t, int y)
{
    char date[64];
    frame_clear_cells(&t->frame, y, 0, DATE_WIDTH);
    frame_putn(&t->frame, y, 0, rpt_date(date, sizeof(date), t->now_unix_ns), DATE_WIDTH, 0);
}

void panel_devices(tui_t *t, int y)
{
    frame_t *f = &t->frame;
    int width = t->cols < RPT_FIXED_WIDTH ? RPT_FIXED_WIDTH : t->cols;
    frame_put(f, y, RPT_FIXED_WIDTH - (int)strlen(HINT), HINT, 0);
    frame_chgat(f, y, 55, 1, TC_MAGENTA | TS_BOLD | TS_ITALIC);
    frame_chgat(f, y, 69, 1, TC_MAGENTA | TS_BOLD | TS_ITALIC);
    tui_hot(t, y, 55, 1, 'h');
    tui_hot(t, y, 69, 1, 'q');
    panel_device_date(t, y);
    if (!t->devices) return;
    const nvitop_snapshot_t *s = t->devices;
    int *line_device = calloc(8 + 3 * s->device_count, sizeof(*line_device));
    styled_t table = {0};
    int lines = line_device ? rpt_device_table_head(&table, s, width, t->layout.device_compact,
                                                    &t->ropt, line_device, t->lines - y - 1)
                            : -1;
    if (lines > 0) {
        frame_put_styled(f, y + 1, 0, &table, 0);
        for (int i = 0; i < lines; i++) {
            if (line_device[i] < 0) continue;
            const nvitop_device_snapshot_t *d = &s->devices[line_device[i]];
            tstyle_t attr = device_attr(t, d);
            if (attr) emphasize(f, y + 1 + i, attr);
            if (t->colors256) gradient_bars(t, y + 1 + i, d, width, attr);
        }
    }
    sty_fini(&table);
    free(line_device);
}
