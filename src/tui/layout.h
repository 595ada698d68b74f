/* SPDX-License-Identifier: Apache-2.0 */
/* The main screen's vertical layout (spec §3.2): panel heights in their full and compact
 * forms, nvitop's `auto` rules that compact the device, then the host, then the process panel
 * as the terminal gets shorter, and the clamps of the screen's vertical scroll. Pure. */
#ifndef NVITOP_TUI_LAYOUT_H
#define NVITOP_TUI_LAYOUT_H

#include <stdbool.h>

typedef enum tui_mode { TUI_MODE_AUTO, TUI_MODE_FULL, TUI_MODE_COMPACT } tui_mode_t;

typedef struct layout_input {
    int lines;              /* terminal lines */
    int scroll;             /* content top relative to the screen top, <= 0 (nvitop's self.y) */
    tui_mode_t mode;        /* a / f / c */
    int devices;            /* D: physical GPUs */
    int migs;               /* M: MIG devices */
    int mig_enabled;        /* E: physical GPUs with MIG devices */
    int processes;          /* P: shown processes (0 before the first snapshot too) */
    int process_rules;      /* rules the full form draws between GPUs (process_rows.h): G - 1
                               in the natural order, 0 in any other (always compact there) */
    bool host_compact_only; /* ASCII mode: no graphs */
    bool host_hidden;       /* our H key / --no-host */
} layout_input_t;

typedef struct layout {
    bool device_compact, host_compact, process_compact;
    int device_height, host_height, process_height, total;
    int scroll; /* clamped */
} layout_t;

/* Panel heights of one form. */
int layout_device_height(const layout_input_t *in, bool compact);
int layout_host_height(const layout_input_t *in, bool compact);
int layout_process_height(const layout_input_t *in, bool compact);

/* Chooses the forms and clamps the scroll: never below the top, and never so far down that
 * the content ends above the last line (nvitop's update_size). */
void layout_compute(const layout_input_t *in, layout_t *out);

#endif
