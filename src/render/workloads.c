/* SPDX-License-Identifier: Apache-2.0 */
/* Workloads for display (see workloads.h). */
#include "render/workloads.h"

#include "render/printable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const nvitop_workload_t *render_workload_of(const nvitop_snapshot_t *s,
                                            const nvitop_gpu_process_t *p)
{
    if (!s || !p || !s->processes || p < s->processes || p >= s->processes + s->process_count)
        return NULL;
    return nvitop_snapshot_workload(s, (size_t)(p - s->processes));
}

const char *render_workload_label(const nvitop_workload_t *w)
{
    return w && NVITOP_HAS(w->label) ? w->label.value : NVITOP_NA_TEXT;
}

static int by_memory_then_label(const void *a, const void *b)
{
    const workload_group_t *x = a, *y = b;
    if (x->memory_bytes != y->memory_bytes) return x->memory_bytes > y->memory_bytes ? -1 : 1;
    return strcmp(x->label, y->label);
}

int render_workload_groups(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *const *procs,
                           size_t n, workload_group_t **groups, size_t *count)
{
    *groups = NULL;
    *count = 0;
    workload_group_t *g = calloc(n + 1, sizeof(*g));
    if (!g) return -1;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        const char *label = render_workload_label(render_workload_of(s, procs[i]));
        size_t k = 0;
        while (k < used && strcmp(g[k].label, label) != 0)
            k++;
        if (k == used) g[used++].label = label;
        g[k].processes++;
        if (NVITOP_HAS(procs[i]->gpu_memory_bytes))
            g[k].memory_bytes += procs[i]->gpu_memory_bytes.value;
        else
            g[k].memory_partial = true;
        if (procs[i]->device >= 0 && procs[i]->device < 64)
            g[k].devices |= 1ULL << procs[i]->device;
    }
    qsort(g, used, sizeof(*g), by_memory_then_label);
    *groups = g;
    *count = used;
    return 0;
}

/* "0,1" from the device bits, by the devices' own index text. */
static void device_list(const nvitop_snapshot_t *s, uint64_t bits, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t d = 0; d < s->device_count && d < 64 && at + 1 < len; d++) {
        if (!(bits & (1ULL << d))) continue;
        const nvitop_device_snapshot_t *dev = &s->devices[d];
        int w = dev->is_mig
                    ? snprintf(buf + at, len - at, "%s%d:%d", at ? "," : "", dev->physical_index,
                               dev->mig_index)
                    : snprintf(buf + at, len - at, "%s%d", at ? "," : "", dev->physical_index);
        if (w < 0 || (size_t)w >= len - at) break;
        at += (size_t)w;
    }
}

int render_workload_group_line(const nvitop_snapshot_t *s, const workload_group_t *g, strbuf_t *out)
{
    char mem[32], gpus[64];
    nvitop_bytes_to_human(g->memory_bytes, 0, mem, sizeof(mem));
    if (g->memory_partial) strncat(mem, "+", sizeof(mem) - strlen(mem) - 1);
    device_list(s, g->devices, gpus, sizeof(gpus));
    char *label = printable_dup(g->label);
    int rc = label ? strbuf_printf(out, "%-10s %-9s %5zu  %s", mem, gpus, g->processes, label) : -1;
    free(label);
    return rc < 0 ? -1 : 0;
}

int render_workload_table(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *const *procs,
                          size_t n, strbuf_t *out)
{
    workload_group_t *g;
    size_t count;
    if (render_workload_groups(s, procs, n, &g, &count) < 0) return -1;
    int rc = strbuf_printf(out, "\n%-10s %-9s %5s  %s\n", "GPU-MEM", "GPUS", "PROCS",
                           WORKLOAD_COLUMN_HEAD);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        rc = render_workload_group_line(s, &g[i], out);
        if (rc == 0) rc = strbuf_puts(out, "\n");
    }
    free(g);
    return rc < 0 ? -1 : 0;
}

int render_workload_column(const nvitop_snapshot_t *s, rpt_proc_t *procs, size_t count,
                           int time_length)
{
    long at = 15 + time_length; /* where COMMAND starts in the host information */
    for (size_t i = 0; i < count; i++) {
        char *label = printable_dup(render_workload_label(render_workload_of(s, procs[i].p)));
        strbuf_t cut = {0}, cell = {0}, line = {0};
        int rc = label ? 0 : -1;
        if (rc == 0) rc = rpt_cut(&cut, label, WORKLOAD_COLUMN_WIDTH, "..", false);
        if (rc == 0) rc = rpt_ljust(&cell, strbuf_str(&cut), WORKLOAD_COLUMN_WIDTH);
        if (rc == 0) rc = rpt_slice(&line, procs[i].host_info, 0, at);
        if (rc == 0) rc = strbuf_puts(&line, strbuf_str(&cell));
        if (rc == 0) rc = strbuf_puts(&line, "  ");
        if (rc == 0) rc = rpt_slice(&line, procs[i].host_info, at, 1L << 20);
        free(label);
        strbuf_fini(&cut);
        strbuf_fini(&cell);
        if (rc < 0) {
            strbuf_fini(&line);
            return -1;
        }
        free(procs[i].host_info);
        procs[i].host_info = strbuf_take(&line);
        if (!procs[i].host_info) return -1;
    }
    return 0;
}
