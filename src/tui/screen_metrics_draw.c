/* SPDX-License-Identifier: Apache-2.0 */
/* The frame of the process metrics screen, laid out as nvitop's ProcessMetricsScreen draws
 * it (shared/reference/h100/nvitop-python/tui-metrics.txt): the box, the process row, the
 * four graphs with their labels, y-axis ticks and time marks. */
#include "tui/tui_internal.h"

#include <nvitop/format.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/graph.h"

typedef struct place {
    int y, x, width, height;
    bool down;
} place_t;

static place_t place_of(metrics_size_t s, int g)
{
    int lower_y = s.upper + 7, right_x = s.left + 2;
    switch (g) {
    case M_CPU:
        return (place_t){6, 1, s.left, s.upper, false};
    case M_HOST_MEM:
        return (place_t){lower_y, 1, s.left, s.lower, true};
    case M_GPU_MEM:
        return (place_t){6, right_x, s.right, s.upper, false};
    default:
        return (place_t){lower_y, right_x, s.right, s.lower, true};
    }
}

/* The largest and smallest values of each graph's scale, and what scales a tick's percent. */
static void scale_of(const tui_metrics_t *m, int g, double *min, double *max, double *init,
                     double *tick_scale)
{
    double total = g == M_HOST_MEM ? m->host_total : m->gpu_total;
    if (isnan(total) || total <= 0) total = 1.0;
    *tick_scale = g == M_CPU ? 0.1 : 1.0;
    *max = g == M_CPU ? 1000.0 : g == M_GPU_SM ? 100.0 : total;
    *min = g == M_CPU ? 10.0 : 0.1 * *max;
    *init = g == M_CPU ? 100.0 : *max;
}

static double largest(const metrics_graph_t *gr)
{
    double top = NAN;
    for (size_t i = 0; i < gr->count; i++)
        if (!isnan(gr->points[i]) && !(gr->points[i] <= top)) top = gr->points[i];
    return top;
}

static void rule(frame_t *f, int y, const char *l, const char *fill, const char *mid, const char *r,
                 metrics_size_t s, int width)
{
    int x = frame_put(f, y, 0, l, 0);
    for (int i = 0; i < width - 2; i++)
        x = frame_put(f, y, x, mid && i == s.left ? mid : fill, 0);
    frame_put(f, y, x, r, 0);
}

static void box(tui_t *t, metrics_size_t s)
{
    frame_t *f = &t->frame;
    int w = t->cols;
    rule(f, 0, "╒", "═", NULL, "╕", s, w);
    for (int y = 1; y < 5; y++) {
        if (y == 3) continue;
        frame_put(f, y, 0, "│", 0);
        frame_put(f, y, w - 1, "│", 0);
    }
    frame_put(f, 1, 2, "Process:", 0);
    rule(f, 3, "╞", "═", NULL, "╡", s, w);
    rule(f, 5, "╞", "═", "╤", "╡", s, w);
    rule(f, 6 + s.upper, "├", "─", "┼", "┤", s, w);
    rule(f, 7 + s.upper + s.lower, "╘", "═", "╧", "╛", s, w);
    for (int y = 6; y < 7 + s.upper + s.lower; y++) {
        if (y == 6 + s.upper) continue;
        frame_put(f, y, 0, "│", 0);
        frame_put(f, y, s.left + 1, "│", 0);
        frame_put(f, y, w - 1, "│", 0);
    }
}

static void user_context(tui_t *t)
{
    char ctx[300];
    snprintf(ctx, sizeof(ctx), "%s@%s", t->me, t->hostname);
    int cw = (int)rpt_width(ctx), uw = (int)rpt_width(t->me), x = t->cols - cw - 2;
    frame_put(&t->frame, 1, x, ctx, TS_BOLD);
    frame_chgat(&t->frame, 1, x, uw, (t->superuser ? TC_YELLOW : TC_MAGENTA) | TS_BOLD);
    frame_chgat(&t->frame, 1, x + uw + 1, cw - uw - 1, TC_GREEN | TS_BOLD);
}

