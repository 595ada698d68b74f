/* SPDX-License-Identifier: Apache-2.0 */
/* The core's shared internals: the context and device objects behind the public handles. */
#ifndef NVITOP_CORE_INTERNAL_H
#define NVITOP_CORE_INTERNAL_H

#include <nvitop.h>

#include "host/host_internal.h"
#include "nvml/nvml_lib.h"
#include "util/util.h"

/* Remembered permanent answers, per device and question (function + argument). */
#define MEMO_ARGS 4

struct nvitop_device {
    nvitop_ctx_t *ctx;
    nvmlDevice_t handle;   /* NULL when the handle could not be obtained */
    nvitop_na_t handle_na; /* why, when handle is NULL */
    unsigned physical_index;
    int mig_index;           /* -1: physical */
    nvitop_device_t *parent; /* self for a physical GPU */
    bool is_mig;
    /* MIG children of a physical GPU, enumerated once. */
    bool migs_probed;
    unsigned mig_count;
    nvitop_device_t *migs;
    /* Static facts: the groups in `cached` are served from `statics`; strings below. */
    uint64_t cached;
    nvitop_device_snapshot_t statics;
    char name[NVML_DEVICE_NAME_V2_BUFFER_SIZE];
    char uuid[NVML_DEVICE_UUID_V2_BUFFER_SIZE];
    char bus_id[NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE];
    char serial[NVML_DEVICE_SERIAL_BUFFER_SIZE + 2];
    uint8_t memo[NVML_FN__COUNT][MEMO_ARGS]; /* nvitop_na_t + 1; 0 = ask the driver */
    bool shares_host_memory; /* NVML said so (ATS addressing): a fact of the hardware, kept */
    /* Entries the last process list and sample list needed: the next call makes room. */
    unsigned process_hint;
    unsigned sample_hint;
    /* NVLink: the link count (read once) and the counters of the previous sample. */
    bool nvlink_count_read;
    nvitop_int_t nvlink_count;
    long long nvlink_prev_us;
    unsigned long long nvlink_prev_tx[NVITOP_NVLINK_LINKS_MAX];
    unsigned long long nvlink_prev_rx[NVITOP_NVLINK_LINKS_MAX];
    bool nvlink_have_prev;
    nvitop_nvlinks_t nvlinks; /* every link as the last NVITOP_DQ_NVLINK query measured it */
};

struct nvitop_ctx {
    char *nvml_path; /* explicit library path, or NULL */
    char *proc_root;
    nvitop_clock_fn clock;
    void *clock_arg;
    strbuf_t message;

    nvml_lib_t nvml;
    bool initialized;
    unsigned device_count;
    nvitop_device_t *devices; /* device_count physical devices */

