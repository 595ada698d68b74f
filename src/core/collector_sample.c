/* SPDX-License-Identifier: Apache-2.0 */
/* One sample of the collector, Python nvitop's ResourceMetricCollector.take_snapshots(): the
 * host, every chosen device (and the MIG devices of a MIG-enabled one), and the GPU processes
 * of the leaf devices that descend from a root pid, as "<scope>/<metric (unit)>" -> value. */
#include "core/collector_internal.h"
#include "core/core_internal.h"
#include "core/leaf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEVICE_QUERY                                                                               \
    (NVITOP_DQ_MEMORY | NVITOP_DQ_UTILIZATION | NVITOP_DQ_FAN | NVITOP_DQ_TEMPERATURE |            \
     NVITOP_DQ_POWER_USAGE)
#define HOST_QUERY (NVITOP_HQ_CPU | NVITOP_HQ_MEMORY | NVITOP_HQ_LOAD | NVITOP_HQ_UPTIME)
#define MAX_ANCESTRY 512 /* deeper process trees are taken as not descending from a root */

typedef struct source_device {
    nvitop_device_t *dev;
    char scope[64]; /* "gpu:0", "gpu:(2, 0)", "cuda:1 (gpu:3)" */
    bool leaf;
} source_device_t;

/* Verdicts of the ancestry walk per pid (Python's positive and negative process sets). */
typedef struct verdict {
    uint32_t pid; /* 0: empty slot */
    bool positive;
    uint64_t gen; /* the last sample that used it */
} verdict_t;

typedef struct included {
    uint32_t pid;
    size_t device; /* position in devices */
    nvitop_gpu_process_t gpu;
} included_t;

struct collector_source {
    nvitop_ctx_t *ctx;
    source_device_t *devices;
    size_t device_count, device_cap;
    uint32_t *roots;
    size_t root_count;
    bool all_processes; /* pid 1 among the roots */
    verdict_t *verdicts;
    size_t verdict_cap, verdict_count;
    uint64_t gen;
    nvitop_device_snapshot_t *snaps; /* scratch, one per device */
    included_t *procs;
    size_t proc_count, proc_cap;
    size_t seen_count; /* GPU processes of the leaf devices in the last sample */
};

static int add_device(collector_source_t *src, nvitop_device_t *dev, const char *scope, bool leaf)
{
    void *items = src->devices;
    if (array_reserve(&items, &src->device_cap, src->device_count + 1, sizeof(*src->devices)) < 0)
        return NVITOP_ENOMEM;
    src->devices = items;
    source_device_t *d = &src->devices[src->device_count++];
    d->dev = dev;
    d->leaf = leaf;
    str_copy(d->scope, sizeof(d->scope), scope);
    return NVITOP_OK;
}

/* The device (and its MIG devices, as Python's collector adds them) in scope order. */
static int add_chosen(collector_source_t *src, nvitop_device_t *dev, long cuda_index)
{
    char base[32], scope[64];
    unsigned p = nvitop_device_physical_index(dev);
    if (nvitop_device_is_mig(dev))
        snprintf(base, sizeof(base), "gpu:(%u, %d)", p, nvitop_device_mig_index(dev));
    else
        snprintf(base, sizeof(base), "gpu:%u", p);
    if (cuda_index >= 0)
        snprintf(scope, sizeof(scope), "cuda:%ld (%s)", cuda_index, base);
    else
        str_copy(scope, sizeof(scope), base);
    unsigned migs = nvitop_device_mig_count(dev);
    int rc = add_device(src, dev, scope, device_is_leaf(dev));
    for (unsigned j = 0; rc == NVITOP_OK && j < migs; j++) {
        nvitop_device_t *mig;
        if (nvitop_device_mig_get(dev, j, &mig) < 0) continue;
        snprintf(scope, sizeof(scope), "gpu:(%u, %u)", p, j);
        rc = add_device(src, mig, scope, true);
    }
    return rc;
}