static void time_marks(tui_t *t, metrics_size_t s)
{
    static const struct {
        int offset;
        const char *mark;
    } marks[] = {{19, "╴30s├"},  {34, "╴60s├"},   {65, "╴120s├"},
                 {95, "╴180s├"}, {125, "╴240s├"}, {155, "╴300s├"}};
    int y = 6 + s.upper;
    const int ends[2][2] = {{1 + s.left, s.left}, {2 + s.left + s.right, s.right}};
    for (size_t i = 0; i < ARRAY_LEN(marks); i++)
        for (int side = 0; side < 2; side++) {
            if (marks[i].offset > ends[side][1]) break;
            int x = ends[side][0] - marks[i].offset;
            frame_put(&t->frame, y, x, marks[i].mark, 0);
            frame_chgat(&t->frame, y, x + 1, (int)rpt_codepoints(marks[i].mark) - 2, TS_DIM);
        }
}

/* ---- the process row ---- */

static const char *int_text(char *buf, size_t len, nvitop_int_t v)
{
    if (!NVITOP_HAS(v)) return NVITOP_NA_TEXT;
    snprintf(buf, len, "%lld", (long long)v.value);
    return buf;
}

static const char *percent_text(char *buf, size_t len, nvitop_real_t v)
{
    if (!NVITOP_HAS(v) || !isfinite(v.value)) return NVITOP_NA_TEXT;
    if (v.value < 1000.0)
        snprintf(buf, len, "%.1f%%", v.value);
    else
        snprintf(buf, len, "%lld%%", (long long)v.value);
    return buf;
}

typedef struct column {
    const char *title;
    char value[80];
} column_t;

/* nvitop's columns, each right-aligned to its value's width (the title too). */
static size_t columns_of(const tui_metrics_t *m, column_t c[11])
{
    const nvitop_gpu_process_t *p = &m->watched->process;
    const nvitop_host_process_t *h = &p->host;
    char a[64], b[64];
    const char *type = nvitop_process_type_string(m->type);
    strbuf_t user = {0}, cut = {0};
    const char *name = h->na == NVITOP_NA_NONE && NVITOP_HAS(h->username) && h->username.value
                           ? h->username.value
                           : NVITOP_NA_TEXT;
    if (rpt_rjust(&cut, name, 4) < 0 || rpt_cut(&user, cut.data, 32, "+", false) < 0)
        strbuf_reset(&user);
    size_t n = 0;
    c[n].title = " GPU";
    snprintf(c[n++].value, sizeof(c[0].value), "%4s", m->gpu_index);
    c[n].title = "PID  ";
    snprintf(c[n++].value, sizeof(c[0].value), "%3u %s", (unsigned)m->target.pid, type);
    c[n].title = "USER";
    snprintf(c[n++].value, sizeof(c[0].value), "%s", user.data ? user.data : NVITOP_NA_TEXT);
    strbuf_fini(&user);
    strbuf_fini(&cut);
    c[n].title = " GPU-MEM";
    snprintf(c[n++].value, sizeof(c[0].value), "%8s",
             NVITOP_HAS(p->gpu_memory_bytes)
                 ? nvitop_bytes_to_human(p->gpu_memory_bytes.value, 1, a, sizeof(a))
                 : NVITOP_NA_TEXT);
    c[n].title = " %SM";
    snprintf(c[n++].value, sizeof(c[0].value), "%4s",
             int_text(a, sizeof(a), p->gpu_sm_utilization_percent));
    c[n].title = "%GMBW";
    snprintf(c[n++].value, sizeof(c[0].value), "%5s",
             int_text(a, sizeof(a), p->gpu_memory_utilization_percent));
    const char *encoder = int_text(a, sizeof(a), p->gpu_encoder_utilization_percent);
    c[n].title = "%ENC";
    snprintf(c[n++].value, sizeof(c[0].value), "%4s", encoder);
    c[n].title = "%DEC"; /* nvitop shows the encoder's figure here too */
    snprintf(c[n++].value, sizeof(c[0].value), "%4s", encoder);
    c[n].title = "  %CPU";
    snprintf(c[n++].value, sizeof(c[0].value), "%6s", percent_text(a, sizeof(a), h->cpu_percent));
    c[n].title = " %MEM";
    snprintf(c[n++].value, sizeof(c[0].value), "%5s",
             percent_text(a, sizeof(a), h->memory_percent));
    snprintf(b, sizeof(b), " %s",
             NVITOP_HAS(h->running_time_s)
                 ? nvitop_duration_to_human(h->running_time_s.value, false, a, sizeof(a))
                 : NVITOP_NA_TEXT);
    c[n].title = " TIME";
    snprintf(c[n++].value, sizeof(c[0].value), "%5s", b);
    return n;
}

