/* SPDX-License-Identifier: Apache-2.0 */
/* The process panel (spec §3.5): the superuser caution and the signal hint, the table with
 * user@host, the sort indicator in the header, one row per process as the report writes it
 * (render/cells.h) with the selection, tags, other users' rows dim, the special command words
 * coloured, and the host information scrolled horizontally. */
#include "tui/tui_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The header's host columns start one right of the rows' ("%CPU" sits over the last four
 * columns of the CPU value), and so does a scrolled row's text, after its blank. */
#define HEAD_X (RPT_PROC_HOST_X + 1)

#define SIGNAL_HINT "(Press ^C(INT)/T(TERM)/K(KILL) to send signals)"

static int width_of(const tui_t *t)
{
    return t->cols < RPT_FIXED_WIDTH ? RPT_FIXED_WIDTH : t->cols;
}

/* `fill` is one character; it goes in runs of up to 64 (a frame_putn each, not one a column). */
static void rule(frame_t *f, int y, const char *l, const char *fill, const char *r, int width)
{
    enum { RUN = 64, CHAR_MAX_BYTES = 4 };
    char run[RUN * CHAR_MAX_BYTES];
    size_t n = strlen(fill);
    int per = n <= CHAR_MAX_BYTES ? RUN : 1;
    for (int i = 0; per > 1 && i < per; i++)
        memcpy(run + (size_t)i * n, fill, n);
    int x = frame_put(f, y, 0, l, 0);
    for (int left = width - 2; left > 0; left -= per) {
        int k = left < per ? left : per;
        x = frame_putn(f, y, x, per > 1 ? run : fill, (size_t)k * n, 0);
    }
    frame_put(f, y, x, r, 0);
}

#define LIST_TOP 5 /* the panel's first process row, below the status line and the header */

/* Rules between GPUs now: the order and the form the layout picked. */
static bool panel_process_ruled(const tui_t *t)
{
    return process_rows_ruled(t->order, t->layout.process_compact);
}

int panel_process_row(const tui_t *t, size_t i)
{
    return LIST_TOP +
           process_rows_offset(t->procs.items, t->procs.count, i, panel_process_ruled(t));
}

long panel_process_entry(const tui_t *t, int row)
{
    if (t->group_workload) return -1; /* the rows are workloads: no process to click */
    return process_rows_entry(t->procs.items, t->procs.count, row - LIST_TOP,
                              panel_process_ruled(t));
}

static void status_line(tui_t *t, int y, int width)
{
    frame_t *f = &t->frame;
    if (t->superuser) {
        frame_put(f, y, 1, "!CAUTION: SUPERUSER LOGGED-IN.", 0);
        frame_chgat(f, y, 1, 1, TC_RED | TS_BLINK);
        frame_chgat(f, y, 2, 29, TC_YELLOW | TS_ITALIC);
    }
    int x = width - 47;
    if (t->message[0] || t->error[0]) { /* ours: a note on what just happened, or a failure */
        const char *text = t->message[0] ? t->message : t->error;
        int len = (int)rpt_width(text);
        x = width - 1 - len < 32 ? 32 : width - 1 - len;
        frame_put(f, y, x, text, t->message[0] ? TC_YELLOW | TS_BOLD : TC_RED | TS_BOLD);
        return;
    }
    signal_target_t one;
    bool actionable =
        !t->opt.readonly &&
        (t->sel.tag_count ||
         (t->sel.set && t->sel_visible &&
          selection_targets(&t->sel, t->procs.items, t->procs.count, t->me, true, &one, 1) > 0));
    if (!actionable) return;
    frame_put(f, y, x, SIGNAL_HINT, 0);
    static const struct {
        int dx, w;
        tstyle_t style;
    } marks[] = {{7, 2, TC_MAGENTA | TS_BOLD | TS_ITALIC},  {10, 3, TC_RED | TS_BOLD},
                 {15, 1, TC_MAGENTA | TS_BOLD | TS_ITALIC}, {17, 4, TC_RED | TS_BOLD},
                 {23, 1, TC_MAGENTA | TS_BOLD | TS_ITALIC}, {25, 4, TC_RED | TS_BOLD}};
    for (size_t i = 0; i < ARRAY_LEN(marks); i++)
        frame_chgat(f, y, x + marks[i].dx, marks[i].w, marks[i].style);
    tui_hot(t, y, x + 7, 2, TK_CTRL_C); /* a click on a key of the hint sends it */
    tui_hot(t, y, x + 15, 1, 'T');
    tui_hot(t, y, x + 23, 1, 'K');
}

