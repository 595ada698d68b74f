/* SPDX-License-Identifier: Apache-2.0 */
/* The words every output shows in place of a value it cannot show: the report, the monitor
 * (device panel, process panel, tree view, metrics screen), JSON and the exporter all take
 * them from here, so they say the same thing for the same snapshot. N/A itself is
 * NVITOP_NA_TEXT (<nvitop/format.h>). */
#ifndef NVITOP_RENDER_WORDS_H
#define NVITOP_RENDER_WORDS_H

#include <nvitop.h>

#include "render/styled.h"

/* The name of a lost GPU. */
#define RPT_GPU_LOST_TEXT "ERROR: GPU is Lost"

/* Why the command of a GPU process cannot be shown (nvitop's failsafe values). */
typedef enum rpt_unreadable {
    RPT_READABLE,        /* the command (or N/A when not sampled) */
    RPT_NO_SUCH_PROCESS, /* gone, in another PID namespace, or /proc failed */
    RPT_NO_PERMISSIONS,  /* /proc refused */
    RPT_ZOMBIE           /* readable, but a zombie */
} rpt_unreadable_t;

/* The one rule, from the host record's reason and zombie flag. A record never sampled is not
 * unreadable: like every unsampled value it shows N/A. */
rpt_unreadable_t rpt_unreadable(const nvitop_host_process_t *h);
/* "No Such Process", "No Permissions", "Zombie Process"; NULL for RPT_READABLE. */
const char *rpt_unreadable_text(rpt_unreadable_t u);
/* What the COMMAND column says: the failsafe text, else the command, else N/A. */
const char *rpt_process_command(const nvitop_host_process_t *h);
/* How serious it is, as a colour of styled.h: red for a gone process, yellow for the others,
 * RPT_NOCOLOR (0) for a readable one. */
int rpt_unreadable_color(rpt_unreadable_t u);

/* True when any live answer of the device says the GPU is lost. */
bool rpt_device_lost(const nvitop_device_snapshot_t *d);
/* The name nvitop gives a device: RPT_GPU_LOST_TEXT for a lost GPU, else the name, else N/A.
 * `keep_name`: a long-running program (the exporter) keeps the name it read before the loss,
 * as nvitop's cached Device.name() does; nvitop -1 opens the device afresh and sees the loss
 * even when our snapshot still holds the name. */
const char *rpt_device_label(const nvitop_str_t *name, bool lost, bool keep_name);

#endif
