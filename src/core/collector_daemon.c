/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_collector_daemonize(): a ticker that opens a scope and hands each collection to a
 * callback on a fixed-rate schedule until the callback says stop (Python's
 * collect_in_background()). */
#include "core/collector_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/ticker.h"

#define DEFAULT_TAG "metrics-daemon"

struct nvitop_daemon {
    nvitop_collector_t *collector;
    bool owns_collector;
    nvitop_daemon_options_t opts; /* tag points to `tag` */
    char *tag;
    uint64_t period_ns;
    ticker_t *ticker;
};

static void daemon_before(void *arg)
{
    nvitop_daemon_t *d = arg;
    if (d->opts.on_start) d->opts.on_start(d->collector, d->opts.arg);
}

/* One collection handed to the callback; the next is one period after this one was due, so
 * the schedule does not drift (a late one is followed at once until caught up, as Python). The
 * first is due "at once": the ticker hands it the start time. */
static uint64_t daemon_tick(void *arg, uint64_t due)
{
    nvitop_daemon_t *d = arg;
    nvitop_metrics_t *metrics = NULL;
    if (nvitop_collector_collect(d->collector, &metrics) < 0) return TICKER_END;
    bool go_on = d->opts.on_collect(metrics, d->opts.arg);
    nvitop_metrics_free(metrics);
    return go_on ? due + d->period_ns : TICKER_END;
}

static void daemon_after(void *arg)
{
    nvitop_daemon_t *d = arg;
    nvitop_collector_end(d->collector, d->tag); /* the scope nvitop_collector_daemonize() began */
    if (d->opts.on_stop) d->opts.on_stop(d->collector, d->opts.arg);
}

static int daemon_init(nvitop_daemon_t *d, const nvitop_daemon_options_t *opts)
{
    d->opts = *opts;
    if (!(d->tag = strdup(opts->tag ? opts->tag : DEFAULT_TAG))) return NVITOP_ENOMEM;
    d->opts.tag = d->tag;
    double interval =
        opts->interval_s > 0 ? opts->interval_s : nvitop_collector_interval(d->collector);
    d->period_ns = ticker_ns(interval);
    /* Begun here, not in the thread: the tag is taken before this call returns, so a second
     * daemon (or nvitop_collector_begin) with the same tag gets NVITOP_ESTATE at once. */
    int rc = nvitop_collector_begin(d->collector, d->tag);
    ticker_config_t cfg = {
        .tick = daemon_tick, .before = daemon_before, .after = daemon_after, .arg = d, .first = 0};
    if (rc == NVITOP_OK && ticker_start(&cfg, &d->ticker) < 0) {
        nvitop_collector_end(d->collector, d->tag);
        rc = NVITOP_ENOMEM;
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
    if (d) ticker_stop(d->ticker);
}

bool nvitop_daemon_running(nvitop_daemon_t *d)
{
    return d && ticker_running(d->ticker);
}

int nvitop_daemon_join(nvitop_daemon_t *d)
{
    if (!d) return NVITOP_EINVAL;
    ticker_join(d->ticker);
    return NVITOP_OK;
}

nvitop_collector_t *nvitop_daemon_collector(nvitop_daemon_t *d)
{
    return d ? d->collector : NULL;
}

void nvitop_daemon_free(nvitop_daemon_t *d)
{
    if (!d) return;
    ticker_free(d->ticker);
    if (d->owns_collector) nvitop_collector_free(d->collector);
    free(d->tag);
    free(d);
}
