/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * One consistent picture of devices, their processes and the host, as plain data that owns
 * every string it holds. Renderers, the monitor, the exporter and library users read these. */
#ifndef NVITOP_SNAPSHOT_H
#define NVITOP_SNAPSHOT_H

#include <nvitop/process.h>
#include <nvitop/workload.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What nvitop_snapshot_take() gathers. Zero-initialise it (`= {0}`) and set what you need:
 * fields added in later versions then keep their "off" meaning. */
typedef struct nvitop_snapshot_request {
    uint64_t device_query;   /**< NVITOP_DQ_* asked of every device (0: none) */
    unsigned host_query;     /**< NVITOP_HQ_* asked of the host (0: none) */
    unsigned process_query;  /**< 0: no processes; else NVITOP_PQ_* */
    const unsigned *indices; /**< physical GPUs to include, each followed by its MIG devices;
                              * NULL (and no `devices`): every physical GPU */
    size_t index_count;      /**< entries in `indices` */
    /** Exactly these devices (physical or MIG, objects of the same context), in this order:
     * no MIG device is added and processes are read from each of them (those of a
     * MIG-enabled GPU include its MIG devices'), as Python's take_snapshots(devices). Takes
     * precedence over `indices`. NULL: `indices` decides. Borrowed during the call only. */
    nvitop_device_t *const *devices;
    size_t device_count; /**< entries in `devices` */
    /** devices[k] is CUDA device k (e.g. from nvitop_cuda_devices()): device snapshot k gets
     * cuda_index k. */
    bool cuda_order;
} nvitop_snapshot_request_t;

/** One consistent picture of devices, their GPU processes and the host. Plain data that owns
 * every string and array it holds (it outlives its context); fields not asked for are N/A
 * with NVITOP_NA_NOT_SAMPLED.
 *
 * ABI (docs/library.md, "Adding a field"): only the library allocates this struct, so later
 * 1.x versions append new fields after `host` and never move one; the structs it holds arrays
 * of, and `host`, keep their size (new per-device data comes in a new array appended here). */
typedef struct nvitop_snapshot {
    uint64_t timestamp_ns;            /**< the context's monotonic clock */
    int64_t time_unix_ns;             /**< wall clock, for display */
    nvitop_str_t driver_version;      /**< "550.54.15" */
    nvitop_str_t nvml_version;        /**< "12.550.54.15" */
    nvitop_int_t cuda_driver_version; /**< 12040 for CUDA 12.4 */
    size_t device_count;              /**< entries in `devices` */
    /** Physical GPUs in index order, each followed by its MIG devices; or the devices the
     * request named, in its order. */
    nvitop_device_snapshot_t *devices;
    size_t process_count; /**< entries in `processes` */
    /** Processes of the leaf devices (MIG devices instead of a MIG-enabled parent; every named
     * device when the request named them), ordered by device position then pid; NULL when
     * there are none. */
    nvitop_gpu_process_t *processes;
    nvitop_host_snapshot_t host; /**< the host fields the request asked for */
    /** Since 1.8. With NVITOP_PQ_WORKLOAD: the workload of each process, in the order of
     * `processes` (process_count records; step by workloads->size, or use
     * nvitop_snapshot_workload()). Without it, but with NVITOP_PQ_HOST, when nvitop runs in a
     * nested PID namespace and the driver reports a process the proc root does not show: the
     * records of such processes (NVITOP_WORKLOAD_OTHER_NAMESPACE), the others' NOT_SAMPLED.
     * NULL otherwise. */
    nvitop_workload_t *workloads;
    /** Added after 1.7.0: every NVLink of each device, one record per entry of `devices`, in the
     * same order, `nvlinks[0].size` bytes apart (NVITOP_NA_NOT_SAMPLED unless the request asked
     * NVITOP_DQ_NVLINK). */
    nvitop_nvlinks_t *nvlinks;
} nvitop_snapshot_t;

/** Takes a snapshot of the devices the request names, their GPU processes and the host, all at
 * once. Devices that fail answer N/A with reasons; a failure of the whole driver returns an
 * error. Returns 0, NVITOP_EINVAL (a NULL argument or a NULL entry in `devices`),
 * NVITOP_ENOTINIT (device or process data asked before nvitop_init()), NVITOP_ENOTFOUND (an
 * index out of range, or a device of another context), NVITOP_ENVML or NVITOP_ENOMEM; on
 * error *out is NULL and nvitop_ctx_message() may say more. The snapshot owns every string
 * and array it holds, independent of the context: free it with nvitop_snapshot_free(),
 * which releases everything at once. */
NVITOP_API int nvitop_snapshot_take(nvitop_ctx_t *ctx, const nvitop_snapshot_request_t *req,
                                    nvitop_snapshot_t **out);

/** The workload of process i of the snapshot (stepping by the records' own size); NULL when
 * the snapshot has none (nvitop_snapshot_t.workloads) or i is out of range. */
NVITOP_API const nvitop_workload_t *nvitop_snapshot_workload(const nvitop_snapshot_t *snapshot,
                                                             size_t i);

/** Releases a snapshot and everything it holds. NULL is a no-op. */
NVITOP_API void nvitop_snapshot_free(nvitop_snapshot_t *snapshot);

/** Flags of nvitop_take_snapshots(). */
#define NVITOP_SNAPSHOT_NO_PROCESSES (1U << 0) /**< devices only (Python's gpu_processes=False) */
#define NVITOP_SNAPSHOT_CUDA_ORDER (1U << 1)   /**< devices[k] is CUDA device k */

/** Python's take_snapshots(devices): every fast device field (NVITOP_DQ_ALL_FAST) of the given
 * devices and, unless NVITOP_SNAPSHOT_NO_PROCESSES, their GPU processes with utilisation and
 * host data (NVITOP_PQ_ALL), plus the host's CPU, memory and load (for the processes' shares).
 * devices NULL: every physical GPU followed by its MIG devices, processes from the leaf
 * devices. Same returns and ownership as nvitop_snapshot_take(). */
NVITOP_API int nvitop_take_snapshots(nvitop_ctx_t *ctx, nvitop_device_t *const *devices,
                                     size_t count, unsigned flags, nvitop_snapshot_t **out);

#ifdef __cplusplus
}
#endif

#endif
