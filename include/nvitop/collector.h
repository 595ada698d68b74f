/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * The resource metric collector: a program logs the GPU, host and process metrics of its own
 * run as mean / min / max / last over nested tagged scopes, the C counterpart of Python
 * nvitop's ResourceMetricCollector and collect_in_background(). */
#ifndef NVITOP_COLLECTOR_H
#define NVITOP_COLLECTOR_H

#include <nvitop/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @file
 * Keys of a collection are `<tag>/<scope>/<metric (unit)>/<stat>`, nested tags joined with '/':
 *
 * - scopes: `host`; `gpu:N` for a physical GPU, `gpu:(N, M)` for a MIG device;
 *   `cuda:K (gpu:N)` for a device chosen in CUDA order; `pid:P/host` and
 *   `pid:P/<device scope>` for a GPU process;
 * - host metrics: `cpu_percent (%)`, `memory_percent (%)`, `swap_percent (%)`,
 *   `memory_used (GiB)`, `load_average (%) (1 min)`, `(5 min)`, `(15 min)` (the raw load
 *   averages, despite the "%", as Python nvitop names them);
 * - device metrics: `memory_used (MiB)`, `memory_free (MiB)`, `memory_total (MiB)`,
 *   `memory_percent (%)`, `gpu_utilization (%)`, `memory_utilization (%)`, `fan_speed (%)`,
 *   `temperature (C)`, `power_usage (W)`;
 * - process metrics: `host/cpu_percent (%)`, `host/host_memory (MiB)`,
 *   `host/host_memory_percent (%)`, `host/running_time (min)`, and on its device
 *   `gpu_memory (MiB)`, `gpu_memory_percent (%)`, `gpu_memory_utilization (%)`,
 *   `gpu_sm_utilization (%)`;
 * - stats: `mean` (time-weighted: trapezoids between samples, the last value held until now),
 *   `min`, `max`, `last`. `running_time (min)` has only `<key>` (its max) and `<key>/last`;
 * - per scope: `<tags>/duration (s)` (since the scope began or was cleared), `<tags>/timestamp`
 *   (Unix time of the collection) and `<tags>/last_timestamp` (Unix time of the last sample).
 *
 * A value the driver or /proc does not give (N/A) is not a sample: the series is marked as
 * having gaps, and its mean is then the integral up to its last valid sample divided by the
 * time from its start to that sample (no extrapolation to now). A key that vanishes (a process
 * that ended) is a gap too; its keys stay in the scope's collection until clear or end. A
 * series with no valid sample reads NaN for every stat.
 */

/** An opaque collector. Every function may be called from any thread, concurrently with the
 * collector's own sampling thread. */
typedef struct nvitop_collector nvitop_collector_t;

/** Options of nvitop_collector_new(). Fill with nvitop_collector_options_init() first. */
typedef struct nvitop_collector_options {
    /** Options of the context the collector creates for itself (its sampling thread owns it):
     * NVML library, proc root, clock (timestamps and durations use it). NULL: defaults. */
    const nvitop_options_t *context;
    /** The devices to watch, objects of any context (only their physical and MIG indices are
     * read, at nvitop_collector_new()). NULL: every physical GPU. A physical GPU with MIG
     * enabled adds its MIG devices; processes are read from the leaf devices. */
    nvitop_device_t *const *devices;
    size_t device_count; /**< entries in `devices` */
    /** The devices are in CUDA order (e.g. from nvitop_cuda_devices()): devices[k] is CUDA
     * device k, and its scope is `cuda:k (gpu:N)`. */
    bool cuda_order;
    /** Only GPU processes descending from these pids (or being one) are collected. NULL: this
     * process (getpid()). A non-NULL list with root_pid_count 0: no process at all. A list that
     * holds pid 1: every GPU process (even those whose ancestry cannot be read). */
    const uint32_t *root_pids;
    size_t root_pid_count; /**< entries in `root_pids` */
    /** Seconds between two samples of the sampling thread; > 0. 1.0 after init. */
    double interval_s;
    /** No sampling thread: samples are taken only by nvitop_collector_sample() and by
     * nvitop_collector_collect() (when the last sample is older than interval_s / 2). */
    bool manual_sampling;
    /** Most series (keys before the stat) a scope keeps: when a new key would exceed it, the
     * series absent from the current sample for the longest time is dropped (keys of
     * processes that ended long ago); when none is absent the new key is not recorded. This
     * bounds memory over long runs with many short-lived processes. 0: 16384. */
    size_t max_series;
} nvitop_collector_options_t;

