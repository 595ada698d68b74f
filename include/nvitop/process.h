/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * GPU processes: what the driver says of each process on a device, joined with the host's
 * view of the same pid. */
#ifndef NVITOP_PROCESS_H
#define NVITOP_PROCESS_H

#include <nvitop/device.h>
#include <nvitop/host.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Process type bits: C = compute, G = graphics, C+G (shown as X) = both. */
#define NVITOP_PROCESS_COMPUTE (1U << 0)
#define NVITOP_PROCESS_GRAPHICS (1U << 1) /**< graphics bit (see NVITOP_PROCESS_COMPUTE) */

/** What to gather with the process list. */
#define NVITOP_PQ_UTILIZATION (1U << 0) /**< per-process SM / memory / encoder / decoder % */
#define NVITOP_PQ_HOST (1U << 1)        /**< join /proc information */
/** the workload owning each process (container, pod, Slurm job, ...; since 1.8, snapshots
 * only: nvitop_snapshot_t.workloads) */
#define NVITOP_PQ_WORKLOAD (1U << 2)
#define NVITOP_PQ_ALL (NVITOP_PQ_UTILIZATION | NVITOP_PQ_HOST) /**< everything */

/** One process on one GPU: what the driver says, joined with the host's view of the pid.
 * Fields not gathered are N/A with NVITOP_NA_NOT_SAMPLED. */
typedef struct nvitop_gpu_process {
    uint32_t pid;                     /**< process id */
    int32_t device;                   /**< position of its device in the snapshot's device array */
    unsigned type;                    /**< NVITOP_PROCESS_* bits */
    nvitop_int_t gpu_memory_bytes;    /**< N/A on WDDM or when the driver hides it */
    nvitop_real_t gpu_memory_percent; /**< of the device's total memory */
    nvitop_int_t gpu_instance_id;     /**< MIG only */
    nvitop_int_t compute_instance_id; /**< MIG only */
    nvitop_int_t gpu_sm_utilization_percent;      /**< SM %, with NVITOP_PQ_UTILIZATION */
    nvitop_int_t gpu_memory_utilization_percent;  /**< memory bandwidth % (same) */
    nvitop_int_t gpu_encoder_utilization_percent; /**< encoder % (same) */
    nvitop_int_t gpu_decoder_utilization_percent; /**< decoder % (same) */
    nvitop_host_process_t host;                   /**< pid and na only unless NVITOP_PQ_HOST */
} nvitop_gpu_process_t;

/** The processes of one device; owns everything it holds. */
typedef struct nvitop_process_list {
    size_t count;                /**< entries in items */
    nvitop_gpu_process_t *items; /**< sorted by pid; `device` is 0 */
} nvitop_process_list_t;

/** The processes running on one device (compute, graphics and MPS lists merged per pid). On a
 * MIG-enabled GPU that includes the processes of its MIG devices. Utilisation samples are
 * those of the last second; a process without one gets 0 when every process on the device
 * has a known memory size, else N/A (as nvitop does). A list the driver fails to give (other
 * than for a lost GPU) is left out. Returns 0, NVITOP_EGPULOST, NVITOP_ENOTINIT or
 * NVITOP_ENOMEM; on error *out is NULL. Free with nvitop_process_list_free(). */
NVITOP_API int nvitop_device_processes(nvitop_device_t *dev, unsigned what,
                                       nvitop_process_list_t **out);
/** Frees a process list and everything it holds. NULL is a no-op. */
NVITOP_API void nvitop_process_list_free(nvitop_process_list_t *list);

/** "C", "G", "C+G" or NVITOP_NA_TEXT. */
NVITOP_API const char *nvitop_process_type_string(unsigned type);

#ifdef __cplusplus
}
#endif

#endif
