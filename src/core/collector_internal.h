/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's pieces: a sample (keys and values of one moment), the statistics of one
 * scope (collector_stats.c, pure arithmetic on given timestamps), and the sampling of devices,
 * host and processes on the collector's own context (collector_sample.c). */
#ifndef NVITOP_CORE_COLLECTOR_INTERNAL_H
#define NVITOP_CORE_COLLECTOR_INTERNAL_H

#include <nvitop.h>

#include "util/util.h"

/* ---- a sample: "<scope>/<metric (unit)>" -> value (NaN when not available) ---- */

typedef struct metric_sample {
    strbuf_t keys;   /* the keys, each NUL-terminated, back to back */
    size_t *offsets; /* of each key in `keys` */
    double *values;  /* NaN: not available */
    size_t count, cap;
    double time_s;  /* the collector's clock (monotonic), seconds */
    double epoch_s; /* Unix time */
} metric_sample_t;

void metric_sample_reset(metric_sample_t *s);
/* Appends a key written printf-style and its value. Returns 0 or NVITOP_ENOMEM. */
int metric_sample_add(metric_sample_t *s, double value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline const char *metric_sample_key(const metric_sample_t *s, size_t i)
{
    return s->keys.data + s->offsets[i];
}
void metric_sample_fini(metric_sample_t *s);

/* ---- the statistics of one scope (Python's _MetricBuffer and _StatisticsMaintainer) ---- */

typedef struct stats_buffer stats_buffer_t;

/* A scope begun at `now_s` (the collector's clock) and `epoch_s` (Unix time). max_series
 * bounds the number of series (see nvitop_collector_options_t). NULL when out of memory. */
stats_buffer_t *stats_buffer_new(const char *prefix, double now_s, double epoch_s,
                                 size_t max_series);
void stats_buffer_free(stats_buffer_t *b);
const char *stats_buffer_prefix(const stats_buffer_t *b);
/* Adds one sample: each key present gets its value (NaN marks a gap), each series absent gets a
 * gap. Returns 0 or NVITOP_ENOMEM (the sample is then partly recorded). */
int stats_buffer_add(stats_buffer_t *b, const metric_sample_t *sample);
/* Forgets every series; the scope starts again at now_s. */
void stats_buffer_clear(stats_buffer_t *b, double now_s, double epoch_s);
/* The collection at now_s / epoch_s, appended to `out` (keys in its arena). Returns 0 or
 * NVITOP_ENOMEM. */
typedef struct metrics_builder {
    arena_t arena;
    nvitop_metric_t *items;
    size_t count, cap;
} metrics_builder_t;
int stats_buffer_collect(const stats_buffer_t *b, double now_s, double epoch_s,
                         metrics_builder_t *out);
/* Hands the built collection to the caller as one nvitop_metrics_t (NULL: out of memory; the
 * builder is released either way). */
nvitop_metrics_t *metrics_builder_take(metrics_builder_t *mb);
void metrics_builder_fini(metrics_builder_t *mb);
/* Number of series held, and samples added since begin or clear. */
size_t stats_buffer_series(const stats_buffer_t *b);
size_t stats_buffer_samples(const stats_buffer_t *b);

/* ---- sampling on the collector's context ---- */

typedef struct collector_source collector_source_t;

typedef struct collector_source_config {
    nvitop_ctx_t *ctx; /* initialised; owned by the caller, used only by collector_source_take */
    const nvitop_collector_options_t *opts;
} collector_source_config_t;

/* Resolves the devices (scopes, leaf devices) and root pids. Returns 0, NVITOP_EINVAL,
 * NVITOP_ENOTFOUND (message in the context) or NVITOP_ENOMEM. */
int collector_source_new(const collector_source_config_t *cfg, collector_source_t **out);
void collector_source_free(collector_source_t *src);
/* Takes one sample into *out (reset first): host, every device, every GPU process of the leaf
 * devices that descends from a root pid. Time stamps from the context's clock and the wall
 * clock. Returns 0 or NVITOP_ENOMEM; driver failures become NaN values. */
int collector_source_take(collector_source_t *src, metric_sample_t *out);
/* The pids of the processes the last take included (see nvitop_collector_last_pids()): up to
 * len copied into pids; returns how many there are. */
size_t collector_source_pids(const collector_source_t *src, uint32_t *pids, size_t len);

/* ---- the collector object (collector.c), for the daemon ---- */

/* Whether a scope with this tag is open now. */
bool collector_has_tag(nvitop_collector_t *collector, const char *tag);

#endif