/** Sets defaults: all GPUs, physical order, this process as root, 1 s, a sampling thread. */
NVITOP_API void nvitop_collector_options_init(nvitop_collector_options_t *opts);

/** Creates a collector with its own context (initialised here). opts NULL: defaults. Nothing is
 * sampled until the first nvitop_collector_begin(). On failure *out is NULL and, when msg is
 * not NULL, msg (msg_len bytes, NUL-terminated) receives one line saying why. Returns 0,
 * NVITOP_EINVAL (interval_s <= 0, a NULL device or out == NULL), NVITOP_ENOTFOUND (a device not
 * present in the collector's context), NVITOP_ENOMEM, or an error of nvitop_init()
 * (NVITOP_ENOLIB, NVITOP_ENODRIVER, ...). Free with nvitop_collector_free(). */
NVITOP_API int nvitop_collector_new(const nvitop_collector_options_t *opts,
                                    nvitop_collector_t **out, char *msg, size_t msg_len);

/** Stops the sampling thread, ends every scope and frees the collector and its context. Must
 * not run concurrently with another call on the collector, nor while a daemon started on it
 * (nvitop_collector_daemonize()) still runs. NULL is a no-op. */
NVITOP_API void nvitop_collector_free(nvitop_collector_t *collector);

/** Begins a scope named `tag` inside the current one (Python's activate/start): keys of the
 * collection are then prefixed `<outer tags>/<tag>`. The next collection samples at once, and
 * the sampling thread (unless manual) starts on the first begin and samples while a scope is
 * open. tag is copied; any non-empty string is accepted. Returns 0, NVITOP_EINVAL (tag NULL or
 * empty), NVITOP_ESTATE when a scope of that tag is already open ("Resource metric collector is
 * already started with tag "\<tag\>"" in nvitop_collector_message()) or NVITOP_ENOMEM. */
NVITOP_API int nvitop_collector_begin(nvitop_collector_t *collector, const char *tag);

/** Ends the scope `tag` and every scope opened inside it (Python's deactivate/stop); tag NULL:
 * the innermost scope (a no-op returning 0 when none is open, as Python). Returns 0,
 * NVITOP_EINVAL (collector NULL) or NVITOP_ESTATE: "Resource metric collector has not been
 * started yet." when no scope is open, or "Resource metric collector has not been started
 * with tag "\<tag\>"." (see nvitop_collector_message()). */
NVITOP_API int nvitop_collector_end(nvitop_collector_t *collector, const char *tag);

/** Clears the statistics of scope `tag` and of every scope inside it (Python's clear/reset);
 * tag NULL: the innermost scope (a no-op returning 0 when none is open). Their durations start
 * again now. Returns 0, NVITOP_EINVAL or NVITOP_ESTATE (as nvitop_collector_end()). */
NVITOP_API int nvitop_collector_clear(nvitop_collector_t *collector, const char *tag);

/** One key and its value. value is NaN when the series has no valid sample. */
typedef struct nvitop_metric {
    const char *key; /**< "train/gpu:0/memory_used (MiB)/mean"; owned by the metrics */
    double value;    /**< NaN when the series has no valid sample */
} nvitop_metric_t;

/** A collection: owns its keys; one nvitop_metrics_free() releases it. */
typedef struct nvitop_metrics {
    size_t count;           /**< entries in `items` */
    nvitop_metric_t *items; /**< in Python's order (series as first seen; running times and
                             * the duration and timestamps last) */
} nvitop_metrics_t;

/** The statistics of the innermost open scope (Python's collect()). Samples first when the
 * last sample is older than half the interval (so the first collection of a scope always
 * holds a sample). Returns 0 with *out set (free with nvitop_metrics_free()), NVITOP_EINVAL,
 * NVITOP_ESTATE ("Resource metric collector has not been started yet.") or NVITOP_ENOMEM;
 * *out is NULL on error. A sample that fails (e.g. the driver went away) is not an error:
 * its values are gaps. */
NVITOP_API int nvitop_collector_collect(nvitop_collector_t *collector, nvitop_metrics_t **out);

/** Takes one sample now and adds it to every open scope (Python's take_snapshots() method,
 * without the snapshots). With no scope open it is taken and dropped. Returns 0,
 * NVITOP_EINVAL or NVITOP_ENOMEM. */
NVITOP_API int nvitop_collector_sample(nvitop_collector_t *collector);

/** The pids of the GPU processes the last sample included (those descending from a root pid,
 * the `pid:P` scopes of that sample), one entry per process and leaf device, in device then pid
 * order, copied into pids (at most len entries; pids may be NULL when len is 0). Lets a caller
 * show the processes a sample covered (Python's take_snapshots() method). Returns how many
 * there are (more than len: call again with a larger buffer; 0 before the first sample), or
 * NVITOP_EINVAL. */
