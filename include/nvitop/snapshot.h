/* SPDX-License-Identifier: Apache-2.0 */
/* One consistent picture of devices, their processes and the host, as plain data that owns
 * every string it holds. Renderers, the monitor, the exporter and library users read these. */
#ifndef NVITOP_SNAPSHOT_H
#define NVITOP_SNAPSHOT_H

#include <nvitop/process.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nvitop_snapshot_request {
    uint64_t device_query;   /* NVITOP_DQ_* asked of every device */
    unsigned host_query;     /* NVITOP_HQ_* */
    unsigned process_query;  /* 0: no processes; else NVITOP_PQ_* */
    const unsigned *indices; /* physical GPUs to include, NULL: all of them */
    size_t index_count;
} nvitop_snapshot_request_t;

typedef struct nvitop_snapshot {
    uint64_t timestamp_ns; /* the context's monotonic clock */
    int64_t time_unix_ns;  /* wall clock, for display */
    nvitop_str_t driver_version;
    nvitop_str_t nvml_version;
    nvitop_int_t cuda_driver_version;
    /* Physical GPUs in index order, each followed by its MIG devices. */
    size_t device_count;
    nvitop_device_snapshot_t *devices;
    /* Processes of the leaf devices (MIG devices instead of a MIG-enabled parent), ordered by
     * device position then pid. */
    size_t process_count;
    nvitop_gpu_process_t *processes;
    nvitop_host_snapshot_t host;
} nvitop_snapshot_t;

/* Takes a snapshot. Devices that fail answer N/A with reasons; a failure of the whole driver
 * returns an error. Returns 0, NVITOP_ENOTINIT (device or process data asked before
 * nvitop_init()), NVITOP_ENOTFOUND (an index out of range), NVITOP_ENVML or NVITOP_ENOMEM.
 * Free with nvitop_snapshot_free(), which releases everything the snapshot holds. */
NVITOP_API int nvitop_snapshot_take(nvitop_ctx_t *ctx, const nvitop_snapshot_request_t *req,
                                    nvitop_snapshot_t **out);
NVITOP_API void nvitop_snapshot_free(nvitop_snapshot_t *snapshot);

#ifdef __cplusplus
}
#endif

#endif