    /* Driver facts, read once. */
    bool versions_read;
    char driver_version[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
    char nvml_version[NVML_SYSTEM_NVML_VERSION_BUFFER_SIZE];
    nvitop_na_t driver_version_na, nvml_version_na;
    nvitop_int_t cuda_driver_version;

    host_reader_t host;
    host_users_t users;
    host_cpu_tracker_t cpu;
    host_proc_tracker_t procs;
    uint64_t boot_time_s; /* btime of /proc/stat, 0 until read */

    /* Workloads (workload.c): the runtimes' files under runtime_root, opened on first use;
     * whether the proc root is a nested PID namespace's, found once. */
    char *runtime_root;
    host_reader_t runtime;
    bool runtime_open_failed;
    bool pidns_known, pidns_nested;
};

/* Records a one-line message on the context (printf-style) and returns `code`. */
int ctx_fail(nvitop_ctx_t *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- device.c ---- */
int device_require(nvitop_ctx_t *ctx);
/* Opens the physical devices after nvmlInit. */
int devices_open(nvitop_ctx_t *ctx);
void devices_close(nvitop_ctx_t *ctx);
/* Enumerates MIG children once (no-op for MIG devices). */
void device_probe_migs(nvitop_device_t *dev);

/* ---- device_query.c ---- */
/* Calls NVML through the device's memo: a remembered permanent failure answers at once.
 * Returns the reason (NVITOP_NA_NONE on success). */
nvitop_na_t device_memo_check(const nvitop_device_t *dev, nvml_fn_t fn, unsigned arg);
nvitop_na_t device_memo_record(nvitop_device_t *dev, nvml_fn_t fn, unsigned arg, nvmlReturn_t rc);
/* 100 * part / whole rounded to one decimal as nvitop rounds its percentages (Python's
 * round()); N/A with the reason of whichever input is missing. */
nvitop_real_t percent_1dp(nvitop_int_t part, nvitop_int_t whole);
void device_snapshot_set_identity(const nvitop_device_t *dev, nvitop_device_snapshot_t *out);
/* Copies the numeric fields of the query groups `which` from src into dst (a value measured a
 * little earlier stands in for one not asked this time) and recomputes what derives from them.
 * Strings are never copied: they belong to src's owner. */
void device_snapshot_carry(nvitop_device_snapshot_t *dst, const nvitop_device_snapshot_t *src,
                           uint64_t which);
/* nvitop_device_query() one question after the other, on the caller's thread (the public one
 * hands both PCIe directions to device_batch.c). dev and out are not NULL. */
int device_query_serial(nvitop_device_t *dev, uint64_t what, nvitop_device_snapshot_t *out);
/* A PCIe throughput answer (counter NVML_PCIE_UTIL_TX_BYTES or _RX_BYTES) that the driver gave
 * to another thread (device_batch.c), recorded in the device's memo as a query records it. */
nvitop_int_t device_pcie_answer(nvitop_device_t *dev, unsigned counter, nvmlReturn_t rc,
                                unsigned kibps);
/* The NVITOP_DQ_NVLINK group (device_nvlink.c). */
void device_query_nvlink(nvitop_device_t *dev, nvitop_device_snapshot_t *out);
/* Every field of *out NVITOP_NA_NOT_SAMPLED, size set. */
void device_nvlinks_clear(nvitop_nvlinks_t *out);

/* ---- host_query.c / host_process.c ---- */
int host_snapshot_fill(nvitop_ctx_t *ctx, unsigned what, arena_t *arena,
                       nvitop_host_snapshot_t *out);
/* What every process record of one sample shares, read once per sample. */
typedef struct host_sample {
    uint64_t mem_total; /* bytes, 0 when unknown (%MEM is then N/A) */
    double uptime_s;    /* NaN when unknown (times are then N/A) */
} host_sample_t;
void host_sample_read(nvitop_ctx_t *ctx, host_sample_t *sample);
/* The same from a host snapshot that holds them; reads only what it lacks. */
void host_sample_from(nvitop_ctx_t *ctx, const nvitop_host_snapshot_t *host, host_sample_t *sample);
/* Host memory total for %MEM, read from meminfo (0 when unknown). */
uint64_t host_memory_total(nvitop_ctx_t *ctx);
/* Fills a host process record; strings in `arena`. */
int host_process_fill(nvitop_ctx_t *ctx, uint32_t pid, const host_sample_t *sample, arena_t *arena,
                      nvitop_host_process_t *out);
void host_process_set_na(nvitop_host_process_t *out, uint32_t pid, nvitop_na_t na);

/* ---- workload.c ---- */
#define WORKLOAD_OTHER_NAMESPACE_LABEL "other container"
/* Fills the workload of pid (as the proc root numbers it); strings in `arena`. Returns 0 or
 * NVITOP_ENOMEM. */
int workload_fill(nvitop_ctx_t *ctx, uint32_t pid, arena_t *arena, nvitop_workload_t *out);
void workload_set_na(nvitop_workload_t *out, uint32_t pid, nvitop_na_t na);
/* A driver pid that the proc root does not show while it is a nested PID namespace's. */
void workload_set_other_namespace(nvitop_workload_t *out, uint32_t driver_pid);
/* Whether the proc root belongs to a PID namespace other than the initial one. */
bool workload_in_pid_namespace(nvitop_ctx_t *ctx);
/* Driver pids to the proc root's pids through NSpid, scanned once on first need. */
typedef struct pid_map {
    bool scanned;
    uint32_t *outer, *local;
    size_t count, cap;
} pid_map_t;
/* *local: the proc root's pid for driver_pid (itself when visible or unmapped);
 * *other_namespace: not shown at all while the root is a nested namespace's; *absent: the root
 * has no such pid (ENOENT: its host record needs no second lookup). 0 or ENOMEM. */
int pid_map_resolve(nvitop_ctx_t *ctx, pid_map_t *m, uint32_t driver_pid, uint32_t *local,
                    bool *other_namespace, bool *absent);
void pid_map_fini(pid_map_t *m);

/* ---- process.c ---- */
typedef struct gpu_process_raw gpu_process_raw_t;
/* The GPU processes of one device without host data (host.pid/na only), sorted by pid.
 * *out malloc'd. Returns 0 or an NVITOP_E* code. */
int device_gpu_processes(nvitop_device_t *dev, unsigned what, nvitop_gpu_process_t **out,
                         size_t *count);

/* Value helpers. */
static inline nvitop_int_t na_int(nvitop_na_t na)
{
    return (nvitop_int_t){0, na};
}
static inline nvitop_int_t some_int(int64_t v)
{
    return (nvitop_int_t){v, NVITOP_NA_NONE};
}
static inline nvitop_real_t na_real(nvitop_na_t na)
{
    return (nvitop_real_t){0.0, na};
}
static inline nvitop_real_t some_real(double v)
{
    return (nvitop_real_t){v, NVITOP_NA_NONE};
}
static inline nvitop_str_t na_str(nvitop_na_t na)
{
    return (nvitop_str_t){NULL, na};
}
static inline nvitop_str_t some_str(const char *s)
{
    return (nvitop_str_t){s, NVITOP_NA_NONE};
}

#endif
