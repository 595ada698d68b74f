/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen (fleet_view.h): rows from the model (filtered, sorted, nodes grouping their
 * GPUs), the selection found again by name after each refresh, the keys and clicks, the
 * frames of the three screens. */
#include "tui/fleet_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fleet/fleet_report.h"
#include "tui/keys.h"

#define HEAD_ROWS 3 /* summary, hints, column heading */
#define FOOT_ROWS 1 /* the filter line */
#define NAME_MIN 14
#define NAME_MAX 33
#define BAR_MIN 10

static const char *const order_names[FORD__COUNT] = {"node", "utilization", "free memory", "name"};
static const char *const proc_order_names[PORD__COUNT] = {"GPU memory", "SM %",     "pid",
                                                          "user",       "workload", "command"};

/* The keys, written once: the help screen is this table. */
static const struct {
    const char *keys, *does;
} help[] = {
    {"q", "quit (on the process screen: back)"},
    {"h ?", "this help; any key returns"},
    {"Up Down k j", "select a node or GPU"},
    {"Home End PgUp PgDn", "first, last, a page up or down"},
    {"wheel, click", "select (a click on the selected row opens it)"},
    {"Enter", "the processes of the selected node or GPU"},
    {", .", "sort by the previous / next order; < > on the process screen too"},
    {"r", "reverse the order"},
    {"/", "filter on node or GPU name (Enter keeps it, Esc clears it)"},
    {"F5 Ctrl-R", "refresh now"},
    {"Esc", "back to the fleet; clear the filter"},
};

const char *fleet_order_name(fleet_order_t o)
{
    return o < FORD__COUNT ? order_names[o] : "";
}

const char *fleet_proc_order_name(fleet_proc_order_t o)
{
    return o < PORD__COUNT ? proc_order_names[o] : "";
}

void fleet_view_init(fleet_view_t *v, const char *url, const fleet_rules_t *rules,
                     const int gpu_thresholds[2], const int mem_thresholds[2], bool ascii)
{
    memset(v, 0, sizeof(*v));
    snprintf(v->url, sizeof(v->url), "%s", url);
    v->rules = *rules;
    v->gpu_thresholds[0] = gpu_thresholds[0];
    v->gpu_thresholds[1] = gpu_thresholds[1];
    v->mem_thresholds[0] = mem_thresholds[0];
    v->mem_thresholds[1] = mem_thresholds[1];
    v->sel = v->proc_sel = -1;
    v->frame.ascii = ascii;
}

void fleet_view_fini(fleet_view_t *v)
{
    fleet_fini(&v->fleet);
    free(v->rows);
    free(v->procs);
    frame_fini(&v->frame);
    memset(v, 0, sizeof(*v));
}

/* ---- rows ---- */

static bool contains(const char *text, const char *pattern)
{
    if (!text) return false;
    size_t n = strlen(pattern);
    for (; *text; text++)
        if (strncasecmp(text, pattern, n) == 0) return true;
    return n == 0;
}

static double gpu_free(const fleet_gpu_t *g)
{
    return g->memory_total_mib - g->memory_used_mib;
}

/* A GPU's key of the order, larger first (node and name: smaller first). */
static int compare_gpu(const fleet_view_t *v, const fleet_gpu_t *a, const fleet_gpu_t *b)
{
    double x = 0, y = 0;
    switch (v->order) {
    case FORD_UTIL:
        x = isnan(b->util_percent) ? -1 : b->util_percent;
        y = isnan(a->util_percent) ? -1 : a->util_percent;
        break;
    case FORD_FREE:
        x = isnan(gpu_free(b)) ? -1 : gpu_free(b);
        y = isnan(gpu_free(a)) ? -1 : gpu_free(a);
        break;
    case FORD_NAME: {
        int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
        if (c) return c;
        break;
    }
    default:
        break;
    }
    return (x > y) - (x < y);
}

