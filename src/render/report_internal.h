/* SPDX-License-Identifier: Apache-2.0 */
/* The one-shot report's own pieces: the panels as the report lays them out (the cells they
 * are made of, shared with the monitor, are in cells.h). */
#ifndef NVITOP_RENDER_REPORT_INTERNAL_H
#define NVITOP_RENDER_REPORT_INTERNAL_H

#include "render/cells.h"

/* Everything a panel needs while rendering. */
typedef struct rpt_ctx {
    const nvitop_snapshot_t *snap;
    const report_options_t *opt;
    int width; /* W of spec §2.1 */
    bool color;
    rpt_proc_t *procs; /* sorted naturally */
    size_t proc_count;
    int time_length; /* width of the TIME column, at least 4 */
} rpt_ctx_t;

/* The panels, each appending its lines (every line ends with '\n'). */
int rpt_devices(const rpt_ctx_t *ctx, styled_t *out);
int rpt_host(const rpt_ctx_t *ctx, styled_t *out);
int rpt_processes(const rpt_ctx_t *ctx, styled_t *out);

/* W of spec §2.1 from the terminal width T and what each panel would like. */
int rpt_print_width(int terminal_width, size_t device_count, const rpt_proc_t *procs,
                    size_t proc_count);

#endif