static void context_line(tui_t *t, int y, int width)
{
    frame_t *f = &t->frame;
    frame_put(f, y, 0, "│ Processes:", 0);
    frame_put(f, y, width - 1, "│", 0);
    char host[300];
    snprintf(host, sizeof(host), "%s%s", t->hostname, t->opt.wsl ? " (WSL)" : "");
    int uw = (int)rpt_width(t->me), hw = (int)rpt_width(host);
    int x = width - 2 - (uw + 1 + hw);
    frame_put(f, y, x, t->me, (t->superuser ? TC_YELLOW : TC_MAGENTA) | TS_BOLD);
    frame_put(f, y, x + uw, "@", TS_BOLD);
    frame_put(f, y, x + uw + 1, host, TC_GREEN | TS_BOLD);
}

static void sort_indicator(tui_t *t, int y, int host_offset, int time_length)
{
    frame_t *f = &t->frame;
    const sort_info_t *o = sort_info(t->order);
    bool desc = sort_descending(t->order, t->reverse);
    char label[32];
    snprintf(label, sizeof(label), "%s%s", o->column, desc ? "▼" : "▲");
    int cw = (int)strlen(o->column), offset = o->offset;
    if (t->order == SORT_CPU || t->order == SORT_MEMORY || t->order == SORT_TIME) {
        offset -= host_offset;
        if (t->order == SORT_TIME) offset += time_length - 4;
        if (offset > HEAD_X || host_offset == 0) {
            frame_put(f, y, offset - 1, label, 0);
            frame_chgat(f, y, offset - 1, cw, TS_BOLD | TS_UNDERLINE);
        } else if (offset <= HEAD_X && HEAD_X < offset + cw) {
            strbuf_t tail = {0};
            rpt_slice(&tail, label, HEAD_X + 1 - offset, 1 << 20);
            frame_put(f, y, HEAD_X, strbuf_str(&tail), 0);
            strbuf_fini(&tail);
            if (offset + cw >= HEAD_X + 2)
                frame_chgat(f, y, HEAD_X, offset + cw - HEAD_X - 1, TS_BOLD | TS_UNDERLINE);
        }
        if (offset + cw >= HEAD_X + 1) frame_chgat(f, y, offset + cw - 1, 1, TS_BOLD);
    } else if (t->order == SORT_NATURAL && !desc) {
        frame_chgat(f, y, 2, 3, TS_BOLD);
    } else {
        frame_put(f, y, offset - 1, label, 0);
        frame_chgat(f, y, offset - 1, cw, TS_BOLD | TS_UNDERLINE);
        frame_chgat(f, y, offset + cw - 1, 1, TS_BOLD);
    }
}

static void header(tui_t *t, int y, int width, int command_offset, int host_offset)
{
    frame_t *f = &t->frame;
    int tl = t->procs.time_length;
    rule(f, y, "╒", "═", "╕", width);
    context_line(t, y + 1, width);
    frame_put(f, y + 2, 0, "│ GPU     PID      USER  GPU-MEM %SM %GMBW  ", 0);
    char heads[160], workload[64] = "";
    if (t->show_workload)
        snprintf(workload, sizeof(workload), "%-*s  ", WORKLOAD_COLUMN_WIDTH, WORKLOAD_COLUMN_HEAD);
    snprintf(heads, sizeof(heads), "%%CPU  %%MEM  %*sTIME  %sCOMMAND", tl - 4, "", workload);
    strbuf_t text = {0};
    if (command_offset > 0)
        rpt_slice(&text, heads, host_offset, 1 << 20);
    else
        strbuf_puts(&text, "COMMAND");
    frame_put(f, y + 2, HEAD_X, strbuf_str(&text), 0);
    frame_put(f, y + 2, width - 1, "│", 0);
    strbuf_fini(&text);
    sort_indicator(t, y + 2, host_offset, tl);
    rule(f, y + 3, "╞", "═", "╡", width);
}