typedef struct sort_ctx {
    const fleet_view_t *v;
    const size_t *best; /* per node: its first GPU in the order */
} sort_ctx_t;

static int compare_rows(const fleet_row_t *ra, const fleet_row_t *rb, const sort_ctx_t *c)
{
    const fleet_t *f = &c->v->fleet;
    int sign = c->v->reverse ? -1 : 1;
    if (ra->node != rb->node) {
        const fleet_node_t *a = &f->nodes[ra->node], *b = &f->nodes[rb->node];
        int r = 0;
        if (c->v->order != FORD_NODE && a->gpu_count && b->gpu_count)
            r = compare_gpu(c->v, &f->gpus[c->best[ra->node]], &f->gpus[c->best[rb->node]]);
        else if (c->v->order != FORD_NODE && (a->gpu_count || b->gpu_count))
            r = a->gpu_count ? -1 : 1; /* nodes without rows (stale) last */
        if (!r) r = strcmp(a->hostname, b->hostname);
        if (!r) r = ra->node < rb->node ? -1 : 1;
        return sign * r;
    }
    if ((ra->gpu < 0) != (rb->gpu < 0)) return ra->gpu < 0 ? -1 : 1; /* the node line first */
    int r = c->v->order == FORD_NODE
                ? 0
                : compare_gpu(c->v, &f->gpus[ra->gpu], &f->gpus[rb->gpu]) * sign;
    return r ? r : (ra->gpu > rb->gpu) - (ra->gpu < rb->gpu);
}

/* A merge sort over a scratch array: the comparison needs the view (qsort passes no context),
 * and it is stable, so rows of equal keys keep the model's order. */
static void merge_sort(fleet_row_t *rows, fleet_row_t *tmp, size_t n, const sort_ctx_t *c)
{
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(rows, tmp, h, c);
    merge_sort(rows + h, tmp, n - h, c);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = compare_rows(&rows[j], &rows[i], c) < 0 ? rows[j++] : rows[i++];
    while (i < h)
        tmp[k++] = rows[i++];
    while (j < n)
        tmp[k++] = rows[j++];
    memcpy(rows, tmp, n * sizeof(*rows));
}

static bool push_row(fleet_view_t *v, size_t node, long gpu)
{
    if (array_reserve((void **)&v->rows, &v->row_cap, v->row_count + 1, sizeof(*v->rows)) < 0)
        return false;
    v->rows[v->row_count++] = (fleet_row_t){node, gpu};
    return true;
}

static void refind_selection(fleet_view_t *v)
{
    v->sel = v->row_count ? 0 : -1;
    if (!v->sel_node[0]) return;
    for (size_t i = 0; i < v->row_count; i++) {
        const fleet_row_t *r = &v->rows[i];
        const fleet_node_t *n = &v->fleet.nodes[r->node];
        const char *key = n->instance ? n->instance : n->hostname;
        if (strcmp(key, v->sel_node) != 0) continue;
        if (r->gpu < 0 ? !v->sel_gpu[0] : strcmp(v->fleet.gpus[r->gpu].index, v->sel_gpu) == 0) {
            v->sel = (long)i;
            return;
        }
        if (r->gpu < 0) v->sel = (long)i; /* the GPU went: its node */
    }
}

static void remember_selection(fleet_view_t *v)
{
    v->sel_node[0] = v->sel_gpu[0] = '\0';
    if (v->sel < 0 || (size_t)v->sel >= v->row_count) return;
    const fleet_row_t *r = &v->rows[v->sel];
    const fleet_node_t *n = &v->fleet.nodes[r->node];
    snprintf(v->sel_node, sizeof(v->sel_node), "%s", n->instance ? n->instance : n->hostname);
    if (r->gpu >= 0) snprintf(v->sel_gpu, sizeof(v->sel_gpu), "%s", v->fleet.gpus[r->gpu].index);
}

