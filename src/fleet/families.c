/* SPDX-License-Identifier: Apache-2.0 */
/* The PromQL of each family the fleet view asks for: nvitop-exporter's metric names (Python
 * nvitop-exporter's too), each an instant vector over the whole fleet, so a refresh is
 * FF_COUNT queries whatever the number of nodes. */
#include "fleet/fleet.h"

/* Each answer keeps only the labels the model reads (`max by`: one series each, as exported):
 * the answers of a large fleet are then a third of their size, and parsing them is most of a
 * refresh's CPU. */
#define BY(labels, expr) "max by (job, instance" labels ") (" expr ")"
#define GPU_LABELS ", index"
#define PROC_LABELS ", index, pid"

static const char *const queries[FF_COUNT] = {
    /* Every node seen in the last 15 minutes, with its hostname: a node whose exporter went
     * down has no sample now, and this is where its name comes from. */
    [FF_INFO] = BY(", hostname, device_count, driver_version", "last_over_time(nvitop_info[15m])"),
    [FF_UP] = BY("", "up"),
    [FF_UP_TIME] = BY("", "timestamp(up)"),
    [FF_HOST_CPU] = BY("", "host_cpu_percent_Percentage"),
    [FF_HOST_MEM_USED] = BY("", "host_virtual_memory_used_MiB"),
    [FF_HOST_MEM_TOTAL] = BY("", "host_virtual_memory_total_MiB"),
    [FF_HOST_LOAD1] = BY("", "host_load_average_1m_Percentage"),
    [FF_GPU_MEM_TOTAL] = BY(GPU_LABELS ", devicename, uuid", "gpu_memory_total_MiB"),
    [FF_GPU_MEM_USED] = BY(GPU_LABELS, "gpu_memory_used_MiB"),
    [FF_GPU_UTIL] = BY(GPU_LABELS, "gpu_utilization_Percentage"),
    [FF_GPU_POWER] = BY(GPU_LABELS, "gpu_power_usage_W"),
    [FF_GPU_POWER_LIMIT] = BY(GPU_LABELS, "gpu_power_limit_W"),
    [FF_GPU_TEMP] = BY(GPU_LABELS, "gpu_temperature_C"),
    [FF_PROC_INFO] = BY(PROC_LABELS ", username, status, command", "process_info_info"),
    [FF_PROC_GPU_MEM] = BY(PROC_LABELS, "process_gpu_memory_MiB"),
    [FF_PROC_SM] = BY(PROC_LABELS, "process_gpu_sm_utilization_Percentage"),
    [FF_PROC_WORKLOAD] = BY(PROC_LABELS ", workload", "process_workload_info"),
};

const char *fleet_family_query(fleet_family_t f)
{
    return f < FF_COUNT ? queries[f] : NULL;
}