/* The device colour of a process, from the latest device snapshot. */
static tstyle_t device_color(const tui_t *t, const rpt_proc_t *v)
{
    const nvitop_snapshot_t *s = t->devices;
    for (size_t i = 0; v->dev && s && i < s->device_count; i++) {
        const nvitop_device_snapshot_t *d = &s->devices[i];
        if (d->physical_index == v->dev->physical_index && d->is_mig == v->dev->is_mig &&
            (!d->is_mig || d->mig_index == v->dev->mig_index))
            return ts_from_rpt(rpt_device_color(d, &t->ropt), 0);
    }
    return TC_YELLOW;
}

/* "│%4s " of the display index ("0", "2:0", N/A: ASCII, at most 23 bytes) in buf (32 bytes),
 * without printf. Returns buf. */
static const char *index_cell(char buf[32], const char *display_index)
{
    static const char bar[] = "│";
    size_t n = strlen(display_index), at = sizeof(bar) - 1;
    memcpy(buf, bar, at);
    for (size_t i = n; i < 4; i++)
        buf[at++] = ' ';
    memcpy(buf + at, display_index, n);
    at += n;
    buf[at++] = ' ';
    buf[at] = '\0';
    return buf;
}

/* The host information of a row in its W - 45 columns: cut with "..", or scrolled by the
 * horizontal offset, and padded. Returns the text, in `host` or `just`. */
static const char *host_cell(const tui_t *t, const rpt_proc_t *v, int width, strbuf_t *host,
                             strbuf_t *just)
{
    size_t host_width = (size_t)(width - RPT_PROC_NON_HOST);
    if (t->host_offset < 0) { /* the cut is at most host_width wide: padded, it is the cell */
        rpt_cut(host, v->host_info, host_width, "..", false);
        rpt_ljust(just, strbuf_str(host), host_width);
        return strbuf_str(just);
    }
    rpt_slice(host, v->host_info, t->host_offset, 1 << 20);
    rpt_ljust(just, strbuf_str(host), host_width);
    strbuf_reset(host);
    rpt_slice(host, strbuf_str(just), 0, (long)host_width);
    return strbuf_str(host);
}

static void process_row(tui_t *t, int y, const rpt_proc_t *v, int width, int command_offset)
{
    frame_t *f = &t->frame;
    strbuf_t row = {0}, host = {0}, just = {0};
    rpt_proc_prefix(&row, v, t->opt.wsl);
    char index[32];
    int x = frame_put(f, y, 0, index_cell(index, v->display_index), 0);
    x = frame_put(f, y, x, strbuf_str(&row), 0);
    x = frame_put(f, y, x, " ", 0);
    x = frame_put(f, y, x, host_cell(t, v, width, &host, &just), 0);
    frame_put(f, y, width - 2, " │", 0);
    if (t->host_offset > 0) frame_put(f, y, RPT_PROC_HOST_X, " ", 0);
    bool special = v->unreadable != RPT_READABLE;
    if (special && command_offset == 0) frame_put(f, y, HEAD_X, v->command, 0);
    strbuf_fini(&row);
    strbuf_fini(&host);
    strbuf_fini(&just);
    bool tagged = selection_tagged(&t->sel, v->p->pid);
    if (selection_is(&t->sel, v)) {
        frame_chgat(f, y, 1, width - 2, (tagged ? TC_YELLOW : TC_CYAN) | TS_BOLD | TS_REVERSE);
        return;
    }
    bool owned = selection_owned(t->me, v->username);
    if (selection_same_host(&t->sel, v)) frame_put(f, y, 1, "=", TS_BOLD | TS_BLINK);
    frame_chgat(f, y, 2, 3, device_color(t, v));
    if (tagged)
        frame_chgat(f, y, 5, width - 6, TC_YELLOW | TS_BOLD | (owned ? 0 : TS_DIM));
    else if (!owned)
        frame_chgat(f, y, 5, width - 6, TS_DIM);
    if (special)
        frame_chgat(f, y, HEAD_X + command_offset, (int)strlen(v->command),
                    ts_from_rpt(rpt_unreadable_color(v->unreadable), 0));
}

