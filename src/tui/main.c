/* SPDX-License-Identifier: Apache-2.0 */
/* The main screen: the monitor's state from the sampler's data (the shown process list,
 * filtered and sorted, the selection found again), the layout, and the frame of the three
 * panels stacked at the vertical scroll (spec §3.2). Pure: tests drive it with snapshots. */
#include "tui/tui_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tui_state_init(tui_t *t, const tui_options_t *opt)
{
    memset(t, 0, sizeof(*t));
    t->opt = *opt;
    t->ropt = (report_options_t){.terminal_width = 79,
                                 .ascii = opt->ascii,
                                 .color = true,
                                 .gpu_thresholds = {opt->gpu_thresholds[0], opt->gpu_thresholds[1]},
                                 .mem_thresholds = {opt->mem_thresholds[0], opt->mem_thresholds[1]},
                                 .wsl = opt->wsl,
                                 .version = opt->version ? opt->version : nvitop_version()};
    t->mode = opt->mode;
    t->host_hidden = opt->no_host;
    t->show_workload = opt->workload;
    t->host_offset = -1;
    t->graph_device = -1;
    t->me = NVITOP_NA_TEXT;
    t->hostname = NVITOP_NA_TEXT;
    t->frame.ascii = opt->ascii;
    for (int g = 0; g < G__COUNT; g++)
        t->graph[g].last = NAN;
}

void tui_state_fini(tui_t *t)
{
    rpt_procs_free(t->procs.items, t->procs.count);
    t->procs = (tui_procs_t){0};
    selection_fini(&t->sel);
    selection_fini(&t->tree.sel);
    tree_rows_free(&t->tree.rows);
    confirm_close(&t->box);
    screens_fini(t);
    frame_fini(&t->frame);
}

static int width_of(const tui_t *t)
{
    return t->cols < 79 ? 79 : t->cols;
}

/* The horizontal scroll stays within the widest command; a key that hits the end beeps. */
static void clamp_host_offset(tui_t *t, bool beep)
{
    int max = t->procs.info_width - width_of(t) + 45;
    int old = t->host_offset;
    if (t->host_offset > max) t->host_offset = max;
    if (t->host_offset < -1) t->host_offset = -1;
    if (beep && old != t->host_offset) t->beep = true;
}

int tui_procs_update(tui_t *t)
{
    rpt_procs_free(t->procs.items, t->procs.count);
    t->procs = (tui_procs_t){.time_length = 4};
    const nvitop_snapshot_t *s = t->processes;
    if (!s) return 0;
    t->procs.have = true;
    const nvitop_gpu_process_t **kept = calloc(s->process_count + 1, sizeof(*kept));
    if (!kept) return -1;
    size_t n = 0;
    for (size_t i = 0; i < s->process_count; i++)
        if (proc_filter_match(t->opt.filter, &s->processes[i])) kept[n++] = &s->processes[i];
    int rc = rpt_procs_build(s, kept, n, &t->procs.items, &t->procs.time_length);
    free(kept);
    if (rc < 0) return -1;
    t->procs.count = n;
    if (t->show_workload && render_workload_column(s, t->procs.items, n, t->procs.time_length) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int w = (int)rpt_width(t->procs.items[i].host_info);
        if (w > t->procs.info_width) t->procs.info_width = w;
    }
    sort_processes(t->procs.items, n, t->order, t->reverse);
    selection_refind(&t->sel, t->procs.items, n);
    clamp_host_offset(t, false);
    return 0;
}

void tui_procs_resort(tui_t *t)
{
    sort_processes(t->procs.items, t->procs.count, t->order, t->reverse);
    selection_refind(&t->sel, t->procs.items, t->procs.count);
}

static void device_counts(const nvitop_snapshot_t *s, layout_input_t *in)
{
    for (size_t i = 0; s && i < s->device_count; i++) {
        const nvitop_device_snapshot_t *d = &s->devices[i];
        if (d->is_mig) {
            in->migs++;
            if (i == 0 || !s->devices[i - 1].is_mig) in->mig_enabled++;
        } else {
            in->devices++;
        }
    }
}

/* The screen row of the selected process, or INT_MIN when it is not listed. */
static int selected_row(const tui_t *t)
{
    if (!t->sel.set) return -(1 << 30);
    for (size_t i = 0; i < t->procs.count; i++)
        if (selection_is(&t->sel, &t->procs.items[i]))
            return t->layout.scroll + t->layout.device_height + t->layout.host_height +
                   panel_process_row(t, i);
    return -(1 << 30);
}

