/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's sampler: a background thread (a ticker, util/ticker.h) that owns a context while
 * it runs, takes device, host and process snapshots each at its own pace (spec §3.10) and
 * publishes the latest of each plus the histories behind the graphs; slow counters, when asked
 * for, are read on a second ticker with its own context. Readers never wait on the driver or /proc:
 * they take references to published snapshots and copies of history points under a lock that the
 * thread holds only to swap pointers and append points. Not public API (yet). */
#ifndef NVITOP_CORE_SAMPLER_H
#define NVITOP_CORE_SAMPLER_H

#include <nvitop.h>

#include "core/proc_filter.h"

typedef struct sampler sampler_t;

/* The tasks of the thread, also the bits of sampler_refresh(). */
enum {
    SAMPLER_HOST = 1U << 0,      /* CPU, memory, swap, load, uptime; feeds the host graphs */
    SAMPLER_DEVICES = 1U << 1,   /* every device of the selection; feeds the GPU graphs */
    SAMPLER_PROCESSES = 1U << 2, /* GPU processes joined with /proc */
    SAMPLER_SLOW = 1U << 3,      /* slow counters (PCIe, NVLink), only when asked for; own thread */
    SAMPLER_TREE = 1U << 4,      /* the process tree, while turned on (sampler_set_tree) */
    SAMPLER_WATCH = 1U << 5,     /* the watched process, while one is (sampler_watch) */
    SAMPLER_ENVIRON = 1U << 6,   /* a process's environment, when asked for */
};

typedef struct sampler_config {
    nvitop_ctx_t *ctx;       /* initialised; lent to the sampler from start to stop */
    const unsigned *indices; /* physical GPUs to sample (copied); NULL: all */
    size_t index_count;
    double device_period_s;  /* default 1 */
    double host_period_s;    /* default 0.5 */
    double process_period_s; /* --interval, default 2 */
    double slow_period_s;    /* period of slow_query; 0 turns it off */
    uint64_t device_query;   /* asked of every device each device period */
    uint64_t lazy_query;     /* asked every lazy_period_s, carried over in between */
    double lazy_period_s;    /* nvitop's 5 s TTL of fan, temperature, P-state, ... */
    uint64_t slow_query;     /* NVITOP_DQ_SLOW bits, or 0 */
    int wake_fd;             /* one byte is written after each publication; -1: none */
    double watch_period_s;   /* the watched process's sampling period, default 0.5 */
    /* The processes the tree starts from (the monitor's filters, copied: the thread matches
     * with its own copy); NULL: every process. */
    const proc_filter_t *filter;
} sampler_config_t;

/* Fills in nvitop's cadence for an --interval (interval_s <= 0: none given): devices every
 * 1 s (the interval when shorter), the host every 0.5 s (interval / 3 when the interval is
 * under 1 s), processes every interval (2 s by default), the lazy fields every 5 s, the
 * watched process every 0.5 s (interval / 3 when the interval is under 0.5 s). */
void sampler_config_defaults(sampler_config_t *cfg, double interval_s);

/* The graphs the sampler keeps, each with one point per second. */
typedef enum sampler_metric {
    SAMPLER_CPU,     /* host CPU % */
    SAMPLER_MEM,     /* host memory % */
    SAMPLER_SWP,     /* swap % */
    SAMPLER_GPU_MEM, /* device memory %; device -1: used / total over the leaf devices */
    SAMPLER_GPU_UTL, /* GPU utilisation %; device -1: mean over the leaf devices */
    SAMPLER_GPU_PWR, /* power draw % of the limit; device -1: over the physical GPUs */
    /* the watched process (device is ignored): */
    SAMPLER_PROC_CPU,     /* host CPU % (of one core) */
    SAMPLER_PROC_RSS,     /* host memory, bytes */
    SAMPLER_PROC_GPU_MEM, /* GPU memory, bytes */
    SAMPLER_PROC_GPU_SM,  /* SM utilisation % */
    SAMPLER_METRIC__COUNT
} sampler_metric_t;

/* Starts the thread after taking the first device and host snapshots here (so a reader has a
 * layout at once). Returns 0, NVITOP_EINVAL, NVITOP_ENOMEM, or the error of that first device
 * snapshot (the context's message says more); on error nothing runs and *out is NULL. */
int sampler_start(const sampler_config_t *cfg, sampler_t **out);

/* Stops and joins the threads (within one driver call; the slow counters' within one GPU's
 * calls), frees everything; the context is the caller's again. NULL is a no-op. */
void sampler_stop(sampler_t *s);

/* Asks the thread to run these tasks (SAMPLER_* bits) now, e.g. after a signal was sent. */
void sampler_refresh(sampler_t *s, unsigned tasks);