static void build_rows(fleet_view_t *v)
{
    const fleet_t *f = &v->fleet;
    v->row_count = 0;
    size_t *best = calloc(f->node_count + 1, sizeof(*best));
    if (!best) return;
    for (size_t n = 0; n < f->node_count; n++) {
        const fleet_node_t *node = &f->nodes[n];
        bool node_match =
            contains(node->hostname, v->filter) || contains(node->instance, v->filter);
        bool any = node_match;
        for (size_t g = node->gpu_first; g < node->gpu_first + node->gpu_count; g++)
            any |= contains(f->gpus[g].name, v->filter);
        if (!any || !push_row(v, n, -1)) continue;
        best[n] = node->gpu_first;
        for (size_t g = node->gpu_first; g < node->gpu_first + node->gpu_count; g++) {
            if (!node_match && !contains(f->gpus[g].name, v->filter)) continue;
            if (!push_row(v, n, (long)g)) break;
            if (compare_gpu(v, &f->gpus[g], &f->gpus[best[n]]) < 0) best[n] = g;
        }
    }
    fleet_row_t *tmp = calloc(v->row_count + 1, sizeof(*tmp));
    sort_ctx_t c = {v, best};
    if (tmp) merge_sort(v->rows, tmp, v->row_count, &c);
    free(tmp);
    free(best);
    refind_selection(v);
}

/* ---- the process screen's rows ---- */

static int compare_procs(const fleet_view_t *v, const fleet_process_t *a, const fleet_process_t *b)
{
    double x = 0, y = 0;
    int r = 0;
    switch (v->proc_order) {
    case PORD_MEMORY:
        x = isnan(b->gpu_memory_mib) ? -1 : b->gpu_memory_mib;
        y = isnan(a->gpu_memory_mib) ? -1 : a->gpu_memory_mib;
        break;
    case PORD_SM:
        x = isnan(b->sm_percent) ? -1 : b->sm_percent;
        y = isnan(a->sm_percent) ? -1 : a->sm_percent;
        break;
    case PORD_PID:
        x = (double)a->pid, y = (double)b->pid;
        break;
    case PORD_USER:
        r = strcmp(a->user ? a->user : "", b->user ? b->user : "");
        break;
    case PORD_WORKLOAD:
        r = strcmp(a->workload ? a->workload : "", b->workload ? b->workload : "");
        break;
    default:
        r = strcmp(a->command ? a->command : "", b->command ? b->command : "");
    }
    if (!r) r = (x > y) - (x < y);
    if (v->reverse) r = -r;
    if (!r)
        r = a->gpu != b->gpu ? (a->gpu < b->gpu ? -1 : 1) : (a->pid > b->pid) - (a->pid < b->pid);
    return r;
}

static void build_procs(fleet_view_t *v)
{
    const fleet_t *f = &v->fleet;
    v->proc_count = 0;
    for (size_t i = 0; i < f->proc_count; i++) {
        const fleet_process_t *p = &f->procs[i];
        bool mine = v->procs_of.gpu < 0
                        ? p->node == v->procs_of.node && !fleet_gpu_is_mig(&f->gpus[p->gpu])
                        : p->gpu == (size_t)v->procs_of.gpu;
        if (!mine || array_reserve((void **)&v->procs, &v->proc_cap, v->proc_count + 1,
                                   sizeof(*v->procs)) < 0)
            continue;
        v->procs[v->proc_count++] = i;
    }
    /* insertion sort: a node's processes are few */
    for (size_t i = 1; i < v->proc_count; i++)
        for (size_t j = i;
             j > 0 && compare_procs(v, &f->procs[v->procs[j]], &f->procs[v->procs[j - 1]]) < 0;
             j--) {
            size_t t = v->procs[j];
            v->procs[j] = v->procs[j - 1];
            v->procs[j - 1] = t;
        }
    if (v->proc_sel >= (long)v->proc_count) v->proc_sel = (long)v->proc_count - 1;
}

