/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's sampler (sampler.h): one ticker runs the tasks on the caller's context, a
 * deadline per task; a second ticker reads the slow counters on its own context. Snapshots
 * are taken without the lock and published under it. */
#include "core/sampler.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core_internal.h"
#include "core/history.h"
#include "core/leaf.h"
#include "core/sampler_internal.h"

void sampler_config_defaults(sampler_config_t *cfg, double interval_s)
{
    bool given = interval_s > 0;
    cfg->device_period_s = given && interval_s < 1.0 ? interval_s : 1.0;
    cfg->host_period_s = given && interval_s < 1.0 ? fmin(interval_s / 3.0, 0.5) : 0.5;
    cfg->process_period_s = given ? interval_s : 2.0;
    cfg->lazy_period_s = 5.0;
    cfg->slow_period_s = 0;
    cfg->slow_query = 0;
    cfg->wake_fd = -1;
    cfg->watch_period_s = given && interval_s < 0.5 ? fmin(interval_s / 3.0, 1.0) : 0.5;
}

void shared_unref(shared_t *sh)
{
    if (sh && --sh->refs == 0) {
        nvitop_snapshot_free(sh->snap);
        free(sh);
    }
}

void sampler_wake_reader(const sampler_t *s)
{
    if (s->cfg.wake_fd < 0) return;
    ssize_t n;
    do
        n = write(s->cfg.wake_fd, "", 1);
    while (n < 0 && errno == EINTR); /* a full pipe (EAGAIN) already wakes the reader */
}

/* Publishes a snapshot of one kind (ownership moves in), or records why there is none. The
 * reader is woken once after all the tasks of a tick (sampler_tick): devices and processes
 * refreshed together make one frame, not two. */
static void publish(sampler_t *s, int kind, nvitop_snapshot_t *snap, int rc)
{
    shared_t *sh = NULL;
    if (snap && (sh = malloc(sizeof(*sh))) != NULL) {
        sh->snap = snap;
        sh->refs = 1;
    } else if (snap) {
        nvitop_snapshot_free(snap);
        rc = NVITOP_ENOMEM;
    }
    char why[256] = "";
    if (rc < 0) {
        const char *msg = nvitop_ctx_message(s->cfg.ctx);
        snprintf(why, sizeof(why), "NVML ERROR: %s", msg && *msg ? msg : nvitop_strerror(rc));
    }
    pthread_mutex_lock(&s->lock);
    if (sh) {
        shared_unref(s->latest[kind]);
        s->latest[kind] = sh;
        s->seq[kind]++;
    } else {
        s->stats.failures++;
    }
    memcpy(s->error[kind], why, sizeof(why));
    pthread_mutex_unlock(&s->lock);
}

static int take(sampler_t *s, uint64_t device_query, unsigned host_query, unsigned process_query,
                nvitop_snapshot_t **out)
{
    nvitop_snapshot_request_t req = {.device_query = device_query,
                                     .host_query = host_query,
                                     .process_query = process_query,
                                     .indices = s->indices,
                                     .index_count = s->cfg.index_count};
    return nvitop_snapshot_take(s->cfg.ctx, &req, out);
}

/* The GPU averages of the host panel from a device snapshot: used / total memory over the
 * leaf devices, their mean utilisation, total draw over total limit of the physical GPUs. */
static void gpu_averages(const nvitop_snapshot_t *snap, double avg[3])
{
    double used = 0, total = 0, util = 0, draw = 0, limit = 0;
    unsigned n_util = 0;
    for (size_t i = 0; snap && i < snap->device_count; i++) {
        const nvitop_device_snapshot_t *d = &snap->devices[i];
        if (!d->is_mig && NVITOP_HAS(d->power_usage_mw) && NVITOP_HAS(d->power_limit_mw)) {
            draw += (double)d->power_usage_mw.value;
            limit += (double)d->power_limit_mw.value;
        }
        if (!snapshot_device_is_leaf(snap, i)) continue;
        if (NVITOP_HAS(d->memory_used_bytes) && NVITOP_HAS(d->memory_total_bytes)) {
            used += (double)d->memory_used_bytes.value;
            total += (double)d->memory_total_bytes.value;
        }
        if (NVITOP_HAS(d->gpu_utilization_percent)) {
            util += (double)d->gpu_utilization_percent.value;
            n_util++;
        }
    }
    avg[0] = total > 0 ? 100.0 * used / total : NAN;
    avg[1] = n_util ? util / n_util : NAN;
    avg[2] = limit > 0 ? 100.0 * draw / limit : NAN;
}

