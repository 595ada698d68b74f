/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_collector_*: the scope stack (nested tags), the sampling ticker and collections.
 * Two locks: `sample_lock` serialises the collector's context (one sample at a time, in time
 * order), `lock` guards the scopes and is never held across a driver call or a /proc read.
 * Lock order: sample_lock, then lock. */
#include "core/collector_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/ticker.h"

struct nvitop_collector {
    nvitop_ctx_t *ctx;
    collector_source_t *src;
    double interval_s;
    bool manual;
    size_t max_series;

    pthread_mutex_t sample_lock; /* ctx, src and `sample` */
    metric_sample_t sample;

    pthread_mutex_t lock; /* everything below */
    stats_buffer_t **scopes;
    char **tags;
    size_t depth, cap;
    double last_sample_s; /* collector clock */
    bool force_sample;    /* set by begin: the next collection samples first */
    ticker_t *ticker;     /* samples while a scope is open; started by the first begin */
    bool ticker_idle;     /* it waits for a scope to open */
    char message[256];
};

void nvitop_collector_options_init(nvitop_collector_options_t *opts)
{
    if (!opts) return;
    memset(opts, 0, sizeof(*opts));
    opts->interval_s = 1.0;
}

static double now_s(const nvitop_collector_t *c)
{
    return (double)nvitop_now_ns(c->ctx) / 1e9;
}

static double epoch_s(void)
{
    return (double)clock_realtime_ns() / 1e9;
}

/* Records the message of a failing call (under `lock`) and returns code. */
static int fail(nvitop_collector_t *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(nvitop_collector_t *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof(c->message), fmt, ap);
    va_end(ap);
    return code;
}

static void set_msg(char *msg, size_t len, const char *text)
{
    if (msg && len) snprintf(msg, len, "%s", text);
}

static int init_sync(nvitop_collector_t *c)
{
    if (pthread_mutex_init(&c->lock, NULL) != 0) return NVITOP_ENOMEM;
    if (pthread_mutex_init(&c->sample_lock, NULL) != 0) {
        pthread_mutex_destroy(&c->lock);
        return NVITOP_ENOMEM;
    }
    return NVITOP_OK;
}

int nvitop_collector_new(const nvitop_collector_options_t *opts, nvitop_collector_t **out,
                         char *msg, size_t msg_len)
{
    nvitop_collector_options_t defaults;
    nvitop_collector_options_init(&defaults);
    if (!opts) opts = &defaults;
    if (!out) return NVITOP_EINVAL;
    *out = NULL;
    if (!(opts->interval_s > 0) || isinf(opts->interval_s)) {
        set_msg(msg, msg_len, "Invalid argument interval: must be a positive number.");
        return NVITOP_EINVAL;
    }
    int rc = NVITOP_OK;
    nvitop_ctx_t *ctx = nvitop_ctx_new(opts->context, &rc);
    if (!ctx) return rc < 0 ? rc : NVITOP_ENOMEM;
    nvitop_collector_t *c = calloc(1, sizeof(*c));
    if (!c) rc = NVITOP_ENOMEM;
    if (rc == NVITOP_OK) {
        c->ctx = ctx;
        c->interval_s = opts->interval_s;
        c->manual = opts->manual_sampling;
        c->max_series = opts->max_series;
        rc = nvitop_init(ctx);
    }
    if (rc == NVITOP_OK) {
        collector_source_config_t cfg = {.ctx = ctx, .opts = opts};
        rc = collector_source_new(&cfg, &c->src);
    }
    if (rc == NVITOP_OK) rc = init_sync(c);
    if (rc < 0) {
        const char *why = nvitop_ctx_message(ctx);
        set_msg(msg, msg_len, why && *why ? why : nvitop_strerror(rc));
        if (c) collector_source_free(c->src);
        free(c);
        nvitop_ctx_free(ctx);
        return rc;
    }
    *out = c;
    return NVITOP_OK;
}

static void pop_scope(nvitop_collector_t *c)
{
    c->depth--;
    stats_buffer_free(c->scopes[c->depth]);
    free(c->tags[c->depth]);
}

void nvitop_collector_free(nvitop_collector_t *c)
{
    if (!c) return;
    ticker_free(c->ticker); /* after the sample in progress */
    while (c->depth)
        pop_scope(c);
    free(c->scopes);
    free(c->tags);
    metric_sample_fini(&c->sample);
    collector_source_free(c->src);
    nvitop_ctx_free(c->ctx);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->sample_lock);
    free(c);
}

