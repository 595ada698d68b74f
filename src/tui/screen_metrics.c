/* SPDX-License-Identifier: Apache-2.0 */
/* The process metrics screen (spec §3.6): the selected process's row on top, then four
 * braille graphs, host CPU % and host memory on the left, GPU memory and SM % on the right,
 * each with its current and largest value, a dynamic scale with y-axis ticks and the time
 * axis between them. The sampler watches the process every 0.5 s while the screen is open;
 * when the process ends the graphs keep their last points and the screen says so. */
#include "tui/tui_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

metrics_size_t metrics_size(int lines, int cols)
{
    metrics_size_t s;
    s.left = (cols - 3) / 2 > 20 ? (cols - 3) / 2 : 20;
    s.right = (cols - 2) / 2 > 20 ? (cols - 2) / 2 : 20;
    s.upper = (lines - 8) / 2 > 5 ? (lines - 8) / 2 : 5;
    s.lower = (lines - 7) / 2 > 5 ? (lines - 7) / 2 : 5;
    return s;
}

double metrics_bound(const float *points, size_t n, double min_bound, double max_bound,
                     double init_bound)
{
    double top = NAN;
    for (size_t i = 0; i < n; i++)
        if (!isnan(points[i]) && points[i] >= 0 && !(points[i] <= top)) top = points[i];
    if (isnan(top)) return init_bound;
    double bound = 1.25 * top;
    return bound < min_bound ? min_bound : bound > max_bound ? max_bound : bound;
}

/* The row (from the bottom, fractional) of a percentage, in nvitop's order of operations so
 * that ties at whole rows fall the same way. */
static double row_of(int percent, int height, double bound, double max_bound, double scale)
{
    return 0.01 * scale * percent * max_bound * (height - 1) / bound;
}

int metrics_yticks(int height, double bound, double max_bound, double scale, bool upside_down,
                   metrics_tick_t ticks[3])
{
    static const int percents[] = {1,  2,  4,   5,   8,   10,  20,  40,
                                   50, 80, 100, 200, 400, 500, 800, 1000};
    if (height < 2 || !(bound > 0)) return 0;
    int max_height = height - 2;
    /* for each row, the percentage that lands closest to it (relative to its size) */
    metrics_tick_t best[ARRAY_LEN(percents)];
    double err[ARRAY_LEN(percents)];
    int n = 0;
    for (size_t i = 0; i < ARRAY_LEN(percents); i++) {
        double hf = row_of(percents[i], height, bound, max_bound, scale);
        int h = (int)hf, at = -1;
        double e = fabs(hf - h) / percents[i];
        for (int j = 0; j < n; j++)
            if (best[j].row == h) at = j;
        if (at < 0 && h < max_height) {
            best[n] = (metrics_tick_t){h, percents[i]};
            err[n++] = e;
        } else if (at >= 0 && e < err[at]) {
            best[at].percent = percents[i];
            err[at] = e;
        }
    }
    /* rows grow with the percentage, so the entries are already in row order */
    int count = 0;
    if (n < 2) {
        for (int j = 0; j < n; j++)
            ticks[count++] = best[j];
    } else if (height < 12) {
        ticks[count++] = err[n - 2] < err[n - 1] ? best[n - 2] : best[n - 1];
    } else {
        metrics_tick_t top = best[n - 1];
        ticks[count++] = top;
        if (top.percent % 2 == 0 && top.percent / 2 >= 3) { /* half, and 1.5x when it fits */
            int p1 = top.percent / 2, p3 = 3 * p1;
            ticks[count++] = (metrics_tick_t){(int)row_of(p1, height, bound, max_bound, scale), p1};
            int h3 = (int)row_of(p3, height, bound, max_bound, scale);
            if (top.row < h3 && h3 < max_height) ticks[count++] = (metrics_tick_t){h3, p3};
        }
    }
    for (int i = 0; i < count && !upside_down; i++)
        ticks[i].row = height - 1 - ticks[i].row;
    return count;
}

/* ---- opening and closing, data ---- */

const nvitop_device_snapshot_t *metrics_device(const tui_t *t)
{
    const sampler_target_t *target = &t->metrics.target;
    const nvitop_snapshot_t *s = t->devices;
    for (size_t i = 0; s && i < s->device_count; i++) {
        const nvitop_device_snapshot_t *d = &s->devices[i];
        if (d->physical_index == target->physical && (d->is_mig ? d->mig_index : -1) == target->mig)
            return d;
    }
    return NULL;
}

