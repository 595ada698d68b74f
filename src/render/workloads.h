/* SPDX-License-Identifier: Apache-2.0 */
/* Workloads for display: the label of a process's workload, processes grouped by workload
 * with their GPU memory summed (the monitor's group view, `nvitop -1 --workload`). */
#ifndef NVITOP_RENDER_WORKLOADS_H
#define NVITOP_RENDER_WORKLOADS_H

#include <nvitop.h>

#include "render/cells.h"
#include "util/util.h"

/* The workload record of a process of the snapshot (p points into snapshot->processes), or
 * NULL when the snapshot holds none. */
const nvitop_workload_t *render_workload_of(const nvitop_snapshot_t *s,
                                            const nvitop_gpu_process_t *p);
/* Its display label: the record's label, or "N/A" when unknown or not gathered. */
const char *render_workload_label(const nvitop_workload_t *w);

/* One workload: its label, how many processes, their GPU memory (the known part) and the
 * devices (bit = position in the snapshot's device array, the first 64). */
typedef struct workload_group {
    const char *label;
    size_t processes;
    int64_t memory_bytes;
    bool memory_partial; /* some process's memory is N/A */
    uint64_t devices;
} workload_group_t;

/* Groups the processes by label, ordered by summed memory (largest first), then label.
 * *groups malloc'd. Returns 0 or -1 (out of memory). */
int render_workload_groups(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *const *procs,
                           size_t n, workload_group_t **groups, size_t *count);

/* The monitor's WORKLOAD column: its header and width (the label cut with ".." to fit). */
#define WORKLOAD_COLUMN_HEAD "WORKLOAD"
#define WORKLOAD_COLUMN_WIDTH 26

/* Puts the WORKLOAD column into each row's host information, between TIME and COMMAND
 * (which starts at 15 + time_length). Returns 0 or -1 (out of memory). */
int render_workload_column(const nvitop_snapshot_t *s, rpt_proc_t *procs, size_t count,
                           int time_length);

/* One group as a line of the table: "GPU-MEM GPUS PROCS WORKLOAD" (no newline). 0 or -1. */
int render_workload_group_line(const nvitop_snapshot_t *s, const workload_group_t *g,
                               strbuf_t *out);

/* `nvitop -1 --workload`: the groups as a plain table after the report. 0 or -1. */
int render_workload_table(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *const *procs,
                          size_t n, strbuf_t *out);

#endif