static const char *command_of(const nvitop_host_process_t *h, tstyle_t *style)
{
    *style = ts_from_rpt(rpt_unreadable_color(rpt_unreadable(h)), 0);
    return rpt_process_command(h);
}

static void process_row(tui_t *t)
{
    tui_metrics_t *m = &t->metrics;
    frame_t *f = &t->frame;
    int w = t->cols;
    if (!m->watched) {
        frame_put(f, 4, 2, "Gathering process status...", TS_DIM);
        return;
    }
    column_t c[11];
    size_t n = columns_of(m, c);
    strbuf_t header = {0}, fields = {0}, col = {0};
    bool all = true;
    int x = 1;
    for (size_t i = 0; i < n && all; i++) { /* columns while they fit, as nvitop adds them */
        int width = (int)rpt_width(c[i].value);
        all = x + width < w - 2;
        if (!all) break;
        strbuf_reset(&col);
        rpt_rjust(&col, c[i].title, (size_t)width);
        strbuf_printf(&header, "%s%s", i ? " " : "", col.data);
        strbuf_printf(&fields, "%s%s", i ? " " : "", c[i].value);
        x = 1 + (int)rpt_width(fields.data);
    }
    frame_put(f, 2, 1, strbuf_str(&header), 0);
    frame_put(f, 4, 1, strbuf_str(&fields), 0);
    const nvitop_device_snapshot_t *d = metrics_device(t);
    if (d) frame_chgat(f, 4, 1, 4, ts_from_rpt(rpt_device_color(d, &t->ropt), 0));
    x += 2;
    if (all && x + 4 < w - 2) {
        tstyle_t style;
        const char *command = command_of(&m->watched->process.host, &style);
        strbuf_reset(&col);
        rpt_cut(&col, "COMMAND", (size_t)(w - x - 2), "..", false);
        frame_put(f, 2, x, col.data, 0);
        strbuf_reset(&col);
        rpt_cut(&col, command, (size_t)(w - x - 2), "..", false);
        frame_put(f, 4, x, col.data, style);
    }
    strbuf_fini(&header);
    strbuf_fini(&fields);
    strbuf_fini(&col);
}

/* ---- graphs and labels ---- */

static tstyle_t row_style(const tui_t *t, int g, int row, int height, double bound, double max)
{
    if (g == M_CPU) return TC_CYAN;
    if (g == M_HOST_MEM) return TC_MAGENTA;
    if (t->colors256) { /* red where the graph reaches the top of its device's range */
        double step = (bound / max) / (height > 1 ? height - 1 : 1);
        return ts_gradient(g == M_GPU_MEM ? (height - row - 1) * step : row * step);
    }
    const nvitop_device_snapshot_t *d = metrics_device(t);
    if (!d) return 0;
    if (g == M_GPU_MEM)
        return ts_from_rpt(rpt_load_color(rpt_pct_real(d->memory_percent), t->ropt.mem_thresholds),
                           0);
    return ts_from_rpt(
        rpt_load_color(rpt_pct_int(d->gpu_utilization_percent), t->ropt.gpu_thresholds), 0);
}

static void graph(tui_t *t, metrics_size_t s, int g)
{
    const tui_metrics_t *m = &t->metrics;
    place_t p = place_of(s, g);
    double min, max, init, tick_scale;
    scale_of(m, g, &min, &max, &init, &tick_scale);
    const metrics_graph_t *gr = &m->graph[g];
    double bound = metrics_bound(gr->points, gr->count, min, max, init);
    graph_spec_t spec = {p.width, p.height, p.down, 0.0, bound};
    strbuf_t *rows = calloc((size_t)p.height, sizeof(*rows));
    if (rows && graph_render(&spec, gr->points, gr->count, rows) == 0)
        for (int r = 0; r < p.height; r++)
            frame_put(&t->frame, p.y + r, p.x, strbuf_str(&rows[r]),
                      row_style(t, g, r, p.height, bound, max));
    for (int r = 0; rows && r < p.height; r++)
        strbuf_fini(&rows[r]);
    free(rows);
    metrics_tick_t ticks[3];
    int n = metrics_yticks(p.height, bound, max, tick_scale, p.down, ticks);
    for (int i = 0; i < n; i++) {
        char text[32];
        snprintf(text, sizeof(text), "├╴%d%% ", ticks[i].percent);
        int y = p.y + ticks[i].row, x = p.x - 1;
        frame_put(&t->frame, y, x, text, TS_DIM);
        frame_chgat(&t->frame, y, x, 2, 0);
    }
}