/* The collector's own object for a device of any context: same physical and MIG index. */
static int reopen(nvitop_ctx_t *ctx, const nvitop_device_t *given, nvitop_device_t **out)
{
    unsigned p = nvitop_device_physical_index(given);
    nvitop_device_t *dev;
    int rc = nvitop_device_get(ctx, p, &dev);
    if (rc < 0) return rc;
    if (nvitop_device_is_mig(given)) {
        int j = nvitop_device_mig_index(given);
        if (j < 0 || nvitop_device_mig_get(dev, (unsigned)j, &dev) < 0)
            return ctx_fail(ctx, NVITOP_ENOTFOUND, "No MIG device (%u, %d).", p, j);
    }
    *out = dev;
    return NVITOP_OK;
}

static int resolve_devices(collector_source_t *src, const nvitop_collector_options_t *opts)
{
    int rc = NVITOP_OK;
    if (!opts->devices) {
        unsigned count = 0;
        if ((rc = nvitop_device_count(src->ctx, &count)) < 0) return rc;
        for (unsigned i = 0; rc == NVITOP_OK && i < count; i++) {
            nvitop_device_t *dev;
            if ((rc = nvitop_device_get(src->ctx, i, &dev)) == NVITOP_OK)
                rc = add_chosen(src, dev, -1);
        }
        return rc;
    }
    for (size_t i = 0; rc == NVITOP_OK && i < opts->device_count; i++) {
        nvitop_device_t *dev = NULL;
        if (!opts->devices[i]) return NVITOP_EINVAL;
        if ((rc = reopen(src->ctx, opts->devices[i], &dev)) == NVITOP_OK)
            rc = add_chosen(src, dev, opts->cuda_order ? (long)i : -1);
    }
    return rc;
}

static int resolve_roots(collector_source_t *src, const nvitop_collector_options_t *opts)
{
    size_t n = opts->root_pids ? opts->root_pid_count : 1;
    src->roots = calloc(n ? n : 1, sizeof(*src->roots));
    if (!src->roots) return NVITOP_ENOMEM;
    if (!opts->root_pids)
        src->roots[0] = (uint32_t)getpid();
    else if (n)
        memcpy(src->roots, opts->root_pids, n * sizeof(*src->roots));
    src->root_count = n;
    for (size_t i = 0; i < n; i++)
        if (src->roots[i] == 1) src->all_processes = true;
    return NVITOP_OK;
}

int collector_source_new(const collector_source_config_t *cfg, collector_source_t **out)
{
    collector_source_t *src = calloc(1, sizeof(*src));
    if (!src) return NVITOP_ENOMEM;
    src->ctx = cfg->ctx;
    int rc = resolve_devices(src, cfg->opts);
    if (rc == NVITOP_OK) rc = resolve_roots(src, cfg->opts);
    if (rc == NVITOP_OK && src->device_count &&
        !(src->snaps = calloc(src->device_count, sizeof(*src->snaps))))
        rc = NVITOP_ENOMEM;
    if (rc < 0) {
        collector_source_free(src);
        return rc;
    }
    *out = src;
    return NVITOP_OK;
}

void collector_source_free(collector_source_t *src)
{
    if (!src) return;
    free(src->devices);
    free(src->roots);
    free(src->verdicts);
    free(src->snaps);
    free(src->procs);
    free(src);
}

/* ---- ancestry ---- */

/* The slot of pid, or the empty slot where it would go. The table must exist. */
static verdict_t *verdict_slot(collector_source_t *src, uint32_t pid)
{
    size_t mask = src->verdict_cap - 1, i = (pid * 2654435761U) & mask;
    while (src->verdicts[i].pid && src->verdicts[i].pid != pid)
        i = (i + 1) & mask;
    return &src->verdicts[i];
}

static bool verdict_live(const collector_source_t *src, const verdict_t *v)
{
    return v->pid && v->gen + 1 >= src->gen;
}

/* Keeps the verdicts used by the last two samples (ancestors of live GPU processes), with room
 * for `extra` more. */
