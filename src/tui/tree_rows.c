/* SPDX-License-Identifier: Apache-2.0 */
/* The tree view's text (tree_rows.h), formatted like nvitop's TreeViewScreen: fields joined by
 * two blanks, %CPU and %MEM right-aligned in five columns with one blank before each. */
#include "tui/tree_rows.h"

#include <nvitop/format.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/proc_tree.h"
#include "render/cells.h"

/* One node's fields as text. */
typedef struct fields {
    char pid[16], user[64], device[96], threads[24], cpu[16], mem[16], time[48];
    const char *command;
} fields_t;

static void real1(char *buf, size_t len, nvitop_real_t v)
{
    if (!NVITOP_HAS(v) || !isfinite(v.value))
        snprintf(buf, len, NVITOP_NA_TEXT);
    else
        snprintf(buf, len, "%.1f", v.value);
}

static void cpu_text(char *buf, size_t len, nvitop_real_t v)
{
    if (NVITOP_HAS(v) && isfinite(v.value) && v.value >= 10000.0)
        snprintf(buf, len, "9999+");
    else if (NVITOP_HAS(v) && isfinite(v.value) && v.value >= 1000.0)
        snprintf(buf, len, "%lld", (long long)v.value);
    else
        real1(buf, len, v);
}

/* "GPU 0", "GPU 0,1", "GPU 2:0", or "Host" for an ancestor or a child. */
static void device_text(char *buf, size_t len, const ptree_node_t *n)
{
    if (n->device_count == 0) {
        snprintf(buf, len, "Host");
        return;
    }
    size_t at = (size_t)snprintf(buf, len, "GPU ");
    for (size_t i = 0; i < n->device_count && at < len; i++) {
        const ptree_device_t *d = &n->devices[i];
        const char *sep = i ? "," : "";
        at +=
            (size_t)(d->mig >= 0 ? snprintf(buf + at, len - at, "%s%d:%d", sep, d->physical, d->mig)
                                 : snprintf(buf + at, len - at, "%s%d", sep, d->physical));
    }
}

static void fields_of(const ptree_node_t *n, fields_t *f)
{
    const nvitop_host_process_t *h = &n->host;
    bool known = !n->gone && h->na == NVITOP_NA_NONE;
    snprintf(f->pid, sizeof(f->pid), "%u", (unsigned)h->pid);
    snprintf(f->user, sizeof(f->user), "%s",
             !n->gone && NVITOP_HAS(h->username) && h->username.value ? h->username.value
                                                                      : NVITOP_NA_TEXT);
    device_text(f->device, sizeof(f->device), n);
    if (known && NVITOP_HAS(h->num_threads))
        snprintf(f->threads, sizeof(f->threads), "%lld", (long long)h->num_threads.value);
    else
        snprintf(f->threads, sizeof(f->threads), NVITOP_NA_TEXT);
    nvitop_real_t na = {.na = NVITOP_NA_NOT_SAMPLED};
    cpu_text(f->cpu, sizeof(f->cpu), known ? h->cpu_percent : na);
    real1(f->mem, sizeof(f->mem), known ? h->memory_percent : na);
    if (known && NVITOP_HAS(h->running_time_s))
        nvitop_duration_to_human(h->running_time_s.value, false, f->time, sizeof(f->time));
    else
        snprintf(f->time, sizeof(f->time), NVITOP_NA_TEXT);
    /* a gone node's record says why (proc_tree.c): the command follows from it */
    f->command = rpt_process_command(h);
}

/* The prefix of node i: its ancestors' continuations, then its own branch (roots: none). */
static void prefix_of(const ptree_t *tree, size_t i, strbuf_t *out)
{
    const ptree_node_t *n = &tree->nodes[i];
    if (n->depth == 0) return;
    const char *parts[256];
    int count = 0;
    for (int p = n->parent; p >= 0 && tree->nodes[p].depth > 0 && count < 256;
         p = tree->nodes[p].parent)
        parts[count++] = tree->nodes[p].is_last ? "   " : "│  ";
    while (count > 0)
        strbuf_puts(out, parts[--count]);
    strbuf_puts(out, n->is_last ? "└─ " : "├─ ");
}

