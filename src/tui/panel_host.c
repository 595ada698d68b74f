/* SPDX-License-Identifier: Apache-2.0 */
/* The host panel (spec §3.4): the report's two host lines in the compact form; in the full
 * form the braille history graphs of CPU, memory and swap on the left, of GPU memory and
 * utilisation on the right from 100 columns on, with their time axis. Beyond nvitop: from 121
 * columns the lower right graphs split, the power draw (% of the limit) left of the
 * utilisation. */
#include "tui/tui_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/leaf.h"
#include "render/graph.h"

/* The panel's frame: 11 rows between its top and bottom borders, the time axis on row 5. */
#define LEFT_WIDTH (RPT_FIXED_WIDTH - 2)   /* the host graphs, inside the borders */
#define RIGHT_X RPT_FIXED_WIDTH            /* the GPU graphs, right of the fixed columns */
#define MID_BORDER_X (RPT_FIXED_WIDTH - 1) /* the border between the two parts */
#define PANEL_ROWS 11
#define AXIS_ROW 5
#define MIN_GPU_GRAPH 20   /* the GPU graphs' least width */
#define MIN_SPLIT_GRAPH 41 /* the lower right graphs split from this width on */

/* Where each graph goes: row offset, column, width, height, upside down. */
typedef struct graph_place {
    int dy, x, width, height;
    bool down;
} graph_place_t;

/* The GPU graphs' width right of the fixed columns. */
static int gpu_graph_width(int width)
{
    return width - RPT_BAR_X < MIN_GPU_GRAPH ? MIN_GPU_GRAPH : width - RPT_BAR_X;
}

/* The power graph's width when the lower right area splits (0: it does not). */
static int power_width(int width)
{
    int gw = gpu_graph_width(width);
    return width >= RPT_BARS_MIN_WIDTH && gw >= MIN_SPLIT_GRAPH ? (gw - 1) / 2 : 0;
}

static graph_place_t place_of(int width, int graph)
{
    int gw = gpu_graph_width(width), pw = power_width(width);
    switch (graph) {
    case G_CPU:
        return (graph_place_t){0, 1, LEFT_WIDTH, 5, false};
    case G_MEM:
        return (graph_place_t){6, 1, LEFT_WIDTH, 4, true};
    case G_SWP:
        return (graph_place_t){10, 1, LEFT_WIDTH, 1, false};
    case G_GPU_MEM:
        return (graph_place_t){0, RIGHT_X, gw, 5, false};
    case G_GPU_PWR:
        return (graph_place_t){6, RIGHT_X, pw, 5, true};
    default:
        return pw ? (graph_place_t){6, RIGHT_X + pw + 1, gw - pw - 1, 5, true}
                  : (graph_place_t){6, RIGHT_X, gw, 5, true};
    }
}

size_t panel_host_points(const tui_t *t, int graph)
{
    int width = t->cols < RPT_FIXED_WIDTH ? RPT_FIXED_WIDTH : t->cols;
    graph_place_t p = place_of(width, graph);
    if (graph >= G_GPU_MEM && width < RPT_BARS_MIN_WIDTH) return 0;
    return p.width > 0 ? (size_t)(2 * p.width + 1) : 0;
}

static void draw_graph(tui_t *t, int y, int graph, tstyle_t color, bool row_gradient)
{
    int width = t->cols < RPT_FIXED_WIDTH ? RPT_FIXED_WIDTH : t->cols;
    graph_place_t p = place_of(width, graph);
    if (p.width <= 0) return;
    graph_spec_t spec = {p.width, p.height, p.down, 0.0, 100.0};
    strbuf_t rows[5] = {{0}};
    const tui_graph_t *g = &t->graph[graph];
    if (graph_render(&spec, g->points, g->count, rows) == 0)
        for (int r = 0; r < p.height; r++) {
            tstyle_t style = color;
            if (row_gradient) /* memory: red on top; utilisation: red at the bottom */
                style = ts_gradient(p.down ? r / 4.0 : 1.0 - r / 4.0);
            frame_put(&t->frame, y + p.dy + r, p.x, strbuf_str(&rows[r]), style);
        }
    for (int r = 0; r < 5; r++)
        strbuf_fini(&rows[r]);
}

static void percent_text(char *buf, size_t len, double v)
{
    if (isnan(v))
        snprintf(buf, len, NVITOP_NA_TEXT);
    else
        snprintf(buf, len, "%.1f%%", v);
}

