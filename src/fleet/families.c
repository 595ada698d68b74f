/* SPDX-License-Identifier: Apache-2.0 */
/* The PromQL of each family the fleet view asks for: nvitop-exporter's metric names (Python
 * nvitop-exporter's too), each an instant vector over the whole fleet, so a refresh is
 * FF_COUNT queries whatever the number of nodes. */
#include "fleet/fleet.h"

static const char *const queries[FF_COUNT] = {
    /* Every node seen in the last 15 minutes, with its hostname: a node whose exporter went
     * down has no sample now, and this is where its name comes from. */
    [FF_INFO] = "last_over_time(nvitop_info[15m])",
    [FF_UP] = "up",
    [FF_UP_TIME] = "timestamp(up)",
    [FF_HOST_CPU] = "host_cpu_percent_Percentage",
    [FF_HOST_MEM_USED] = "host_virtual_memory_used_MiB",
    [FF_HOST_MEM_TOTAL] = "host_virtual_memory_total_MiB",
    [FF_HOST_LOAD1] = "host_load_average_1m_Percentage",
    [FF_GPU_MEM_TOTAL] = "gpu_memory_total_MiB",
    [FF_GPU_MEM_USED] = "gpu_memory_used_MiB",
    [FF_GPU_UTIL] = "gpu_utilization_Percentage",
    [FF_GPU_POWER] = "gpu_power_usage_W",
    [FF_GPU_POWER_LIMIT] = "gpu_power_limit_W",
    [FF_GPU_TEMP] = "gpu_temperature_C",
    [FF_PROC_INFO] = "process_info_info",
    [FF_PROC_GPU_MEM] = "process_gpu_memory_MiB",
    [FF_PROC_SM] = "process_gpu_sm_utilization_Percentage",
};

const char *fleet_family_query(fleet_family_t f)
{
    return f < FF_COUNT ? queries[f] : NULL;
}