/* The process screen's node or GPU, found again in a new fleet (false: it is gone). */
static bool refind_procs_of(fleet_view_t *v)
{
    for (size_t n = 0; n < v->fleet.node_count; n++) {
        const fleet_node_t *node = &v->fleet.nodes[n];
        if (strcmp(node->instance ? node->instance : node->hostname, v->procs_node) != 0) continue;
        v->procs_of = (fleet_row_t){n, -1};
        for (size_t g = node->gpu_first; v->procs_gpu[0] && g < node->gpu_first + node->gpu_count;
             g++)
            if (strcmp(v->fleet.gpus[g].index, v->procs_gpu) == 0) v->procs_of.gpu = (long)g;
        return !v->procs_gpu[0] || v->procs_of.gpu >= 0;
    }
    return false;
}

void fleet_view_update(fleet_view_t *v, fleet_t *fleet, bool new_fleet, const char *error,
                       int64_t good_at_ns)
{
    snprintf(v->error, sizeof(v->error), "%s", error ? error : "");
    if (!new_fleet) return;
    remember_selection(v);
    fleet_fini(&v->fleet);
    v->fleet = *fleet;
    memset(fleet, 0, sizeof(*fleet));
    v->have = true;
    v->good_at_ns = good_at_ns;
    build_rows(v);
    if (v->screen == FSCREEN_PROCS) {
        v->procs_gone = !refind_procs_of(v);
        if (v->procs_gone)
            v->proc_count = 0; /* the screen says so */
        else
            build_procs(v);
    }
}

/* ---- keys ---- */

static int list_height(const fleet_view_t *v)
{
    int h = v->lines - HEAD_ROWS - FOOT_ROWS;
    return h < 1 ? 1 : h;
}

static void keep_visible(long sel, int *top, int height)
{
    if (sel < 0) return;
    if (sel < *top) *top = (int)sel;
    if (sel >= *top + height) *top = (int)sel - height + 1;
    if (*top < 0) *top = 0;
}

static void move_selection(fleet_view_t *v, long *sel, int *top, size_t count, long by)
{
    if (!count) return;
    long next = *sel + by;
    if (next < 0) next = 0;
    if (next >= (long)count) next = (long)count - 1;
    if (next == *sel) v->beep = true;
    *sel = next;
    keep_visible(*sel, top, list_height(v));
    if (sel == &v->sel) remember_selection(v);
}

static void open_procs(fleet_view_t *v)
{
    if (v->sel < 0 || (size_t)v->sel >= v->row_count) {
        v->beep = true;
        return;
    }
    remember_selection(v);
    memcpy(v->procs_node, v->sel_node, sizeof(v->procs_node));
    memcpy(v->procs_gpu, v->sel_gpu, sizeof(v->procs_gpu));
    v->procs_of = v->rows[v->sel];
    v->procs_gone = false;
    v->screen = FSCREEN_PROCS;
    v->proc_sel = 0;
    v->proc_top = 0;
    build_procs(v);
}

static void edit_filter(fleet_view_t *v, int key)
{
    size_t len = strlen(v->filter);
    if (key == TK_ENTER || key == '\r') {
        v->editing = false;
    } else if (key == TK_ESC) {
        v->editing = false;
        v->filter[0] = '\0';
    } else if (key == 127 || key == 8) {
        if (len) v->filter[len - 1] = '\0';
    } else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof(v->filter)) {
        v->filter[len] = (char)key;
        v->filter[len + 1] = '\0';
    } else {
        return;
    }
    v->top = 0;
    build_rows(v);
}