/* Takes one sample and adds it to every open scope. */
static int sample_now(nvitop_collector_t *c)
{
    pthread_mutex_lock(&c->sample_lock);
    int rc = collector_source_take(c->src, &c->sample);
    if (rc == NVITOP_OK) {
        pthread_mutex_lock(&c->lock);
        for (size_t i = 0; i < c->depth; i++) {
            int add = stats_buffer_add(c->scopes[i], &c->sample);
            if (add < 0) rc = add;
        }
        c->last_sample_s = c->sample.time_s;
        c->force_sample = false;
        pthread_mutex_unlock(&c->lock);
    }
    pthread_mutex_unlock(&c->sample_lock);
    return rc;
}

/* The sampling ticker: a sample every interval while a scope is open (Python's _target),
 * idle while none is (begin kicks it). */
static uint64_t sampling_tick(void *arg, uint64_t scheduled)
{
    (void)scheduled;
    nvitop_collector_t *c = arg;
    pthread_mutex_lock(&c->lock);
    bool open = c->depth > 0;
    c->ticker_idle = !open;
    pthread_mutex_unlock(&c->lock);
    if (!open) return TICKER_IDLE;
    uint64_t start = clock_monotonic_ns(), period = ticker_ns(c->interval_s);
    sample_now(c);
    /* A sample slower than the interval must not keep sample_lock busy for good: rest at
     * least as long as it took, so callers of collect() and sample() get their turn. */
    uint64_t took = clock_monotonic_ns() - start;
    return start + (period > 2 * took ? period : 2 * took);
}

/* Starts the sampling ticker at the first scope, wakes it when a scope opens while it idles
 * (under `lock`). Returns 0 or NVITOP_ENOMEM. */
static int wake_sampling(nvitop_collector_t *c)
{
    if (c->manual) return NVITOP_OK;
    if (!c->ticker) {
        ticker_config_t cfg = {.tick = sampling_tick, .arg = c, .first = 0};
        return ticker_start(&cfg, &c->ticker) == 0 ? NVITOP_OK : NVITOP_ENOMEM;
    }
    if (c->ticker_idle) {
        c->ticker_idle = false;
        ticker_kick(c->ticker);
    }
    return NVITOP_OK;
}

static bool find_tag(const nvitop_collector_t *c, const char *tag)
{
    for (size_t i = 0; i < c->depth; i++)
        if (strcmp(c->tags[i], tag) == 0) return true;
    return false;
}

bool collector_has_tag(nvitop_collector_t *c, const char *tag)
{
    pthread_mutex_lock(&c->lock);
    bool found = find_tag(c, tag);
    pthread_mutex_unlock(&c->lock);
    return found;
}

static int push_scope(nvitop_collector_t *c, const char *tag)
{
    if (c->depth == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 4;
        stats_buffer_t **scopes = realloc(c->scopes, cap * sizeof(*scopes));
        if (!scopes) return NVITOP_ENOMEM;
        c->scopes = scopes;
        char **tags = realloc(c->tags, cap * sizeof(*tags));
        if (!tags) return NVITOP_ENOMEM;
        c->tags = tags;
        c->cap = cap;
    }
    strbuf_t prefix = {0};
    if (c->depth) strbuf_printf(&prefix, "%s/", stats_buffer_prefix(c->scopes[c->depth - 1]));
    char *copy = strdup(tag);
    stats_buffer_t *b = NULL;
    if (copy && strbuf_puts(&prefix, tag) == 0)
        b = stats_buffer_new(prefix.data, now_s(c), epoch_s(), c->max_series);
    strbuf_fini(&prefix);
    if (!b) {
        free(copy);
        return NVITOP_ENOMEM;
    }
    c->scopes[c->depth] = b;
    c->tags[c->depth++] = copy;
    return NVITOP_OK;
}