static double real_or_nan(nvitop_real_t v)
{
    return NVITOP_HAS(v) ? v.value : NAN;
}

static double int_or_nan(nvitop_int_t v)
{
    return NVITOP_HAS(v) ? (double)v.value : NAN;
}

static void free_histories(history_t *h, size_t count)
{
    for (size_t i = 0; h && i < count; i++)
        history_fini(&h[i]);
}

/* Per-device graphs, sized to the device snapshot (a new MIG layout starts them again). */
static void feed_devices(sampler_t *s, const nvitop_snapshot_t *snap, uint64_t now)
{
    if (s->dev_count != snap->device_count) {
        history_t *h = calloc(snap->device_count * 3 + 1, sizeof(*h));
        if (!h) return;
        free_histories(s->dev_hist, s->dev_count * 3);
        free(s->dev_hist);
        s->dev_hist = h;
        s->dev_count = snap->device_count;
        for (size_t i = 0; i < s->dev_count * 3; i++)
            history_init(&s->dev_hist[i], now, NS_PER_SEC);
    }
    for (size_t i = 0; i < s->dev_count; i++) {
        const nvitop_device_snapshot_t *d = &snap->devices[i];
        history_add(&s->dev_hist[3 * i], real_or_nan(d->memory_percent), now);
        history_add(&s->dev_hist[3 * i + 1], int_or_nan(d->gpu_utilization_percent), now);
        history_add(&s->dev_hist[3 * i + 2], real_or_nan(d->power_percent), now);
    }
}

static void task_devices(sampler_t *s, uint64_t now)
{
    pthread_mutex_lock(&s->lock);
    uint64_t query = s->device_query;
    shared_t *prev = s->latest[KIND_DEVICES];
    if (prev) prev->refs++;
    pthread_mutex_unlock(&s->lock);

    bool lazy = !prev || now >= s->next_lazy;
    if (lazy) s->next_lazy = now + ticker_ns(s->cfg.lazy_period_s);
    nvitop_snapshot_t *snap = NULL;
    int rc = take(s, query | (lazy ? s->cfg.lazy_query : 0), 0, 0, &snap);
    if (rc == 0 && !lazy && prev && prev->snap->device_count == snap->device_count)
        for (size_t i = 0; i < snap->device_count; i++)
            device_snapshot_carry(&snap->devices[i], &prev->snap->devices[i],
                                  s->cfg.lazy_query & ~query);
    pthread_mutex_lock(&s->lock);
    shared_unref(prev);
    if (rc == 0) {
        feed_devices(s, snap, now);
        s->stats.devices++;
    }
    pthread_mutex_unlock(&s->lock);
    publish(s, KIND_DEVICES, snap, rc);
}

static void task_host(sampler_t *s, uint64_t now)
{
    nvitop_snapshot_t *snap = NULL;
    int rc = take(s, 0, HOST_QUERY, 0, &snap);
    pthread_mutex_lock(&s->lock);
    if (rc == 0) {
        const nvitop_host_snapshot_t *h = &snap->host;
        history_add(&s->host_hist[0], real_or_nan(h->cpu_percent), now);
        history_add(&s->host_hist[1], real_or_nan(h->memory_percent), now);
        history_add(&s->host_hist[2], real_or_nan(h->swap_percent), now);
        double avg[3];
        gpu_averages(s->latest[KIND_DEVICES] ? s->latest[KIND_DEVICES]->snap : NULL, avg);
        for (int i = 0; i < 3; i++)
            history_add(&s->avg_hist[i], avg[i], now);
        s->stats.host++;
    }
    pthread_mutex_unlock(&s->lock);
    publish(s, KIND_HOST, snap, rc);
}

static void task_processes(sampler_t *s)
{
    nvitop_snapshot_t *snap = NULL;
    pthread_mutex_lock(&s->lock);
    unsigned query = NVITOP_PQ_ALL | (s->workloads_on ? NVITOP_PQ_WORKLOAD : 0);
    pthread_mutex_unlock(&s->lock);
    int rc = take(s, 0, 0, query, &snap);
    pthread_mutex_lock(&s->lock);
    if (rc == 0) s->stats.processes++;
    pthread_mutex_unlock(&s->lock);
    publish(s, KIND_PROCESSES, snap, rc);
}

