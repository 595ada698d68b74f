/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_collector_daemonize(): a thread that opens a scope and hands each collection to a
 * callback on a fixed-rate schedule until the callback says stop (Python's
 * collect_in_background()). */
#include "core/collector_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_TAG "metrics-daemon"

struct nvitop_daemon {
    nvitop_collector_t *collector;
    bool owns_collector;
    nvitop_daemon_options_t opts; /* tag points to `tag` */
    char *tag;
    uint64_t period_ns;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* wakes the thread's sleep on stop */
    bool stop, done, joined;
};

/* Sleeps until deadline_ns (CLOCK_MONOTONIC) or a stop request; false when asked to stop. */
static bool sleep_until(nvitop_daemon_t *d, uint64_t deadline_ns)
{
    struct timespec ts = {(time_t)(deadline_ns / NS_PER_SEC), (long)(deadline_ns % NS_PER_SEC)};
    pthread_mutex_lock(&d->lock);
    while (!d->stop && clock_monotonic_ns() < deadline_ns)
        pthread_cond_timedwait(&d->cond, &d->lock, &ts);
    bool go_on = !d->stop;
    pthread_mutex_unlock(&d->lock);
    return go_on;
}

static bool stop_requested(nvitop_daemon_t *d)
{
    pthread_mutex_lock(&d->lock);
    bool stop = d->stop;
    pthread_mutex_unlock(&d->lock);
    return stop;
}

static void run_scope(nvitop_daemon_t *d)
{
    uint64_t next = clock_monotonic_ns() + d->period_ns;
    while (!stop_requested(d)) {
        nvitop_metrics_t *metrics = NULL;
        if (nvitop_collector_collect(d->collector, &metrics) < 0) break;
        bool go_on = d->opts.on_collect(metrics, d->opts.arg);
        nvitop_metrics_free(metrics);
        if (!go_on || !sleep_until(d, next)) break;
        next += d->period_ns;
    }
}

static void *daemon_thread(void *arg)
{
    nvitop_daemon_t *d = arg;
    if (d->opts.on_start) d->opts.on_start(d->collector, d->opts.arg);
    run_scope(d); /* in the scope nvitop_collector_daemonize() began */
    nvitop_collector_end(d->collector, d->tag);
    if (d->opts.on_stop) d->opts.on_stop(d->collector, d->opts.arg);
    pthread_mutex_lock(&d->lock);
    d->done = true;
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

static int daemon_init(nvitop_daemon_t *d, const nvitop_daemon_options_t *opts)
{
    d->opts = *opts;
    if (!(d->tag = strdup(opts->tag ? opts->tag : DEFAULT_TAG))) return NVITOP_ENOMEM;
    d->opts.tag = d->tag;
    double interval = nvitop_collector_interval(d->collector);
    if (opts->interval_s > 0 && opts->interval_s < interval) interval = opts->interval_s;
    d->period_ns = (uint64_t)(interval * 1e9);
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) return NVITOP_ENOMEM;
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&d->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) return NVITOP_ENOMEM;
    pthread_mutex_init(&d->lock, NULL);
    /* Begun here, not in the thread: the tag is taken before this call returns, so a second
     * daemon (or nvitop_collector_begin) with the same tag gets NVITOP_ESTATE at once. */
    rc = nvitop_collector_begin(d->collector, d->tag);
    if (rc == NVITOP_OK && pthread_create(&d->thread, NULL, daemon_thread, d) != 0) {
        nvitop_collector_end(d->collector, d->tag);
        rc = NVITOP_ENOMEM;
    }
    if (rc != NVITOP_OK) {
        pthread_cond_destroy(&d->cond);
        pthread_mutex_destroy(&d->lock);
    }
    return rc;
}

int nvitop_collector_daemonize(nvitop_collector_t *collector, const nvitop_daemon_options_t *opts,
                               nvitop_daemon_t **out)
{
    if (!opts || !opts->on_collect || !out || (opts->tag && !*opts->tag)) return NVITOP_EINVAL;
    *out = NULL;
    nvitop_daemon_t *d = calloc(1, sizeof(*d));
    if (!d) return NVITOP_ENOMEM;
    int rc = NVITOP_OK;
    if (!collector) {
        rc = nvitop_collector_new(NULL, &collector, NULL, 0);
        d->owns_collector = rc == NVITOP_OK;
    }
    d->collector = collector;
    if (rc == NVITOP_OK) rc = daemon_init(d, opts);
    if (rc < 0) {
        if (d->owns_collector) nvitop_collector_free(d->collector);
        free(d->tag);
        free(d);
        return rc;
    }
    *out = d;
    return NVITOP_OK;
}

void nvitop_daemon_stop(nvitop_daemon_t *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->lock);
    d->stop = true;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
}

bool nvitop_daemon_running(nvitop_daemon_t *d)
{
    if (!d) return false;
    pthread_mutex_lock(&d->lock);
    bool running = !d->done;
    pthread_mutex_unlock(&d->lock);
    return running;
}

int nvitop_daemon_join(nvitop_daemon_t *d)
{
    if (!d) return NVITOP_EINVAL;
    if (!d->joined) {
        pthread_join(d->thread, NULL);
        d->joined = true;
    }
    return NVITOP_OK;
}

nvitop_collector_t *nvitop_daemon_collector(nvitop_daemon_t *d)
{
    return d ? d->collector : NULL;
}

void nvitop_daemon_free(nvitop_daemon_t *d)
{
    if (!d) return;
    nvitop_daemon_stop(d);
    nvitop_daemon_join(d);
    if (d->owns_collector) nvitop_collector_free(d->collector);
    pthread_cond_destroy(&d->cond);
    pthread_mutex_destroy(&d->lock);
    free(d->tag);
    free(d);
}