static int verdicts_rehash(collector_source_t *src, size_t extra)
{
    size_t keep = extra, cap = 256;
    for (size_t i = 0; i < src->verdict_cap; i++)
        keep += verdict_live(src, &src->verdicts[i]);
    while (cap < 2 * keep)
        cap *= 2;
    verdict_t *old = src->verdicts;
    size_t old_cap = src->verdict_cap;
    if (!(src->verdicts = calloc(cap, sizeof(*src->verdicts)))) {
        src->verdicts = old;
        return NVITOP_ENOMEM;
    }
    src->verdict_cap = cap;
    src->verdict_count = 0;
    for (size_t i = 0; i < old_cap; i++) {
        if (!verdict_live(src, &old[i])) continue;
        *verdict_slot(src, old[i].pid) = old[i];
        src->verdict_count++;
    }
    free(old);
    return NVITOP_OK;
}

static void verdict_put(collector_source_t *src, uint32_t pid, bool positive)
{
    if (2 * (src->verdict_count + 1) > src->verdict_cap && verdicts_rehash(src, 1) < 0)
        return; /* out of memory: not remembered, asked again next time */
    verdict_t *v = verdict_slot(src, pid);
    if (!v->pid) src->verdict_count++;
    *v = (verdict_t){pid, positive, src->gen};
}

static bool is_root(const collector_source_t *src, uint32_t pid)
{
    for (size_t i = 0; i < src->root_count; i++)
        if (src->roots[i] == pid) return true;
    return false;
}

static int64_t read_ppid(nvitop_ctx_t *ctx, uint32_t pid)
{
    char path[32];
    const char *data;
    size_t len;
    host_pid_stat_t st;
    snprintf(path, sizeof(path), "%u/stat", (unsigned)pid);
    if (host_read(&ctx->host, path, &data, &len) < 0 || host_parse_pid_stat(data, len, &st) < 0)
        return -1;
    return st.ppid;
}

/* Whether pid is a root or descends from one: walks up the parents until a root, a pid already
 * judged, or the top (pid 0) or an unreadable process, and remembers the verdict for the
 * whole chain. */
static bool descends_from_root(collector_source_t *src, uint32_t pid)
{
    if (src->all_processes) return true;
    if (!src->root_count) return false;
    uint32_t chain[MAX_ANCESTRY];
    size_t n = 0;
    bool positive = false;
    for (uint32_t p = pid; p > 0 && n < MAX_ANCESTRY;) {
        if (is_root(src, p)) {
            positive = true;
            break;
        }
        verdict_t *v = src->verdict_cap ? verdict_slot(src, p) : NULL;
        if (v && v->pid == p) {
            v->gen = src->gen;
            positive = v->positive;
            break;
        }
        chain[n++] = p;
        int64_t ppid = read_ppid(src->ctx, p);
        if (ppid <= 0 || ppid > UINT32_MAX) break;
        p = (uint32_t)ppid;
    }
    for (size_t i = 0; i < n; i++)
        verdict_put(src, chain[i], positive);
    return positive;
}

/* ---- the sample ---- */

static int take_host(collector_source_t *src, metric_sample_t *out, host_sample_t *hsample)
{
    nvitop_host_snapshot_t *hs = NULL;
    int rc = nvitop_host_query(src->ctx, HOST_QUERY, &hs);
    if (rc < 0) return rc;
    const double nan = NAN;
#define REAL(f) (NVITOP_HAS(f) ? (f).value : nan)
    rc = metric_sample_add(out, REAL(hs->cpu_percent), "host/cpu_percent (%%)");
    if (!rc) rc = metric_sample_add(out, REAL(hs->memory_percent), "host/memory_percent (%%)");
    if (!rc) rc = metric_sample_add(out, REAL(hs->swap_percent), "host/swap_percent (%%)");
    if (!rc)
        rc = metric_sample_add(out,
                               NVITOP_HAS(hs->memory_used_bytes)
                                   ? (double)hs->memory_used_bytes.value / (double)NVITOP_GiB
                                   : nan,
                               "host/memory_used (GiB)");
    if (!rc && NVITOP_HAS(hs->load_average_1m)) { /* Python leaves them out when unknown */
        rc = metric_sample_add(out, hs->load_average_1m.value, "host/load_average (%%) (1 min)");
        if (!rc)
            rc =
                metric_sample_add(out, REAL(hs->load_average_5m), "host/load_average (%%) (5 min)");
        if (!rc)
            rc = metric_sample_add(out, REAL(hs->load_average_15m),
                                   "host/load_average (%%) (15 min)");
    }
#undef REAL
    host_sample_from(src->ctx, hs, hsample);
    nvitop_host_snapshot_free(hs);
    return rc;
}