/* Slow counters are read for their own sake (nothing shows them yet): they are only counted,
 * so the driver's cost stays measurable. They run on their own ticker and context, one GPU at
 * a time, so a 20 ms driver call never delays a device refresh and a stop waits for one GPU's
 * calls at most. Returns whether every GPU answered. */
static bool slow_round(sampler_t *s)
{
    unsigned count = (unsigned)s->cfg.index_count;
    if (!s->indices && nvitop_device_count(s->slow_ctx, &count) < 0) return false;
    bool ok = true;
    for (unsigned i = 0; i < count && !ticker_stopping(s->slow_ticker); i++) {
        unsigned index = s->indices ? s->indices[i] : i;
        nvitop_snapshot_request_t req = {
            .device_query = s->cfg.slow_query, .indices = &index, .index_count = 1};
        nvitop_snapshot_t *snap = NULL;
        ok = nvitop_snapshot_take(s->slow_ctx, &req, &snap) == 0 && ok;
        nvitop_snapshot_free(snap);
    }
    return ok;
}

static uint64_t slow_tick(void *arg, uint64_t due)
{
    sampler_t *s = arg;
    if (slow_round(s) && !ticker_stopping(s->slow_ticker)) {
        pthread_mutex_lock(&s->lock);
        s->stats.slow++;
        pthread_mutex_unlock(&s->lock);
    }
    return ticker_next(due, ticker_ns(s->cfg.slow_period_s));
}

static uint64_t period_of(const sampler_t *s, int task)
{
    switch (task) {
    case TASK_HOST:
        return ticker_ns(s->cfg.host_period_s);
    case TASK_DEVICES:
        return ticker_ns(s->cfg.device_period_s);
    case TASK_PROCESSES:
        return ticker_ns(s->cfg.process_period_s);
    case TASK_WATCH: /* under the lock */
        return s->watching && !s->watch_ended ? ticker_ns(s->cfg.watch_period_s) : 0;
    default: /* the tree follows the processes; environments are read when asked for; the
              * slow counters have their own ticker */
        return 0;
    }
}

/* The tasks due now: those asked for and those whose deadline has passed. Their next
 * deadlines count from now, so a slow round does not pile up rounds. */
static unsigned take_due(sampler_t *s, uint64_t now)
{
    pthread_mutex_lock(&s->lock);
    unsigned due = s->requested;
    s->requested = 0;
    for (int t = 0; t < TASK__COUNT; t++)
        if (period_of(s, t) && now >= s->next[t]) due |= 1U << t;
    for (int t = 0; t < TASK__COUNT; t++)
        if (due & (1U << t)) s->next[t] = now + period_of(s, t);
    pthread_mutex_unlock(&s->lock);
    return due;
}

/* The first deadline of the tasks that have a period. */
static uint64_t first_deadline(sampler_t *s)
{
    uint64_t first = TICKER_IDLE;
    pthread_mutex_lock(&s->lock);
    for (int t = 0; t < TASK__COUNT; t++)
        if (period_of(s, t) && s->next[t] < first) first = s->next[t];
    pthread_mutex_unlock(&s->lock);
    return first;
}

static uint64_t sampler_tick(void *arg, uint64_t scheduled)
{
    (void)scheduled; /* each task keeps its own deadline */
    sampler_t *s = arg;
    uint64_t now = clock_monotonic_ns();
    unsigned due = take_due(s, now);
    if (due & SAMPLER_DEVICES) task_devices(s, now);
    if (due & SAMPLER_HOST) task_host(s, clock_monotonic_ns());
    if (due & SAMPLER_PROCESSES) task_processes(s);
    if (due & (SAMPLER_DEVICES | SAMPLER_HOST | SAMPLER_PROCESSES)) sampler_wake_reader(s);
    if (due & (SAMPLER_PROCESSES | SAMPLER_TREE)) sampler_task_tree(s); /* when on */
    if (due & SAMPLER_WATCH) sampler_task_watch(s, clock_monotonic_ns());
    if (due & SAMPLER_ENVIRON) sampler_task_environ(s);
    return first_deadline(s);
}

void sampler_kick(sampler_t *s)
{
    ticker_kick(s->ticker);
}