static tstyle_t load_style(double v, const int thresholds[2])
{
    rpt_percent_t p = {v, !isnan(v), true};
    return ts_from_rpt(rpt_load_color(p, thresholds), 0);
}

static void frame_lines(tui_t *t, int y, int width)
{
    frame_t *f = &t->frame;
    rpt_bars_t b = rpt_bars(width);
    static const char top[] =
        "╞═══════════════════════════════╧══════════════════════╧══════════════════════";
    static const char axis[] =
        "├────────────╴120s├─────────────────────────╴60s├──────────╴30s├──────────────";
    int x = frame_put(f, y - 1, 0, top, 0);
    x = frame_put(f, y - 1, x, b.on ? "╪" : "╡", 0);
    for (int i = 0; b.on && i < b.rem - 1; i++)
        x = frame_put(f, y - 1, x, "═", 0);
    if (b.on) frame_put(f, y - 1, x, "╡", 0);
    /* the split of the device bars above ends here */
    const nvitop_snapshot_t *s = t->devices;
    if (s && s->device_count && b.split && !s->devices[s->device_count - 1].is_mig)
        frame_put(f, y - 1, b.split_x, "╧", 0);
    for (int r = 0; r < PANEL_ROWS; r++) {
        frame_put(f, y + r, 0, r == AXIS_ROW ? "├" : "│", 0);
        frame_put(f, y + r, MID_BORDER_X, r == AXIS_ROW ? (b.on ? "┼" : "┤") : "│", 0);
        if (b.on) frame_put(f, y + r, width - 1, r == AXIS_ROW ? "┤" : "│", 0);
    }
    x = frame_put(f, y + AXIS_ROW, 0, axis, 0);
    for (int i = 0; b.on && i < b.rem - 1; i++)
        frame_put(f, y + AXIS_ROW, RIGHT_X + i, "─", 0);
    x = frame_put(f, y + PANEL_ROWS, 0, "╘", 0);
    for (int i = 0; i < LEFT_WIDTH; i++)
        x = frame_put(f, y + PANEL_ROWS, x, "═", 0);
    x = frame_put(f, y + PANEL_ROWS, x, b.on ? "╧" : "╛", 0);
    for (int i = 0; b.on && i < b.rem - 1; i++)
        x = frame_put(f, y + PANEL_ROWS, x, "═", 0);
    if (b.on) frame_put(f, y + PANEL_ROWS, x, "╛", 0);
    /* the left axis' time labels ("120s", "60s", "30s") are dim */
    frame_chgat(f, y + AXIS_ROW, 14, 4, TS_DIM);
    frame_chgat(f, y + AXIS_ROW, 45, 3, TS_DIM);
    frame_chgat(f, y + AXIS_ROW, 60, 3, TS_DIM);
    static const struct {
        int offset; /* from the right edge */
        const char *mark;
    } marks[] = {{20, "╴30s├"},  {35, "╴60s├"},   {66, "╴120s├"},
                 {96, "╴180s├"}, {126, "╴240s├"}, {156, "╴300s├"}};
    for (size_t i = 0; b.on && i < ARRAY_LEN(marks) && marks[i].offset <= b.rem; i++) {
        frame_put(f, y + AXIS_ROW, width - marks[i].offset, marks[i].mark, 0);
        frame_chgat(f, y + AXIS_ROW, width - marks[i].offset + 1,
                    (int)rpt_codepoints(marks[i].mark) - 2, TS_DIM);
    }
    int pw = power_width(width);
    if (pw) { /* the power graph's own column, left of the utilisation; a time mark there
               * stays whole (the marks belong to the utilisation graph, as in nvitop) */
        const tcell_t *axis_cell = frame_cell(f, y + AXIS_ROW, RIGHT_X + pw);
        if (axis_cell && axis_cell->cp == 0x2500) frame_put(f, y + AXIS_ROW, RIGHT_X + pw, "┬", 0);
        for (int r = AXIS_ROW + 1; r < PANEL_ROWS; r++)
            frame_put(f, y + r, RIGHT_X + pw, "│", 0);
        frame_put(f, y + PANEL_ROWS, RIGHT_X + pw, "╧", 0);
    }
}