int nvitop_collector_begin(nvitop_collector_t *c, const char *tag)
{
    if (!c) return NVITOP_EINVAL;
    pthread_mutex_lock(&c->lock);
    int rc = NVITOP_OK;
    if (!tag || !*tag)
        rc = fail(c, NVITOP_EINVAL, "A tag must be a non-empty string.");
    else if (find_tag(c, tag))
        rc = fail(c, NVITOP_ESTATE, "Resource metric collector is already started with tag \"%s\"",
                  tag);
    else
        rc = push_scope(c, tag);
    if (rc == NVITOP_OK) {
        c->force_sample = true;
        if (wake_sampling(c) < 0) {
            pop_scope(c);
            rc = fail(c, NVITOP_ENOMEM, "Cannot start the sampling thread.");
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Finds the scope `tag` (NULL: the innermost) under `lock`: 0 with *at set, 1 when no scope is
 * open and tag is NULL (a no-op, as Python), or NVITOP_ESTATE with the message. */
static int scope_of(nvitop_collector_t *c, const char *tag, size_t *at)
{
    if (!c->depth)
        return tag ? fail(c, NVITOP_ESTATE, "Resource metric collector has not been started yet.")
                   : 1;
    for (size_t i = 0; i < c->depth; i++) {
        if (tag ? strcmp(c->tags[i], tag) == 0 : i + 1 == c->depth) {
            *at = i;
            return NVITOP_OK;
        }
    }
    return fail(c, NVITOP_ESTATE, "Resource metric collector has not been started with tag \"%s\".",
                tag);
}

int nvitop_collector_end(nvitop_collector_t *c, const char *tag)
{
    if (!c) return NVITOP_EINVAL;
    pthread_mutex_lock(&c->lock);
    size_t at = 0;
    int rc = scope_of(c, tag, &at);
    while (rc == NVITOP_OK && c->depth > at)
        pop_scope(c);
    pthread_mutex_unlock(&c->lock);
    return rc < 0 ? rc : NVITOP_OK;
}

int nvitop_collector_clear(nvitop_collector_t *c, const char *tag)
{
    if (!c) return NVITOP_EINVAL;
    pthread_mutex_lock(&c->lock);
    size_t at = 0;
    int rc = scope_of(c, tag, &at);
    if (rc == NVITOP_OK) {
        double now = now_s(c), epoch = epoch_s();
        for (size_t i = at; i < c->depth; i++)
            stats_buffer_clear(c->scopes[i], now, epoch);
    }
    pthread_mutex_unlock(&c->lock);
    return rc < 0 ? rc : NVITOP_OK;
}

int nvitop_collector_collect(nvitop_collector_t *c, nvitop_metrics_t **out)
{
    if (!c || !out) return NVITOP_EINVAL;
    *out = NULL;
    pthread_mutex_lock(&c->lock);
    bool open = c->depth > 0;
    bool stale = c->force_sample || now_s(c) - c->last_sample_s > c->interval_s / 2.0;
    int rc = open ? NVITOP_OK
                  : fail(c, NVITOP_ESTATE, "Resource metric collector has not been started yet.");
    pthread_mutex_unlock(&c->lock);
    if (rc < 0) return rc;
    if (stale && sample_now(c) == NVITOP_ENOMEM) return NVITOP_ENOMEM;

    metrics_builder_t mb = {0};
    pthread_mutex_lock(&c->lock);
    if (!c->depth)
        rc = fail(c, NVITOP_ESTATE, "Resource metric collector has not been started yet.");
    else
        rc = stats_buffer_collect(c->scopes[c->depth - 1], now_s(c), epoch_s(), &mb);
    pthread_mutex_unlock(&c->lock);
    if (rc < 0) {
        metrics_builder_fini(&mb);
        return rc;
    }
    *out = metrics_builder_take(&mb);
    return *out ? NVITOP_OK : NVITOP_ENOMEM;
}

int nvitop_collector_sample(nvitop_collector_t *c)
{
    return c ? sample_now(c) : NVITOP_EINVAL;
}

int nvitop_collector_last_pids(nvitop_collector_t *c, uint32_t *pids, size_t len)
{
    if (!c || (!pids && len)) return NVITOP_EINVAL;
    pthread_mutex_lock(&c->sample_lock);
    size_t count = collector_source_pids(c->src, pids, len);
    pthread_mutex_unlock(&c->sample_lock);
    return count > INT32_MAX ? INT32_MAX : (int)count;
}

int nvitop_collector_prefix(nvitop_collector_t *c, char *buf, size_t len)
{
    if (!c) return NVITOP_EINVAL;
    pthread_mutex_lock(&c->lock);
    int depth = (int)c->depth;
    if (buf && len)
        snprintf(buf, len, "%s", depth ? stats_buffer_prefix(c->scopes[depth - 1]) : "");
    pthread_mutex_unlock(&c->lock);
    return depth;
}

char *nvitop_collector_message(nvitop_collector_t *c, char *buf, size_t len)
{
    if (!buf || !len) return buf;
    buf[0] = '\0';
    if (!c) return buf;
    pthread_mutex_lock(&c->lock);
    snprintf(buf, len, "%s", c->message);
    pthread_mutex_unlock(&c->lock);
    return buf;
}

double nvitop_collector_interval(const nvitop_collector_t *c)
{
    return c ? c->interval_s : 0.0;
}