enum { W_PID, W_USER, W_DEVICE, W_THREADS, W_TIME, W__COUNT };

static void widen(int w[W__COUNT], const fields_t *f)
{
    const char *v[W__COUNT] = {f->pid, f->user, f->device, f->threads, f->time};
    for (int i = 0; i < W__COUNT; i++) {
        int len = (int)rpt_width(v[i]);
        if (len > w[i]) w[i] = len;
    }
}

/* The columns before the command: "PID  USER  DEVICE  NLWP  %CPU  %MEM  TIME  ". */
static void columns(strbuf_t *out, const int w[W__COUNT], const char *pid, const char *user,
                    const char *device, const char *threads, const char *cpu, const char *mem,
                    const char *time)
{
    rpt_rjust(out, pid, (size_t)w[W_PID]);
    strbuf_puts(out, "  ");
    rpt_ljust(out, user, (size_t)w[W_USER]);
    strbuf_puts(out, "  ");
    rpt_rjust(out, device, (size_t)w[W_DEVICE]);
    strbuf_puts(out, "  ");
    rpt_rjust(out, threads, (size_t)w[W_THREADS]);
    strbuf_puts(out, " ");
    rpt_rjust(out, cpu, 5);
    strbuf_puts(out, " ");
    rpt_rjust(out, mem, 5);
    strbuf_puts(out, "  ");
    rpt_rjust(out, time, (size_t)w[W_TIME]);
    strbuf_puts(out, "  ");
}

static int build_row(const ptree_t *tree, size_t i, const fields_t *f, const int w[W__COUNT],
                     tree_row_t *row)
{
    strbuf_t sb = {0};
    columns(&sb, w, f->pid, f->user, f->device, f->threads, f->cpu, f->mem, f->time);
    row->prefix_at = (int)rpt_width(strbuf_str(&sb));
    prefix_of(tree, i, &sb);
    row->prefix_width = (int)rpt_width(strbuf_str(&sb)) - row->prefix_at;
    strbuf_puts(&sb, f->command);
    row->pid = tree->nodes[i].host.pid;
    row->gone = tree->nodes[i].gone;
    snprintf(row->username, sizeof(row->username), "%s", f->user);
    row->text = strbuf_take(&sb);
    return row->text ? 0 : -1;
}

int tree_rows_build(const ptree_t *tree, tree_rows_t *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = tree ? tree->count : 0;
    fields_t *f = calloc(n + 1, sizeof(*f));
    out->rows = calloc(n + 1, sizeof(*out->rows));
    int w[W__COUNT] = {3, 4, 6, 4, 4};
    int rc = f && out->rows ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        fields_of(&tree->nodes[i], &f[i]);
        widen(w, &f[i]);
    }
    strbuf_t head = {0};
    columns(&head, w, "PID", "USER", "DEVICE", "NLWP", "%CPU", "%MEM", "TIME");
    out->command_at = (int)rpt_width(strbuf_str(&head));
    strbuf_puts(&head, "COMMAND");
    out->header = strbuf_take(&head);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc = build_row(tree, i, &f[i], w, &out->rows[i]);
        out->count = i + 1;
    }
    free(f);
    if (rc || !out->header) {
        tree_rows_free(out);
        return -1;
    }
    return 0;
}

void tree_rows_free(tree_rows_t *r)
{
    for (size_t i = 0; r->rows && i < r->count; i++)
        free(r->rows[i].text);
    free(r->rows);
    free(r->header);
    memset(r, 0, sizeof(*r));
}

int tree_rows_find(const tree_rows_t *r, uint32_t pid)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->rows[i].pid == pid) return (int)i;
    return -1;
}