/* W (ours): one row per workload of the listed processes, their GPU memory summed, largest
 * first, in the rows the process list would take. */
static void workload_groups(tui_t *t, int y, int width)
{
    frame_t *f = &t->frame;
    rule(f, y + 1, "╒", "═", "╕", width);
    context_line(t, y + 2, width);
    char line[160];
    snprintf(line, sizeof(line), "│ %-10s %-9s %5s  %s", "GPU-MEM", "GPUS", "PROCS",
             WORKLOAD_COLUMN_HEAD " (W: back to the processes)");
    frame_put(f, y + 3, 0, line, 0);
    frame_put(f, y + 3, width - 1, "│", 0);
    rule(f, y + 4, "╞", "═", "╡", width);
    const nvitop_gpu_process_t **procs = calloc(t->procs.count + 1, sizeof(*procs));
    workload_group_t *g = NULL;
    size_t count = 0;
    for (size_t i = 0; procs && i < t->procs.count; i++)
        procs[i] = t->procs.items[i].p;
    if (procs) render_workload_groups(t->processes, procs, t->procs.count, &g, &count);
    strbuf_t out = {0};
    int row = y + LIST_TOP;
    for (size_t i = 0; i < count; i++, row++) {
        strbuf_reset(&out);
        render_workload_group_line(t->processes, &g[i], &out);
        strbuf_t cut = {0};
        rpt_cut(&cut, strbuf_str(&out), (size_t)(width - 4), "..", false);
        frame_put(f, row, 0, "│ ", 0);
        frame_put(f, row, 2, strbuf_str(&cut), 0);
        frame_put(f, row, width - 2, " │", 0);
        strbuf_fini(&cut);
    }
    for (size_t i = count; i < t->procs.count; i++, row++) { /* the panel keeps its height */
        frame_put(f, row, 0, "│", 0);
        frame_put(f, row, width - 1, "│", 0);
    }
    strbuf_fini(&out);
    free(g);
    free(procs);
    rule(f, row, "╘", "═", "╛", width);
    t->sel_visible = false;
    status_line(t, y, width);
}

void panel_processes(tui_t *t, int y)
{
    frame_t *f = &t->frame;
    int width = width_of(t);
    if (t->group_workload && t->procs.count) {
        workload_groups(t, y, width);
        return;
    }
    int host_offset = t->host_offset > 0 ? t->host_offset : 0;
    int command_offset = 14 + t->procs.time_length - host_offset +
                         (t->show_workload ? WORKLOAD_COLUMN_WIDTH + 2 : 0);
    if (command_offset < 0) command_offset = 0;
    header(t, y + 1, width, command_offset, host_offset);
    t->sel_visible = false;
    if (t->procs.count == 0) {
        const char *msg = !t->procs.have ? " Gathering process status..."
                          : t->opt.wsl   ? " No running processes found (in WSL) "
                                         : " No running processes found ";
        frame_put(f, y + LIST_TOP, 0, "│ ", 0);
        frame_put(f, y + LIST_TOP, 2, msg, 0);
        frame_put(f, y + LIST_TOP, width - 2, " │", 0);
        rule(f, y + LIST_TOP + 1, "╘", "═", "╛", width);
        status_line(t, y, width);
        return;
    }
    bool ruled = panel_process_ruled(t);
    int row = y + LIST_TOP;
    for (size_t i = 0; i < t->procs.count; i++) {
        const rpt_proc_t *v = &t->procs.items[i];
        if (ruled && process_rows_rule_above(t->procs.items, t->procs.count, i))
            rule(f, row++, "├", "─", "┤", width);
        if (row >= 0 && row < f->rows) process_row(t, row, v, width, command_offset);
        if (selection_is(&t->sel, v)) t->sel_visible = row >= 0 && row < t->lines;
        row++;
    }
    rule(f, row, "╘", "═", "╛", width);
    status_line(t, y, width);
}