static double int_value(nvitop_int_t v, double unit)
{
    return NVITOP_HAS(v) ? (double)v.value / unit : NAN;
}

static double real_value(nvitop_real_t v, double unit)
{
    return NVITOP_HAS(v) ? v.value / unit : NAN;
}

static int take_device(const source_device_t *d, nvitop_device_snapshot_t *s, metric_sample_t *out)
{
    const char *sc = d->scope;
    const double mib = (double)NVITOP_MiB;
    nvitop_device_query(d->dev, DEVICE_QUERY, s);
    int rc =
        metric_sample_add(out, int_value(s->memory_used_bytes, mib), "%s/memory_used (MiB)", sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(s->memory_free_bytes, mib), "%s/memory_free (MiB)",
                               sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(s->memory_total_bytes, mib), "%s/memory_total (MiB)",
                               sc);
    if (!rc)
        rc = metric_sample_add(out, real_value(s->memory_percent, 1), "%s/memory_percent (%%)", sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(s->gpu_utilization_percent, 1),
                               "%s/gpu_utilization (%%)", sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(s->memory_utilization_percent, 1),
                               "%s/memory_utilization (%%)", sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(s->fan_speed_percent, 1), "%s/fan_speed (%%)", sc);
    if (!rc) rc = metric_sample_add(out, int_value(s->temperature_c, 1), "%s/temperature (C)", sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(s->power_usage_mw, 1000.0), "%s/power_usage (W)", sc);
    return rc;
}

static int push_process(collector_source_t *src, size_t device, const nvitop_gpu_process_t *p)
{
    void *items = src->procs;
    if (array_reserve(&items, &src->proc_cap, src->proc_count + 1, sizeof(*src->procs)) < 0)
        return NVITOP_ENOMEM;
    src->procs = items;
    src->procs[src->proc_count++] = (included_t){p->pid, device, *p};
    return NVITOP_OK;
}

size_t collector_source_pids(const collector_source_t *src, uint32_t *pids, size_t len)
{
    for (size_t i = 0; i < src->proc_count && i < len; i++)
        pids[i] = src->procs[i].pid;
    return src->proc_count;
}

/* The GPU processes of the leaf devices that descend from a root, in device then pid order. */
static int gather_processes(collector_source_t *src)
{
    src->proc_count = src->seen_count = 0;
    if (!src->all_processes && !src->root_count) return NVITOP_OK;
    for (size_t pos = 0; pos < src->device_count; pos++) {
        if (!src->devices[pos].leaf) continue;
        nvitop_gpu_process_t *found = NULL;
        size_t n = 0;
        int rc = device_gpu_processes(src->devices[pos].dev, NVITOP_PQ_UTILIZATION, &found, &n);
        if (rc == NVITOP_ENOMEM) return rc;
        src->seen_count += n;
        for (size_t i = 0; rc == NVITOP_OK && i < n; i++) {
            if (!descends_from_root(src, found[i].pid)) continue;
            found[i].gpu_memory_percent =
                percent_1dp(found[i].gpu_memory_bytes, src->snaps[pos].memory_total_bytes);
            rc = push_process(src, pos, &found[i]);
        }
        free(found);
        if (rc == NVITOP_ENOMEM) return rc;
    }
    return NVITOP_OK;
}