/* "3178MiB (3.9%)", with " / 79.65GiB" for the maximum. */
static void amount(char *buf, size_t len, double v, double total, bool with_total)
{
    char human[32], all[32];
    nvitop_bytes_to_human((int64_t)llround(v), 1, human, sizeof(human));
    if (isnan(total)) {
        snprintf(buf, len, "%s", human);
        return;
    }
    nvitop_bytes_to_human((int64_t)llround(total), 1, all, sizeof(all));
    snprintf(buf, len, "%s (%.1f%%)%s%s", human, rpt_round(1000.0 * v / total) / 10.0,
             with_total ? " / " : "", with_total ? all : "");
}

/* The label of a graph's current value (`max` false) or of its largest (true). */
static void label(const tui_metrics_t *m, int g, bool max, char *buf, size_t len)
{
    static const char *const names[M__COUNT] = {"CPU", "HOST-MEM", "GPU-MEM", "GPU-SM"};
    double v = max ? largest(&m->graph[g]) : m->graph[g].last;
    const char *pre = max ? "MAX " : "";
    char value[96];
    if (isnan(v))
        snprintf(value, sizeof(value), NVITOP_NA_TEXT);
    else if (g == M_CPU || g == M_GPU_SM)
        snprintf(value, sizeof(value), "%.1f%%", v);
    else
        amount(value, sizeof(value), v, g == M_HOST_MEM ? m->host_total : m->gpu_total, max);
    snprintf(buf, len, "%s%s: %s", pre, names[g], value);
}

static void put_label(tui_t *t, int y, int x, const char *text, int maxlen)
{
    strbuf_t cut = {0};
    if (rpt_cut(&cut, text, (size_t)(maxlen > 0 ? maxlen : 1), "..", false) == 0) {
        frame_put(&t->frame, y, x, " ", 0);
        int end = frame_put(&t->frame, y, x + 1, cut.data, 0);
        frame_put(&t->frame, y, end, " ", 0);
    }
    strbuf_fini(&cut);
}

static void labels(tui_t *t, metrics_size_t s)
{
    const tui_metrics_t *m = &t->metrics;
    char text[160];
    int bottom = s.upper + s.lower + 5, right = s.left + 2;
    label(m, M_CPU, true, text, sizeof(text));
    put_label(t, 6, 1, text, s.left - 2);
    label(m, M_CPU, false, text, sizeof(text));
    put_label(t, 7, 5, text, s.left - 6);
    label(m, M_HOST_MEM, false, text, sizeof(text));
    put_label(t, bottom, 5, text, s.left - 6);
    label(m, M_HOST_MEM, true, text, sizeof(text));
    put_label(t, bottom + 1, 1, text, s.left - 2);
    label(m, M_GPU_MEM, true, text, sizeof(text));
    put_label(t, 6, right, text, s.right - 2);
    label(m, M_GPU_MEM, false, text, sizeof(text));
    put_label(t, 7, right + 4, text, s.right - 6);
    label(m, M_GPU_SM, false, text, sizeof(text));
    put_label(t, bottom, right + 4, text, s.right - 6);
    label(m, M_GPU_SM, true, text, sizeof(text));
    put_label(t, bottom + 1, right, text, s.right - 2);
}

void metrics_draw(tui_t *t)
{
    tui_metrics_t *m = &t->metrics;
    metrics_size_t s = metrics_size(t->lines, t->cols);
    box(t, s);
    user_context(t);
    time_marks(t, s);
    process_row(t);
    for (int g = 0; g < M__COUNT; g++)
        graph(t, s, g);
    labels(t, s);
    if (m->watched && m->watched->ended) /* ours: nvitop only turns the command red */
        frame_put(&t->frame, 1, 11, "(ended: the graphs keep its last samples)", TC_RED | TS_BOLD);
}
