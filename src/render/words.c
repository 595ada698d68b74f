/* SPDX-License-Identifier: Apache-2.0 */
/* The shared words of every output (words.h). */
#include "render/words.h"

rpt_unreadable_t rpt_unreadable(const nvitop_host_process_t *h)
{
    switch (h->na) {
    case NVITOP_NA_NONE:
        return h->is_zombie ? RPT_ZOMBIE : RPT_READABLE;
    case NVITOP_NA_NO_PERMISSION:
        return RPT_NO_PERMISSIONS;
    case NVITOP_NA_NOT_SAMPLED:
        return RPT_READABLE;
    default:
        return RPT_NO_SUCH_PROCESS;
    }
}

const char *rpt_unreadable_text(rpt_unreadable_t u)
{
    switch (u) {
    case RPT_NO_SUCH_PROCESS:
        return "No Such Process";
    case RPT_NO_PERMISSIONS:
        return "No Permissions";
    case RPT_ZOMBIE:
        return "Zombie Process";
    default:
        return NULL;
    }
}

const char *rpt_process_command(const nvitop_host_process_t *h)
{
    const char *failsafe = rpt_unreadable_text(rpt_unreadable(h));
    if (failsafe) return failsafe;
    return NVITOP_HAS(h->command) && h->command.value ? h->command.value : NVITOP_NA_TEXT;
}

int rpt_unreadable_color(rpt_unreadable_t u)
{
    switch (u) {
    case RPT_READABLE:
        return RPT_NOCOLOR;
    case RPT_NO_SUCH_PROCESS:
        return RPT_RED;
    default:
        return RPT_YELLOW;
    }
}

bool rpt_device_lost(const nvitop_device_snapshot_t *d)
{
    const nvitop_na_t reasons[] = {d->name.na,
                                   d->bus_id.na,
                                   d->memory_used_bytes.na,
                                   d->gpu_utilization_percent.na,
                                   d->temperature_c.na,
                                   d->power_usage_mw.na,
                                   d->performance_state.na};
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i] == NVITOP_NA_GPU_LOST) return true;
    return false;
}

const char *rpt_device_label(const nvitop_str_t *name, bool lost, bool keep_name)
{
    bool named = NVITOP_HAS(*name) && name->value;
    if (named && (keep_name || !lost)) return name->value;
    return lost ? RPT_GPU_LOST_TEXT : NVITOP_NA_TEXT;
}