static int take_process(collector_source_t *src, const included_t *p,
                        const nvitop_host_process_t *host, metric_sample_t *out)
{
    const double mib = (double)NVITOP_MiB;
    const char *sc = src->devices[p->device].scope;
    const unsigned pid = p->pid;
    int rc = NVITOP_OK;
    if (host) {
        rc = metric_sample_add(out, real_value(host->cpu_percent, 1),
                               "pid:%u/host/cpu_percent (%%)", pid);
        if (!rc)
            rc = metric_sample_add(out, int_value(host->rss_bytes, mib),
                                   "pid:%u/host/host_memory (MiB)", pid);
        if (!rc)
            rc = metric_sample_add(out, real_value(host->memory_percent, 1),
                                   "pid:%u/host/host_memory_percent (%%)", pid);
        if (!rc)
            rc = metric_sample_add(out, real_value(host->running_time_s, 60.0),
                                   "pid:%u/host/running_time (min)", pid);
    }
    const nvitop_gpu_process_t *g = &p->gpu;
    if (!rc)
        rc = metric_sample_add(out, int_value(g->gpu_memory_bytes, mib),
                               "pid:%u/%s/gpu_memory (MiB)", pid, sc);
    if (!rc)
        rc = metric_sample_add(out, real_value(g->gpu_memory_percent, 1),
                               "pid:%u/%s/gpu_memory_percent (%%)", pid, sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(g->gpu_memory_utilization_percent, 1),
                               "pid:%u/%s/gpu_memory_utilization (%%)", pid, sc);
    if (!rc)
        rc = metric_sample_add(out, int_value(g->gpu_sm_utilization_percent, 1),
                               "pid:%u/%s/gpu_sm_utilization (%%)", pid, sc);
    return rc;
}

typedef struct pid_pos {
    uint32_t pid;
    size_t pos;
} pid_pos_t;

static int compare_pid_pos(const void *a, const void *b)
{
    const pid_pos_t *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Host records are read once per pid (a pid on two devices shares one CPU % sample): `first`
 * marks the first position of each pid. */
static int mark_first(const collector_source_t *src, bool *first)
{
    size_t n = src->proc_count;
    pid_pos_t *order = malloc(n * sizeof(*order));
    if (!order) return NVITOP_ENOMEM;
    for (size_t i = 0; i < n; i++)
        order[i] = (pid_pos_t){src->procs[i].pid, i};
    qsort(order, n, sizeof(*order), compare_pid_pos);
    for (size_t i = 0; i < n; i++)
        first[order[i].pos] = i == 0 || order[i - 1].pid != order[i].pid;
    free(order);
    return NVITOP_OK;
}

static int take_processes(collector_source_t *src, const host_sample_t *hsample,
                          metric_sample_t *out)
{
    int rc = gather_processes(src);
    if (rc < 0 || !src->proc_count) return rc;
    arena_t arena = {0};
    nvitop_host_process_t *hosts = calloc(src->proc_count, sizeof(*hosts));
    bool *first = calloc(src->proc_count, sizeof(*first));
    rc = hosts && first ? mark_first(src, first) : NVITOP_ENOMEM;
    for (size_t i = 0; rc == NVITOP_OK && i < src->proc_count; i++) {
        if (first[i])
            rc = host_process_fill(src->ctx, src->procs[i].pid, hsample, &arena, &hosts[i]);
        if (rc == NVITOP_OK)
            rc = take_process(src, &src->procs[i], first[i] ? &hosts[i] : NULL, out);
    }
    free(first);
    free(hosts);
    arena_fini(&arena);
    uint64_t now = nvitop_now_ns(src->ctx);
    if (now > 600 * NS_PER_SEC) host_proc_tracker_prune(&src->ctx->procs, now - 600 * NS_PER_SEC);
    return rc;
}

int collector_source_take(collector_source_t *src, metric_sample_t *out)
{
    metric_sample_reset(out);
    src->gen++;
    out->time_s = (double)nvitop_now_ns(src->ctx) / 1e9;
    out->epoch_s = (double)clock_realtime_ns() / 1e9;
    host_sample_t hsample;
    int rc = take_host(src, out, &hsample);
    for (size_t pos = 0; rc == NVITOP_OK && pos < src->device_count; pos++)
        rc = take_device(&src->devices[pos], &src->snaps[pos], out);
    if (rc == NVITOP_OK) rc = take_processes(src, &hsample, out);
    if (rc == NVITOP_OK && src->verdict_count > 1024 && src->verdict_count > 4 * src->seen_count)
        rc = verdicts_rehash(src, 0); /* drops what the last two samples did not use */
    return rc;
}