NVITOP_API int nvitop_collector_last_pids(nvitop_collector_t *collector, uint32_t *pids,
                                          size_t len);

/** The innermost open scope's key prefix ("train/batch") copied into buf (len bytes,
 * NUL-terminated; "" when none is open). Returns the number of scopes open, or NVITOP_EINVAL. */
NVITOP_API int nvitop_collector_prefix(nvitop_collector_t *collector, char *buf, size_t len);

/** The message of the last call on this collector that failed, copied into buf (len bytes,
 * NUL-terminated; "" if none). When several threads fail at once it may be another thread's:
 * the return code of each call is always its own. Returns buf. */
NVITOP_API char *nvitop_collector_message(nvitop_collector_t *collector, char *buf, size_t len);

/** The interval given at creation, in seconds (0 for NULL). */
NVITOP_API double nvitop_collector_interval(const nvitop_collector_t *collector);

/** The value of `key` in a collection, or NULL when it holds no such key. Linear search. */
NVITOP_API const nvitop_metric_t *nvitop_metrics_find(const nvitop_metrics_t *metrics,
                                                      const char *key);

/** Frees a collection. NULL is a no-op. */
NVITOP_API void nvitop_metrics_free(nvitop_metrics_t *metrics);

/** A daemon: a thread that opens a scope and hands each collection to a callback at a fixed
 * rate until the callback says stop (Python's collect_in_background()). */
typedef struct nvitop_daemon nvitop_daemon_t;

/** What a daemon calls, all on its own thread. */
typedef struct nvitop_daemon_options {
    /** Called once before the scope opens (may be NULL). */
    void (*on_start)(nvitop_collector_t *collector, void *arg);
    /** Called with each collection, borrowed until it returns; return false to stop.
     * Required. */
    bool (*on_collect)(const nvitop_metrics_t *metrics, void *arg);
    /** Called once after the scope closed, whatever stopped the daemon (may be NULL). */
    void (*on_stop)(nvitop_collector_t *collector, void *arg);
    void *arg; /**< passed to every callback */
    /** Seconds between collections; the collector's interval when <= 0. The collector's own
     * sampling keeps its interval (Python's collect_in_background(interval=...)). */
    double interval_s;
    /** The scope's tag. NULL: "metrics-daemon". */
    const char *tag;
} nvitop_daemon_options_t;

/** Starts a daemon on `collector` (NULL: a collector with default options, owned by the daemon
 * and freed with it). The scope `tag` is begun before this returns (so a second daemon or
 * nvitop_collector_begin() with that tag gets NVITOP_ESTATE); the thread then calls on_start,
 * then on_collect(collect()) at once and every interval after (a fixed-rate schedule: a slow
 * callback does not shift later ticks) until on_collect returns false, nvitop_daemon_stop() is
 * called or a collection fails; it then ends the scope and calls on_stop. Returns 0 with *out
 * set (free with nvitop_daemon_free()), NVITOP_EINVAL (no on_collect), NVITOP_ESTATE (a scope
 * with that tag is already open: the thread is not started) or NVITOP_ENOMEM, or an error of
 * nvitop_collector_new() when collector is NULL. */
NVITOP_API int nvitop_collector_daemonize(nvitop_collector_t *collector,
                                          const nvitop_daemon_options_t *opts,
                                          nvitop_daemon_t **out);

/** Asks the daemon to stop after the callback it may be running (its sleep is cut short).
 * Returns at once. NULL is a no-op. */
NVITOP_API void nvitop_daemon_stop(nvitop_daemon_t *daemon);

/** True while the daemon's thread has not finished (on_stop not yet returned). */
NVITOP_API bool nvitop_daemon_running(nvitop_daemon_t *daemon);

/** Waits for the daemon's thread to finish, without asking it to stop. Returns 0 or
 * NVITOP_EINVAL. Must not be called from the daemon's own callbacks. */
NVITOP_API int nvitop_daemon_join(nvitop_daemon_t *daemon);

/** The daemon's collector (borrowed: valid until nvitop_daemon_free() when the daemon owns it,
 * else the caller's own). */
NVITOP_API nvitop_collector_t *nvitop_daemon_collector(nvitop_daemon_t *daemon);

/** Stops the daemon (as nvitop_daemon_stop()), waits for its thread, and frees it and the
 * collector it owns. Must not be called from the daemon's own callbacks. NULL is a no-op. */
NVITOP_API void nvitop_daemon_free(nvitop_daemon_t *daemon);

#ifdef __cplusplus
}
#endif

#endif
