/* SPDX-License-Identifier: Apache-2.0 */
/* The one-shot report of `nvitop -1`: a pure function of a snapshot and display options,
 * laid out character for character like nvitop 1.7 (spec.md section 2). */
#ifndef NVITOP_RENDER_REPORT_H
#define NVITOP_RENDER_REPORT_H

#include <nvitop.h>

#include "util/util.h"

typedef struct report_options {
    int terminal_width;    /* COLUMNS / terminal ioctl / 79; the renderer applies the rules of
                            * spec §2.1 (max(79, T), min(T, 140), per-panel preferred widths) */
    bool ascii;            /* -U: transliterate box, bar and graph glyphs (spec §2.7) */
    bool color;            /* emit ANSI escapes (the caller has applied NO_COLOR etc.) */
    int gpu_thresholds[2]; /* sorted (th1 <= th2), e.g. {10, 75} */
    int mem_thresholds[2]; /* sorted, e.g. {10, 80} */
    bool wsl;              /* "(WSL)" hints (spec §2.4) */
    const char *version;   /* nvitop_version() */
} report_options_t;

/* Renders the report into `out` (appending): the date line (from snapshot->time_unix_ns in
 * local time), the device table (snapshot->devices; MIG devices follow their parent), the two
 * host lines, an empty line and the process table for `processes` (already filtered by the
 * caller; the renderer orders them naturally: device, gone, user name, pid). The snapshot's
 * host part must hold at least NVITOP_HQ_CPU | NVITOP_HQ_MEMORY | NVITOP_HQ_LOAD |
 * NVITOP_HQ_UPTIME | NVITOP_HQ_IDENTITY. Returns 0 or -1 when out of memory. */
int render_report(const nvitop_snapshot_t *snapshot, const nvitop_gpu_process_t *const *processes,
                  size_t process_count, const report_options_t *options, strbuf_t *out);

/* The device query bits the report needs at this width (wide reports add the SM and memory
 * clocks their bars print), so `nvitop -1` asks NVML for nothing it does not print. */
uint64_t render_report_device_query(int terminal_width);

#endif