/* Changes the device query from the next device snapshot on (the monitor asks clocks only
 * when its bars show them). */
void sampler_set_device_query(sampler_t *s, uint64_t device_query);

/* What a reader holds: the latest snapshot of each kind (NULL before the first), a counter per
 * kind that changes with each new one, and the last failure of a snapshot ("" when the last
 * of each kind succeeded). Valid until sampler_release(). */
typedef struct sampler_view {
    const nvitop_snapshot_t *devices;   /* devices only */
    const nvitop_snapshot_t *host;      /* host only */
    const nvitop_snapshot_t *processes; /* processes, with a memory-only device list */
    uint64_t devices_seq, host_seq, processes_seq;
    char error[256];
    void *refs_[3];
} sampler_view_t;

void sampler_acquire(sampler_t *s, sampler_view_t *view);
void sampler_release(sampler_t *s, sampler_view_t *view);

/* Copies up to n of the newest points of a graph (newest first; NaN: not available) and
 * returns how many; *last receives the value its label shows (NaN: N/A) and *added, when not
 * NULL, a counter that changes whenever a point is added. device: position in the device
 * snapshot, or -1 for the host metrics and the GPU averages. Unknown device: 0, *last NaN. */
size_t sampler_history(sampler_t *s, sampler_metric_t metric, int device, float *out, size_t n,
                       double *last, uint64_t *added);

/* ---- the tree view, the metrics screen and the environment screen (spec §3.6, §3.10) ---- */

typedef struct ptree ptree_t;

/* Turns the process tree on or off. While on, the thread builds it at once, then after each
 * process snapshot, from that snapshot (the processes `filter` keeps) and /proc. */
void sampler_set_tree(sampler_t *s, bool on);
/* Process snapshots with (or without) the workload of each process (NVITOP_PQ_WORKLOAD), from
 * the next refresh on, which it asks for. */
void sampler_set_workloads(sampler_t *s, bool on);
/* The latest tree (NULL before the first) and a counter that changes with each new one;
 * valid until sampler_tree_release(). */
const ptree_t *sampler_tree_acquire(sampler_t *s, uint64_t *seq);
void sampler_tree_release(sampler_t *s, const ptree_t *tree);

/* The process to watch: a pid, its start (-1 when unknown: any process with the pid) and its
 * device. */
typedef struct sampler_target {
    uint32_t pid;
    double create_time_s;
    int physical, mig; /* mig -1: the physical GPU */
} sampler_target_t;

/* Watches a process (NULL: none): from now on it is sampled every watch period, its four
 * graphs (SAMPLER_PROC_*) starting empty. Sampling stops when the process ends: when the host
 * no longer shows it (or shows another process with its pid) after it was seen there, or,
 * for a process the host never showed (another PID namespace), when the driver stops listing
 * it; the graphs then keep their last points. */
void sampler_watch(sampler_t *s, const sampler_target_t *target);

/* The latest sample of the watched process. */
typedef struct sampler_watched {
    sampler_target_t target;
    nvitop_gpu_process_t process; /* device -1; the GPU fields are N/A (no such process) when
                                   * the driver does not list it on its device; strings owned */
    bool listed;                  /* the driver lists it on its device */
    bool ended;                   /* the process is gone: no more samples */
    uint64_t samples;             /* taken so far */
} sampler_watched_t;
/* NULL when nothing is watched or before the first sample; valid until released. */
const sampler_watched_t *sampler_watched_acquire(sampler_t *s);
void sampler_watched_release(sampler_t *s, const sampler_watched_t *w);

/* Asks the thread to read the environment of a process; the answer to the latest request
 * comes through sampler_environ_take(). */
void sampler_request_environ(sampler_t *s, uint32_t pid);
typedef struct sampler_environ {
    uint32_t pid;
    int error;   /* 0, NVITOP_ENOTFOUND (gone), NVITOP_EPERM, ... */
    char **vars; /* "KEY=value", /proc order */
    size_t count;
    nvitop_host_process_t *process; /* its user and command (NULL when out of memory) */
} sampler_environ_t;
/* The answer to the latest request once it is there (ownership moves to the caller), else
 * NULL. */
sampler_environ_t *sampler_environ_take(sampler_t *s);
void sampler_environ_free(sampler_environ_t *e);

/* The host name and the user running the program, read once at start (N/A if unknown);
 * valid until sampler_stop(). */
const char *sampler_hostname(const sampler_t *s);
const char *sampler_username(const sampler_t *s);

/* How many snapshots of each task the thread took (tests and the benchmark). */
typedef struct sampler_stats {
    uint64_t host, devices, processes, slow, failures, trees, watched;
} sampler_stats_t;
void sampler_get_stats(sampler_t *s, sampler_stats_t *out);

#endif