static void read_identity(sampler_t *s)
{
    nvitop_host_snapshot_t *h = NULL;
    snprintf(s->hostname, sizeof(s->hostname), NVITOP_NA_TEXT);
    snprintf(s->username, sizeof(s->username), NVITOP_NA_TEXT);
    if (nvitop_host_query(s->cfg.ctx, NVITOP_HQ_IDENTITY, &h) == 0) {
        if (NVITOP_HAS(h->hostname)) str_copy(s->hostname, sizeof(s->hostname), h->hostname.value);
        if (NVITOP_HAS(h->username)) str_copy(s->username, sizeof(s->username), h->username.value);
    }
    nvitop_host_snapshot_free(h);
}

/* The slow ticker's context: the same library, /proc and clock as the caller's. */
static int open_slow_ctx(sampler_t *s)
{
    const nvitop_ctx_t *ctx = s->cfg.ctx;
    nvitop_options_t opts = {.nvml_library = ctx->nvml_path,
                             .proc_root = ctx->proc_root,
                             .clock = ctx->clock,
                             .clock_arg = ctx->clock_arg};
    int rc = NVITOP_ENOMEM;
    s->slow_ctx = nvitop_ctx_new(&opts, &rc);
    if (!s->slow_ctx) return rc < 0 ? rc : NVITOP_ENOMEM;
    return nvitop_init(s->slow_ctx);
}

/* Starts the tickers: every task at once (processes are due), the slow counters when asked. */
static int start_tickers(sampler_t *s)
{
    bool slow = s->cfg.slow_query && s->cfg.slow_period_s > 0;
    int rc = slow ? open_slow_ctx(s) : NVITOP_OK;
    if (rc < 0) return rc;
    ticker_config_t main_cfg = {.tick = sampler_tick, .arg = s, .first = 0};
    if (ticker_start(&main_cfg, &s->ticker) < 0) return NVITOP_ENOMEM;
    ticker_config_t slow_cfg = {.tick = slow_tick, .arg = s, .first = 0};
    if (slow && ticker_start(&slow_cfg, &s->slow_ticker) < 0) return NVITOP_ENOMEM;
    return NVITOP_OK;
}

/* Stops both tickers together, then joins them. */
static void stop_tickers(sampler_t *s)
{
    if (s->ticker) ticker_stop(s->ticker);
    if (s->slow_ticker) ticker_stop(s->slow_ticker);
    ticker_free(s->ticker);
    ticker_free(s->slow_ticker);
    nvitop_ctx_free(s->slow_ctx);
    s->ticker = s->slow_ticker = NULL;
    s->slow_ctx = NULL;
}

static void free_state(sampler_t *s)
{
    for (int k = 0; k < KIND__COUNT; k++)
        shared_unref(s->latest[k]);
    sampler_screens_fini(s);
    free_histories(s->dev_hist, s->dev_count * 3);
    free_histories(s->host_hist, 3);
    free_histories(s->avg_hist, 3);
    free(s->dev_hist);
    free(s->indices);
    proc_filter_fini(&s->filter);
    free(s);
}

int sampler_start(const sampler_config_t *cfg, sampler_t **out)
{
    if (!out) return NVITOP_EINVAL;
    *out = NULL;
    if (!cfg || !cfg->ctx || (cfg->index_count && !cfg->indices)) return NVITOP_EINVAL;
    sampler_t *s = calloc(1, sizeof(*s));
    if (!s) return NVITOP_ENOMEM;
    s->cfg = *cfg;
    s->device_query = cfg->device_query;
    if (cfg->index_count) {
        if (!(s->indices = calloc(cfg->index_count, sizeof(*s->indices)))) {
            free(s);
            return NVITOP_ENOMEM;
        }
        memcpy(s->indices, cfg->indices, cfg->index_count * sizeof(*s->indices));
    }
    s->cfg.indices = s->indices;
    if (proc_filter_copy(&s->filter, cfg->filter) < 0) {
        free_state(s);
        return NVITOP_ENOMEM;
    }
    s->cfg.filter = &s->filter;
    if (pthread_mutex_init(&s->lock, NULL) != 0) {
        free_state(s);
        return NVITOP_ENOMEM;
    }
    uint64_t now = clock_monotonic_ns();
    for (int i = 0; i < 3; i++) {
        history_init(&s->host_hist[i], now, NS_PER_SEC);
        history_init(&s->avg_hist[i], now, NS_PER_SEC);
    }
    read_identity(s);
    /* The first snapshots, here: the caller lays its screen out from them. */
    task_devices(s, now);
    int rc = s->latest[KIND_DEVICES] ? NVITOP_OK : NVITOP_ENVML; /* the context says why */
    if (rc == NVITOP_OK) {
        task_host(s, now);
        for (int t = 0; t < TASK__COUNT; t++)
            s->next[t] = t == TASK_PROCESSES ? now : now + period_of(s, t);
        rc = start_tickers(s);
    }
    if (rc < 0) {
        stop_tickers(s);
        pthread_mutex_destroy(&s->lock);
        free_state(s);
        return rc;
    }
    *out = s;
    return 0;
}