void tui_layout(tui_t *t)
{
    layout_input_t in = {.lines = t->lines,
                         .scroll = t->scroll,
                         .mode = t->mode,
                         .processes = (int)t->procs.count,
                         .process_rules = process_rows_ruled(t->order, false)
                                              ? process_rows_rules(t->procs.items, t->procs.count)
                                              : 0,
                         .host_compact_only = t->opt.ascii,
                         .host_hidden = t->host_hidden};
    device_counts(t->devices, &in);
    layout_compute(&in, &t->layout);
    t->scroll = t->layout.scroll;
    /* keep the selected row on the screen (nvitop's ProcessPanel.poke) */
    int y = selected_row(t);
    if (y != -(1 << 30) && (y < 0 || y >= t->lines)) {
        in.scroll = t->scroll + (y < 0 ? -y : -(y - t->lines + 1));
        layout_compute(&in, &t->layout);
        t->scroll = t->layout.scroll;
    }
}

void tui_screen_move(tui_t *t, int direction)
{
    long scroll = (long)t->scroll - direction;
    t->scroll = scroll > 0 ? 0 : scroll < -(1L << 24) ? -(1 << 24) : (int)scroll;
    tui_layout(t);
}

/* Below 79 columns only this box (spec §3.1), as nvitop's TUI.draw has it: the message
 * wrapped word by word at min(max(cols, 40), cols, 60) - 10 columns (a longer word stands
 * alone), in a ╒═╕ │ ╘═╛ box with a blank line above and below, centred. */
static void too_narrow(tui_t *t)
{
    char text[128], lines[16][128];
    snprintf(text, sizeof(text),
             "nvitop needs at least a width of 79 to render, the current width is %d.", t->cols);
    int wrap = t->cols < 40 ? 40 : t->cols;
    wrap = (wrap < t->cols ? wrap : t->cols);
    wrap = (wrap < 60 ? wrap : 60) - 10;
    int n = 0, longest = 0;
    for (char *word = strtok(text, " "); word; word = strtok(NULL, " ")) {
        int len = n ? (int)strlen(lines[n - 1]) : 0;
        if (n && len + 1 + (int)strlen(word) <= wrap)
            snprintf(lines[n - 1] + len, sizeof(lines[0]) - (size_t)len, " %s", word);
        else if (n < 16)
            snprintf(lines[n++], sizeof(lines[0]), "%s", word);
        len = (int)strlen(lines[n - 1]);
        longest = len > longest ? len : longest;
    }
    int box = longest + 4, height = n + 4;
    int y0 = (t->lines - height) / 2, x0 = (t->cols - box) / 2;
    for (int r = 0; r < height; r++) {
        bool edge = r == 0 || r == height - 1;
        frame_put(&t->frame, y0 + r, x0, r == 0 ? "╒" : r == height - 1 ? "╘" : "│", 0);
        for (int c = 1; c < box - 1; c++)
            frame_put(&t->frame, y0 + r, x0 + c, edge ? "═" : " ", 0);
        frame_put(&t->frame, y0 + r, x0 + box - 1, r == 0 ? "╕" : r == height - 1 ? "╛" : "│", 0);
        if (r >= 2 && r < height - 2) frame_put(&t->frame, y0 + r, x0 + 2, lines[r - 2], 0);
    }
}

static void main_draw(tui_t *t)
{
    int y = t->scroll;
    panel_devices(t, y);
    y += t->layout.device_height;
    panel_host(t, y);
    y += t->layout.host_height;
    panel_processes(t, y);
}

/* A screen by itself (the box is drawn over the screen it was opened from). */
static void draw_screen(tui_t *t, tui_screen_t screen)
{
    switch (screen) {
    case SCREEN_MAIN:
        main_draw(t);
        break;
    case SCREEN_TREE:
        tree_draw(t);
        break;
    case SCREEN_HELP:
        help_draw(t);
        break;
    case SCREEN_CONFIRM: /* the rest of the screen dim under the box */
        draw_screen(t, t->box_back);
        t->hot_count = 0; /* only the box takes clicks */
        for (int r = 0; r < t->lines; r++)
            frame_addattr(&t->frame, r, 0, t->cols, TS_DIM);
        confirm_draw(&t->box, &t->frame, t->lines, t->cols);
        break;
    case SCREEN_ENVIRON:
        environ_draw(t);
        break;
    case SCREEN_METRICS:
        metrics_draw(t);
        break;
    case SCREEN__COUNT:
        break;
    }
}

void tui_draw_host(tui_t *t)
{
    int y = t->scroll + t->layout.device_height;
    frame_clear_rows(&t->frame, y, t->layout.host_height);
    panel_host(t, y);
    panel_device_date(t, t->scroll);
}

void tui_draw(tui_t *t)
{
    if ((t->frame.rows != t->lines || t->frame.cols != t->cols) &&
        frame_resize(&t->frame, t->lines, t->cols) < 0)
        return;
    frame_clear(&t->frame);
    t->hot_count = 0;
    if (t->cols < 79) {
        too_narrow(t);
        return;
    }
    draw_screen(t, t->screen);
}