/* Keys both lists share: moving the selection. Returns true when the key was one. */
static bool list_key(fleet_view_t *v, int key, long *sel, int *top, size_t count)
{
    long page = list_height(v);
    switch (key) {
    case TK_UP:
    case 'k':
    case TK_WHEEL_UP:
        move_selection(v, sel, top, count, -1);
        return true;
    case TK_DOWN:
    case 'j':
    case TK_WHEEL_DOWN:
        move_selection(v, sel, top, count, 1);
        return true;
    case TK_PAGE_UP:
        move_selection(v, sel, top, count, -page);
        return true;
    case TK_PAGE_DOWN:
        move_selection(v, sel, top, count, page);
        return true;
    case TK_HOME:
        move_selection(v, sel, top, count, -(long)count);
        return true;
    case TK_END:
        move_selection(v, sel, top, count, (long)count);
        return true;
    default:
        return false;
    }
}

static void fleet_key(fleet_view_t *v, int key)
{
    if (list_key(v, key, &v->sel, &v->top, v->row_count)) return;
    switch (key) {
    case 'q':
    case TK_CTRL_C:
        v->quit = true;
        break;
    case TK_ENTER:
    case '\r':
        open_procs(v);
        break;
    case ',':
    case '<':
    case '.':
    case '>':
        v->order = (fleet_order_t)((v->order + (key == ',' || key == '<' ? FORD__COUNT - 1 : 1)) %
                                   FORD__COUNT);
        build_rows(v);
        keep_visible(v->sel, &v->top, list_height(v));
        break;
    case 'r':
        v->reverse = !v->reverse;
        build_rows(v);
        keep_visible(v->sel, &v->top, list_height(v));
        break;
    case '/':
        v->editing = true;
        break;
    case TK_ESC:
        v->filter[0] = '\0';
        build_rows(v);
        break;
    default:
        v->beep = true;
    }
}

static void procs_key(fleet_view_t *v, int key)
{
    if (list_key(v, key, &v->proc_sel, &v->proc_top, v->proc_count)) return;
    switch (key) {
    case 'q':
    case TK_ESC:
    case 127:
        v->screen = FSCREEN_FLEET;
        build_rows(v);
        keep_visible(v->sel, &v->top, list_height(v));
        break;
    case TK_CTRL_C:
        v->quit = true;
        break;
    case ',':
    case '<':
    case '.':
    case '>':
        v->proc_order = (fleet_proc_order_t)((v->proc_order +
                                              (key == ',' || key == '<' ? PORD__COUNT - 1 : 1)) %
                                             PORD__COUNT);
        build_procs(v);
        break;
    case 'r':
        v->reverse = !v->reverse;
        build_procs(v);
        break;
    default:
        v->beep = true;
    }
}

void fleet_view_key(fleet_view_t *v, int key)
{
    if (key == TK_F5 || key == TK_CTRL_R) {
        v->refresh = true;
        return;
    }
    if (v->screen == FSCREEN_HELP) {
        v->screen = v->help_back;
        return;
    }
    if (v->screen == FSCREEN_FLEET && v->editing) {
        edit_filter(v, key);
        return;
    }
    if (key == 'h' || key == '?') {
        v->help_back = v->screen;
        v->screen = FSCREEN_HELP;
        return;
    }
    if (v->screen == FSCREEN_PROCS)
        procs_key(v, key);
    else
        fleet_key(v, key);
}

void fleet_view_mouse(fleet_view_t *v, int y, int x, int button)
{
    (void)x;
    if (button == 4 || button == 5) {
        fleet_view_key(v, button == 4 ? TK_WHEEL_UP : TK_WHEEL_DOWN);
        return;
    }
    if (button != 1 || v->screen == FSCREEN_HELP) {
        if (v->screen == FSCREEN_HELP) v->screen = v->help_back;
        return;
    }
    bool procs = v->screen == FSCREEN_PROCS;
    long row = (procs ? v->proc_top : v->top) + (y - HEAD_ROWS);
    size_t count = procs ? v->proc_count : v->row_count;
    if (y < HEAD_ROWS || row < 0 || row >= (long)count) return;
    if (procs) {
        v->proc_sel = row;
    } else if (row == v->sel) {
        open_procs(v);
    } else {
        v->sel = row;
        remember_selection(v);
    }
}