/* "GPU MEM", "AVG GPU MEM" (several devices) or "GPU 0 MEM" (the selection's device). */
static void gpu_label(const tui_t *t, char *buf, size_t len, const char *what, double v)
{
    char pct[32];
    percent_text(pct, sizeof(pct), v);
    size_t leaves = 0;
    const nvitop_snapshot_t *s = t->devices;
    for (size_t i = 0; s && i < s->device_count; i++)
        leaves += snapshot_device_is_leaf(s, i);
    if (t->graph_device >= 0 && s && (size_t)t->graph_device < s->device_count) {
        const nvitop_device_snapshot_t *d = &s->devices[t->graph_device];
        if (d->is_mig)
            snprintf(buf, len, " GPU %d:%d %s: %s ", d->physical_index, d->mig_index, what, pct);
        else
            snprintf(buf, len, " GPU %d %s: %s ", d->physical_index, what, pct);
    } else {
        snprintf(buf, len, " %sGPU %s: %s ", leaves > 1 ? "AVG " : "", what, pct);
    }
}

static void full_panel(tui_t *t, int y, int width)
{
    frame_t *f = &t->frame;
    const nvitop_host_snapshot_t *h = t->host ? &t->host->host : NULL;
    frame_lines(t, y, width);
    draw_graph(t, y, G_CPU, TC_CYAN, false);
    draw_graph(t, y, G_MEM, TC_MAGENTA, false);
    draw_graph(t, y, G_SWP, TC_BLUE, false);
    if (width >= RPT_BARS_MIN_WIDTH) {
        const int *gpu = t->ropt.gpu_thresholds, *mem = t->ropt.mem_thresholds;
        draw_graph(t, y, G_GPU_MEM, load_style(t->graph[G_GPU_MEM].last, mem), t->colors256);
        draw_graph(t, y, G_GPU_UTL, load_style(t->graph[G_GPU_UTL].last, gpu), t->colors256);
        if (power_width(width))
            draw_graph(t, y, G_GPU_PWR, load_style(t->graph[G_GPU_PWR].last, gpu), t->colors256);
    }
    char text[160], v1[16], v2[16], v3[16], pct[32], used[48];
    nvitop_real_t na = {0, NVITOP_NA_NOT_SAMPLED};
    rpt_load_value(v1, sizeof(v1), h ? h->load_average_1m : na);
    rpt_load_value(v2, sizeof(v2), h ? h->load_average_5m : na);
    rpt_load_value(v3, sizeof(v3), h ? h->load_average_15m : na);
    snprintf(text, sizeof(text), " Load Average: %s %s %s ", v1, v2, v3);
    frame_put(f, y, 1, text, 0);
    percent_text(pct, sizeof(pct), t->graph[G_CPU].last);
    snprintf(text, sizeof(text), " CPU: %s ", pct);
    frame_put(f, y + 1, 1, text, 0);
    const nvitop_int_t *amounts[2] = {h ? &h->memory_used_bytes : NULL,
                                      h ? &h->swap_used_bytes : NULL};
    for (int i = 0; i < 2; i++) {
        if (amounts[i] && NVITOP_HAS(*amounts[i]))
            nvitop_bytes_to_human(amounts[i]->value, NVITOP_GiB, used, sizeof(used));
        else
            snprintf(used, sizeof(used), NVITOP_NA_TEXT);
        percent_text(pct, sizeof(pct), t->graph[i ? G_SWP : G_MEM].last);
        snprintf(text, sizeof(text), " %s: %s (%s) ", i ? "SWP" : "MEM", used, pct);
        frame_put(f, y + 9 + i, 1, text, 0);
    }
    if (width < RPT_BARS_MIN_WIDTH) return;
    gpu_label(t, text, sizeof(text), "MEM", t->graph[G_GPU_MEM].last);
    frame_put(f, y, RIGHT_X, text, 0);
    int pw = power_width(width);
    gpu_label(t, text, sizeof(text), "UTL", t->graph[G_GPU_UTL].last);
    frame_put(f, y + 10, pw ? RIGHT_X + pw + 1 : RIGHT_X, text, 0);
    if (pw) {
        gpu_label(t, text, sizeof(text), "PWR", t->graph[G_GPU_PWR].last);
        frame_putn(f, y + 10, RIGHT_X, text, (size_t)pw, 0);
    }
}

void panel_host(tui_t *t, int y)
{
    int width = t->cols < RPT_FIXED_WIDTH ? RPT_FIXED_WIDTH : t->cols;
    if (t->layout.host_height == 0) return;
    if (!t->layout.host_compact) {
        full_panel(t, y, width);
        return;
    }
    if (!t->host) return;
    styled_t lines = {0};
    if (rpt_host_lines(&lines, &t->host->host, width) == 0)
        frame_put_styled(&t->frame, y, 0, &lines, 0);
    sty_fini(&lines);
}