void sampler_stop(sampler_t *s)
{
    if (!s) return;
    stop_tickers(s);
    pthread_mutex_destroy(&s->lock);
    free_state(s);
}

void sampler_refresh(sampler_t *s, unsigned tasks)
{
    pthread_mutex_lock(&s->lock);
    s->requested |= tasks & ~(unsigned)SAMPLER_SLOW;
    pthread_mutex_unlock(&s->lock);
    ticker_kick(s->ticker);
    if ((tasks & SAMPLER_SLOW) && s->slow_ticker) ticker_kick(s->slow_ticker);
}

void sampler_set_workloads(sampler_t *s, bool on)
{
    pthread_mutex_lock(&s->lock);
    s->workloads_on = on;
    pthread_mutex_unlock(&s->lock);
    sampler_refresh(s, SAMPLER_PROCESSES);
}

void sampler_set_device_query(sampler_t *s, uint64_t device_query)
{
    pthread_mutex_lock(&s->lock);
    s->device_query = device_query;
    pthread_mutex_unlock(&s->lock);
}

void sampler_acquire(sampler_t *s, sampler_view_t *v)
{
    memset(v, 0, sizeof(*v));
    pthread_mutex_lock(&s->lock);
    const nvitop_snapshot_t **slots[KIND__COUNT] = {&v->devices, &v->host, &v->processes};
    uint64_t *seqs[KIND__COUNT] = {&v->devices_seq, &v->host_seq, &v->processes_seq};
    for (int k = 0; k < KIND__COUNT; k++) {
        shared_t *sh = s->latest[k];
        if (sh) {
            sh->refs++;
            *slots[k] = sh->snap;
        }
        v->refs_[k] = sh;
        *seqs[k] = s->seq[k];
        if (!v->error[0] && s->error[k][0]) memcpy(v->error, s->error[k], sizeof(v->error));
    }
    pthread_mutex_unlock(&s->lock);
}

void sampler_release(sampler_t *s, sampler_view_t *v)
{
    pthread_mutex_lock(&s->lock);
    for (int k = 0; k < KIND__COUNT; k++)
        shared_unref(v->refs_[k]);
    pthread_mutex_unlock(&s->lock);
    memset(v, 0, sizeof(*v));
}

size_t sampler_history(sampler_t *s, sampler_metric_t metric, int device, float *out, size_t n,
                       double *last, uint64_t *added)
{
    size_t got = 0;
    *last = NAN;
    pthread_mutex_lock(&s->lock);
    const history_t *h = NULL;
    if (metric >= SAMPLER_PROC_CPU && metric < SAMPLER_METRIC__COUNT)
        h = &s->proc_hist[metric - SAMPLER_PROC_CPU];
    else if (metric < SAMPLER_GPU_MEM)
        h = &s->host_hist[metric];
    else if (device < 0)
        h = &s->avg_hist[metric - SAMPLER_GPU_MEM];
    else if ((size_t)device < s->dev_count && metric <= SAMPLER_GPU_PWR)
        h = &s->dev_hist[3 * (size_t)device + (size_t)(metric - SAMPLER_GPU_MEM)];
    if (h) {
        got = history_recent(h, out, n);
        *last = history_last(h);
    }
    if (added) *added = h ? h->added : 0;
    pthread_mutex_unlock(&s->lock);
    return got;
}

const char *sampler_hostname(const sampler_t *s)
{
    return s->hostname;
}

const char *sampler_username(const sampler_t *s)
{
    return s->username;
}

void sampler_get_stats(sampler_t *s, sampler_stats_t *out)
{
    pthread_mutex_lock(&s->lock);
    *out = s->stats;
    pthread_mutex_unlock(&s->lock);
}