static void update_totals(tui_t *t)
{
    tui_metrics_t *m = &t->metrics;
    const nvitop_device_snapshot_t *d = metrics_device(t);
    if (d && NVITOP_HAS(d->memory_total_bytes) && d->memory_total_bytes.value > 0)
        m->gpu_total = (double)d->memory_total_bytes.value;
    const nvitop_host_snapshot_t *h = t->host ? &t->host->host : NULL;
    if (h && NVITOP_HAS(h->memory_total_bytes) && h->memory_total_bytes.value > 0)
        m->host_total = (double)h->memory_total_bytes.value;
}

bool metrics_open(tui_t *t)
{
    const rpt_proc_t *v = NULL;
    for (size_t i = 0; t->sel.set && i < t->procs.count && !v; i++)
        if (selection_is(&t->sel, &t->procs.items[i])) v = &t->procs.items[i];
    if (!v) return false;
    metrics_close(t);
    tui_metrics_t *m = &t->metrics;
    *m = (tui_metrics_t){.on = true, .host_total = NAN, .gpu_total = NAN, .type = v->p->type};
    proc_ident_t id = selection_ident_of(v);
    m->target = (sampler_target_t){id.pid, id.create_time_s, id.physical, id.mig};
    snprintf(m->gpu_index, sizeof(m->gpu_index), "%s", v->display_index);
    for (int g = 0; g < M__COUNT; g++)
        m->graph[g].last = NAN;
    update_totals(t);
    if (t->sampler) sampler_watch(t->sampler, &m->target);
    t->screen = SCREEN_METRICS;
    return true;
}

void metrics_close(tui_t *t)
{
    tui_metrics_t *m = &t->metrics;
    if (t->sampler) {
        if (m->on) sampler_watch(t->sampler, NULL);
        if (m->watched) sampler_watched_release(t->sampler, m->watched);
    }
    m->watched = NULL;
    m->on = false;
    if (t->screen == SCREEN_METRICS) t->screen = SCREEN_MAIN;
}

bool metrics_poll(tui_t *t)
{
    tui_metrics_t *m = &t->metrics;
    if (!m->on || !t->sampler) return false;
    bool news = false;
    const sampler_watched_t *w = sampler_watched_acquire(t->sampler);
    if (w) {
        news = w->samples != m->samples;
        if (m->watched) sampler_watched_release(t->sampler, m->watched);
        m->watched = w;
        m->samples = w->samples;
    }
    update_totals(t);
    metrics_size_t sz = metrics_size(t->lines, t->cols);
    int widths[M__COUNT] = {sz.left, sz.left, sz.right, sz.right};
    for (int g = 0; g < M__COUNT; g++) {
        size_t want = (size_t)(2 * widths[g] + 1);
        if (want > ARRAY_LEN(m->graph[g].points)) want = ARRAY_LEN(m->graph[g].points);
        m->graph[g].count =
            sampler_history(t->sampler, (sampler_metric_t)(SAMPLER_PROC_CPU + g), -1,
                            m->graph[g].points, want, &m->graph[g].last, &m->added[g]);
    }
    return news;
}

bool screens_poll(tui_t *t)
{
    bool changed = false;
    if (t->screen == SCREEN_ENVIRON) changed |= environ_poll(t);
    if (t->metrics.on) changed |= metrics_poll(t);
    return changed;
}

void screens_fini(tui_t *t)
{
    environ_close(t);
    metrics_close(t);
}

void metrics_key(tui_t *t, const key_binding_t *b)
{
    tui_metrics_t *m = &t->metrics;
    switch (b->action) {
    case ACT_QUIT:
    case ACT_METRICS:
        metrics_close(t);
        break;
    case ACT_ENVIRONMENT: {
        const nvitop_host_process_t *h = m->watched ? &m->watched->process.host : NULL;
        const char *user = h && NVITOP_HAS(h->username) ? h->username.value : NULL;
        const char *command = h && NVITOP_HAS(h->command) ? h->command.value : NULL;
        environ_open(t, m->target.pid, m->type, user, command, SCREEN_METRICS);
        break;
    }
    default:
        break;
    }
}

void metrics_mouse(tui_t *t, int y, int x, int button)
{
    (void)t, (void)y, (void)x, (void)button; /* nothing to scroll or select here */
}