/* ---- drawing ---- */

static tstyle_t level_style(double percent, const int th[2])
{
    if (isnan(percent)) return TC_DEFAULT;
    return percent < th[0] ? TC_GREEN : percent < th[1] ? TC_YELLOW : TC_RED;
}

static void put_bar(fleet_view_t *v, int y, int x, int width, double fraction, tstyle_t style)
{
    static const char *const parts[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
    if (isnan(fraction)) {
        frame_put(&v->frame, y, x, "N/A", TC_DEFAULT);
        return;
    }
    fraction = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
    int eighths = (int)lround(fraction * width * 8);
    int c = 0;
    for (; c < eighths / 8; c++)
        frame_put(&v->frame, y, x + c, "█", style);
    if (c < width && eighths % 8) frame_put(&v->frame, y, x + c, parts[eighths % 8], style);
}

static const char *num(char *buf, size_t len, double value, const char *unit)
{
    if (isnan(value))
        snprintf(buf, len, "N/A");
    else
        snprintf(buf, len, "%.0f%s", value, unit);
    return buf;
}

typedef struct columns {
    int name, bar; /* widths that follow the terminal */
} columns_t;

static columns_t columns_of(int cols)
{
    /* "  IDX__ NAME UTIL_ USED/TOTALMiB____ BAR  POWER____ TEMP PROCS" */
    int fixed = 2 + 6 + 1 + 6 + 17 + 1 + 10 + 5 + 6;
    int flex = cols - fixed;
    columns_t c = {NAME_MIN, BAR_MIN};
    if (flex > NAME_MIN + BAR_MIN) {
        c.name = flex - BAR_MIN > NAME_MAX ? NAME_MAX : flex - BAR_MIN;
        c.bar = flex - c.name;
    }
    return c;
}

static void draw_gpu_row(fleet_view_t *v, int y, const fleet_gpu_t *g, const columns_t *c)
{
    char util[16], used[16], total[16], power[16], limit[16], temp[16], text[512];
    num(util, sizeof(util), g->util_percent, "%");
    num(used, sizeof(used), g->memory_used_mib, "");
    num(total, sizeof(total), g->memory_total_mib, "MiB");
    num(power, sizeof(power), g->power_w, "");
    num(limit, sizeof(limit), g->power_limit_w, "W");
    num(temp, sizeof(temp), g->temperature_c, "C");
    char mem[40], pw[40];
    snprintf(mem, sizeof(mem), "%s/%s", used, total);
    snprintf(pw, sizeof(pw), "%s/%s", power, limit);
    snprintf(text, sizeof(text), "  %-5s %-*.*s %5s %16s ", g->index, c->name, c->name,
             g->name ? g->name : "N/A", util, mem);
    int x = frame_put(&v->frame, y, 0, text, TC_DEFAULT);
    double fraction = g->memory_used_mib / g->memory_total_mib;
    frame_chgat(&v->frame, y, 2 + 6 + c->name + 1, 5,
                level_style(g->util_percent, v->gpu_thresholds));
    put_bar(v, y, x, c->bar, fraction, level_style(fraction * 100, v->mem_thresholds));
    snprintf(text, sizeof(text), " %10s %4s %5zu", pw, temp, g->process_count);
    frame_put(&v->frame, y, x + c->bar, text, TC_DEFAULT);
}

static void draw_node_line(fleet_view_t *v, int y, const fleet_node_t *n)
{
    strbuf_t line = {0};
    fleet_format_node(&v->fleet, n, &line);
    frame_put(&v->frame, y, 0, n->stale ? "× " : "▪ ", n->stale ? TC_RED | TS_BOLD : TS_BOLD);
    frame_put(&v->frame, y, 2, strbuf_str(&line), n->stale ? TC_RED | TS_BOLD : TS_BOLD);
    strbuf_fini(&line);
}

static void draw_top(fleet_view_t *v, const char *hints)
{
    char age[32] = "";
    if (v->have)
        fleet_format_age(age, sizeof(age), (double)v->now_ns / 1e9, (double)v->good_at_ns / 1e9);
    strbuf_t top = {0};
    if (v->error[0]) {
        strbuf_printf(&top, "ERROR: %s", v->error);
        frame_put(&v->frame, 0, 0, strbuf_str(&top), TC_RED | TS_BOLD);
        strbuf_reset(&top);
    } else if (v->have) {
        strbuf_printf(&top, "Fleet of %s: ", v->url);
        fleet_format_summary(&v->fleet, &v->rules, &top);
        frame_put(&v->frame, 0, 0, strbuf_str(&top), TS_BOLD);
        strbuf_reset(&top);
    } else {
        strbuf_printf(&top, "Asking %s for the fleet...", v->url);
        frame_put(&v->frame, 0, 0, strbuf_str(&top), TS_BOLD);
        strbuf_reset(&top);
    }
    if (v->have) strbuf_printf(&top, "%sdata %s", v->error[0] ? "last good " : "", age);
    frame_put(&v->frame, 1, 0, hints, TS_DIM);
    frame_put(&v->frame, 1, v->cols - (int)top.len, strbuf_str(&top),
              v->error[0] ? TC_RED : TS_DIM);
    strbuf_fini(&top);
}

static void draw_fleet(fleet_view_t *v)
{
    char hints[256];
    snprintf(hints, sizeof(hints), "sort: %s%s (, .  r)   filter: %s   Enter: processes   h: help",
             order_names[v->order], v->reverse ? " reversed" : "",
             v->filter[0] ? v->filter : "none (/)");
    draw_top(v, hints);
    columns_t c = columns_of(v->cols);
    char head[256];
    snprintf(head, sizeof(head), "  %-5s %-*s %5s %16s %-*s %10s %4s %5s", "GPU", c.name, "NAME",
             "UTIL", "MEMORY", c.bar, "", "POWER", "TEMP", "PROCS");
    frame_put(&v->frame, 2, 0, head, TS_UNDERLINE | TS_BOLD);
    int height = list_height(v);
    keep_visible(v->sel, &v->top, height);
    if (v->top > 0 && v->top + height > (int)v->row_count)
        v->top = (int)v->row_count > height ? (int)v->row_count - height : 0;
    for (int i = 0; i < height && (size_t)(v->top + i) < v->row_count; i++) {
        const fleet_row_t *r = &v->rows[v->top + i];
        int y = HEAD_ROWS + i;
        if (r->gpu < 0)
            draw_node_line(v, y, &v->fleet.nodes[r->node]);
        else
            draw_gpu_row(v, y, &v->fleet.gpus[r->gpu], &c);
        if (v->top + i == v->sel) frame_addattr(&v->frame, y, 0, v->cols, TS_REVERSE);
    }
    if (v->have && v->row_count == 0)
        frame_put(&v->frame, HEAD_ROWS, 2,
                  v->filter[0] ? "No node or GPU matches the filter." : "No node in Prometheus.",
                  TS_DIM);
    if (v->editing) {
        char line[128];
        snprintf(line, sizeof(line), "Filter: %s_", v->filter);
        frame_put(&v->frame, v->lines - 1, 0, line, TS_BOLD);
    }
}

static void draw_procs(fleet_view_t *v)
{
    const fleet_t *f = &v->fleet;
    if (v->procs_gone) {
        draw_top(v, "Esc: back");
        frame_put(&v->frame, HEAD_ROWS, 2, "The node or GPU left the fleet.", TS_DIM);
        return;
    }
    const fleet_node_t *n = &f->nodes[v->procs_of.node];
    char hints[512];
    snprintf(hints, sizeof(hints), "Processes of %s%s%s: %zu   sort: %s%s (, .  r)   Esc: back",
             n->hostname, v->procs_of.gpu >= 0 ? " GPU " : "",
             v->procs_of.gpu >= 0 ? f->gpus[v->procs_of.gpu].index : "", v->proc_count,
             proc_order_names[v->proc_order], v->reverse ? " reversed" : "");
    draw_top(v, hints);
    frame_put(&v->frame, 2, 0,
              "  GPU   PID        USER           GPU-MEM    SM%  WORKLOAD                  COMMAND",
              TS_UNDERLINE | TS_BOLD);
    frame_addattr(&v->frame, 2, 0, v->cols, TS_UNDERLINE);
    int height = list_height(v);
    keep_visible(v->proc_sel, &v->proc_top, height);
    for (int i = 0; i < height && (size_t)(v->proc_top + i) < v->proc_count; i++) {
        const fleet_process_t *p = &f->procs[v->procs[v->proc_top + i]];
        char mem[32], sm[16], line[1024];
        num(mem, sizeof(mem), p->gpu_memory_mib, "MiB");
        num(sm, sizeof(sm), p->sm_percent, "%");
        snprintf(line, sizeof(line), "  %-5s %-10ld %-12.12s %10s %5s  %-24.24s  %s",
                 f->gpus[p->gpu].index, p->pid, p->user ? p->user : "N/A", mem, sm,
                 p->workload ? p->workload : "N/A", p->command ? p->command : "N/A");
        frame_put(&v->frame, HEAD_ROWS + i, 0, line, TC_DEFAULT);
        if (v->proc_top + i == v->proc_sel)
            frame_addattr(&v->frame, HEAD_ROWS + i, 0, v->cols, TS_REVERSE);
    }
    if (v->proc_count == 0)
        frame_put(&v->frame, HEAD_ROWS, 2,
                  n->stale ? "The node is stale: no processes are known." : "No processes.",
                  TS_DIM);
}

static void draw_help(fleet_view_t *v)
{
    frame_put(&v->frame, 0, 0, "nvitop --prometheus: the fleet screen's keys (docs/fleet.md)",
              TS_BOLD);
    for (size_t i = 0; i < sizeof(help) / sizeof(help[0]); i++) {
        frame_put(&v->frame, 2 + (int)i, 2, help[i].keys, TC_CYAN | TS_BOLD);
        frame_put(&v->frame, 2 + (int)i, 24, help[i].does, TC_DEFAULT);
    }
    frame_put(&v->frame, 3 + (int)(sizeof(help) / sizeof(help[0])), 2,
              "A stale node (exporter down, not scraped, last scrape too old) shows no value.",
              TS_DIM);
    frame_put(&v->frame, 5 + (int)(sizeof(help) / sizeof(help[0])), 2, "Press any key to return.",
              TS_BOLD);
}

void fleet_view_draw(fleet_view_t *v)
{
    if ((v->frame.rows != v->lines || v->frame.cols != v->cols) &&
        frame_resize(&v->frame, v->lines, v->cols) < 0)
        return;
    frame_clear(&v->frame);
    /* Ages count on from the data's own time: while Prometheus does not answer, "scraped 1 s
     * ago" becomes "scraped 40 s ago", never a fresh look at old data. */
    double data_time = v->fleet.time_s;
    if (v->have && v->good_at_ns && v->now_ns > v->good_at_ns)
        v->fleet.time_s += (double)(v->now_ns - v->good_at_ns) / 1e9;
    if (v->screen == FSCREEN_HELP)
        draw_help(v);
    else if (v->screen == FSCREEN_PROCS)
        draw_procs(v);
    else
        draw_fleet(v);
    v->fleet.time_s = data_time;
    /* the last good data under an error: dimmed */
    for (int y = HEAD_ROWS; v->error[0] && v->screen != FSCREEN_HELP && y < v->lines; y++)
        frame_addattr(&v->frame, y, 0, v->cols, TS_DIM);
}
