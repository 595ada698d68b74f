/* SPDX-License-Identifier: Apache-2.0 */
/* The statistics of one collector scope, Python nvitop's maths: per series a trapezoid
 * integral over its valid samples, min, max and last; gaps (N/A values, absent keys) end the
 * extrapolation of the mean. Pure: every timestamp is given by the caller. */
#include "core/collector_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_SERIES 16384
#define RUNNING_TIME_SUFFIX "host/running_time (min)"

typedef struct series {
    char *key;
    double start_s; /* the scope's previous sample time when the key first appeared */
    double last_s;  /* time of the last valid sample */
    double integral, last, min, max;
    bool have_value, has_nan;
    uint64_t seen_gen; /* the last sample holding the key */
    double seen_s;
} series_t;

struct stats_buffer {
    char *prefix;
    double start_s, last_s, last_epoch_s;
    size_t samples;
    uint64_t gen;
    size_t max_series;
    series_t *series; /* in order of first appearance */
    size_t count, cap;
    uint32_t *index; /* open addressing: 0 empty, else position + 1 */
    size_t index_cap;
};

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void index_put(stats_buffer_t *b, size_t pos)
{
    size_t mask = b->index_cap - 1, i = hash_key(b->series[pos].key) & mask;
    while (b->index[i])
        i = (i + 1) & mask;
    b->index[i] = (uint32_t)(pos + 1);
}

/* Rebuilds the index for at least `need` series (capacity a power of two, half full at most). */
static int index_rebuild(stats_buffer_t *b, size_t need)
{
    size_t cap = b->index_cap ? b->index_cap : 64;
    while (cap < 2 * need)
        cap *= 2;
    if (cap != b->index_cap) {
        uint32_t *index = calloc(cap, sizeof(*index));
        if (!index) return NVITOP_ENOMEM;
        free(b->index);
        b->index = index;
        b->index_cap = cap;
    } else {
        memset(b->index, 0, cap * sizeof(*b->index));
    }
    for (size_t pos = 0; pos < b->count; pos++)
        index_put(b, pos);
    return NVITOP_OK;
}

static series_t *series_find(const stats_buffer_t *b, const char *key)
{
    if (!b->index_cap) return NULL;
    size_t mask = b->index_cap - 1, i = hash_key(key) & mask;
    for (; b->index[i]; i = (i + 1) & mask) {
        series_t *s = &b->series[b->index[i] - 1];
        if (strcmp(s->key, key) == 0) return s;
    }
    return NULL;
}

/* Drops the series absent from the current sample for the longest time; false if none is. */
static bool evict_one(stats_buffer_t *b)
{
    size_t victim = SIZE_MAX;
    for (size_t pos = 0; pos < b->count; pos++) {
        const series_t *s = &b->series[pos];
        if (s->seen_gen != b->gen && (victim == SIZE_MAX || s->seen_s < b->series[victim].seen_s))
            victim = pos;
    }
    if (victim == SIZE_MAX) return false;
    free(b->series[victim].key);
    memmove(&b->series[victim], &b->series[victim + 1],
            (b->count - victim - 1) * sizeof(*b->series));
    b->count--;
    return index_rebuild(b, b->count) == NVITOP_OK;
}

/* A new series starts at the scope's previous sample time, as Python's defaultdict does. NULL:
 * out of memory, or the scope is full of series present in this sample. */
static series_t *series_insert(stats_buffer_t *b, const char *key, int *rc)
{
    if (b->count >= b->max_series && !evict_one(b)) return NULL;
    void *items = b->series;
    char *copy = strdup(key);
    bool ok = copy && array_reserve(&items, &b->cap, b->count + 1, sizeof(*b->series)) == 0;
    if (ok) b->series = items;
    if (!ok || (2 * (b->count + 1) > b->index_cap && index_rebuild(b, b->count + 1) < 0)) {
        free(copy);
        *rc = NVITOP_ENOMEM;
        return NULL;
    }
    series_t *s = &b->series[b->count];
    *s = (series_t){.key = copy, .start_s = b->last_s, .last_s = NAN};
    index_put(b, b->count++);
    return s;
}

static void series_add(series_t *s, double v, double t)
{
    if (isnan(v)) {
        s->has_nan = true;
        return;
    }
    if (!s->have_value) {
        s->integral = v * (t - s->start_s);
        s->last = s->min = s->max = v;
        s->have_value = true;
    } else {
        s->integral += (v + s->last) * (t - s->last_s) / 2.0;
        s->last = v;
        s->min = fmin(s->min, v);
        s->max = fmax(s->max, v);
    }
    s->last_s = t;
}

static double series_mean(const series_t *s, double now_s)
{
    if (!s->have_value) return NAN;
    if (s->has_nan) {
        double span = s->last_s - s->start_s;
        return span != 0.0 ? s->integral / span : NAN;
    }
    double span = now_s - s->start_s;
    return span != 0.0 ? (s->integral + s->last * (now_s - s->last_s)) / span : NAN;
}

stats_buffer_t *stats_buffer_new(const char *prefix, double now_s, double epoch_s,
                                 size_t max_series)
{
    stats_buffer_t *b = calloc(1, sizeof(*b));
    if (!b || !(b->prefix = strdup(prefix))) {
        free(b);
        return NULL;
    }
    b->max_series = max_series ? max_series : DEFAULT_MAX_SERIES;
    if (b->max_series > UINT32_MAX / 4) b->max_series = UINT32_MAX / 4;
    stats_buffer_clear(b, now_s, epoch_s);
    return b;
}

static void drop_series(stats_buffer_t *b)
{
    for (size_t i = 0; i < b->count; i++)
        free(b->series[i].key);
    b->count = 0;
    if (b->index) memset(b->index, 0, b->index_cap * sizeof(*b->index));
}

void stats_buffer_free(stats_buffer_t *b)
{
    if (!b) return;
    drop_series(b);
    free(b->series);
    free(b->index);
    free(b->prefix);
    free(b);
}

const char *stats_buffer_prefix(const stats_buffer_t *b)
{
    return b->prefix;
}

void stats_buffer_clear(stats_buffer_t *b, double now_s, double epoch_s)
{
    drop_series(b);
    b->start_s = b->last_s = now_s;
    b->last_epoch_s = epoch_s;
    b->samples = 0;
}

int stats_buffer_add(stats_buffer_t *b, const metric_sample_t *sample)
{
    const double t = sample->time_s;
    int rc = NVITOP_OK;
    b->gen++;
    /* First mark the series present, so that making room never drops one of them. */
    for (size_t i = 0; i < sample->count; i++) {
        series_t *s = series_find(b, metric_sample_key(sample, i));
        if (s) s->seen_gen = b->gen;
    }
    for (size_t i = 0; i < sample->count; i++) {
        const char *key = metric_sample_key(sample, i);
        series_t *s = series_find(b, key);
        if (!s && !(s = series_insert(b, key, &rc))) continue;
        s->seen_gen = b->gen;
        s->seen_s = t;
        series_add(s, sample->values[i], t);
    }
    for (size_t pos = 0; pos < b->count; pos++)
        if (b->series[pos].seen_gen != b->gen) b->series[pos].has_nan = true;
    b->samples++;
    b->last_s = t;
    b->last_epoch_s = sample->epoch_s;
    return rc;
}

size_t stats_buffer_series(const stats_buffer_t *b)
{
    return b->count;
}

size_t stats_buffer_samples(const stats_buffer_t *b)
{
    return b->samples;
}

static int builder_add(metrics_builder_t *mb, double value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int builder_add(metrics_builder_t *mb, double value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    void *items = mb->items;
    if (n < 0 || array_reserve(&items, &mb->cap, mb->count + 1, sizeof(*mb->items)) < 0)
        return NVITOP_ENOMEM;
    mb->items = items;
    char *key = arena_alloc(&mb->arena, (size_t)n + 1);
    if (!key) return NVITOP_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(key, (size_t)n + 1, fmt, ap);
    va_end(ap);
    mb->items[mb->count++] = (nvitop_metric_t){key, value};
    return NVITOP_OK;
}

static bool is_running_time(const char *key)
{
    size_t n = strlen(key), m = strlen(RUNNING_TIME_SUFFIX);
    return n >= m && strcmp(key + n - m, RUNNING_TIME_SUFFIX) == 0;
}

int stats_buffer_collect(const stats_buffer_t *b, double now_s, double epoch_s,
                         metrics_builder_t *out)
{
    const char *p = b->prefix;
    int rc = NVITOP_OK;
    for (size_t i = 0; rc == NVITOP_OK && i < b->count; i++) {
        const series_t *s = &b->series[i];
        double nan = NAN, last = s->have_value ? s->last : nan;
        if (is_running_time(s->key)) { /* Python keeps its max as "<key>" and its last */
            rc = builder_add(out, last, "%s/%s/last", p, s->key);
            continue;
        }
        rc = builder_add(out, series_mean(s, now_s), "%s/%s/mean", p, s->key);
        if (rc == NVITOP_OK)
            rc = builder_add(out, s->have_value ? s->min : nan, "%s/%s/min", p, s->key);
        if (rc == NVITOP_OK)
            rc = builder_add(out, s->have_value ? s->max : nan, "%s/%s/max", p, s->key);
        if (rc == NVITOP_OK) rc = builder_add(out, last, "%s/%s/last", p, s->key);
    }
    for (size_t i = 0; rc == NVITOP_OK && i < b->count; i++) {
        const series_t *s = &b->series[i];
        if (is_running_time(s->key))
            rc = builder_add(out, s->have_value ? s->max : NAN, "%s/%s", p, s->key);
    }
    if (rc == NVITOP_OK) rc = builder_add(out, now_s - b->start_s, "%s/duration (s)", p);
    if (rc == NVITOP_OK) rc = builder_add(out, epoch_s, "%s/timestamp", p);
    if (rc == NVITOP_OK) rc = builder_add(out, b->last_epoch_s, "%s/last_timestamp", p);
    return rc;
}

typedef struct metrics_box {
    nvitop_metrics_t metrics;
    arena_t arena;
} metrics_box_t;

nvitop_metrics_t *metrics_builder_take(metrics_builder_t *mb)
{
    metrics_box_t *box = calloc(1, sizeof(*box));
    if (box && mb->count) {
        box->metrics.items = arena_calloc(&mb->arena, mb->count, sizeof(*mb->items));
        if (box->metrics.items) {
            memcpy(box->metrics.items, mb->items, mb->count * sizeof(*mb->items));
            box->metrics.count = mb->count;
        }
    }
    if (box && mb->count && !box->metrics.items) {
        free(box);
        box = NULL;
    }
    if (box) {
        box->arena = mb->arena;
        mb->arena = (arena_t){0};
    }
    metrics_builder_fini(mb);
    return box ? &box->metrics : NULL;
}

void metrics_builder_fini(metrics_builder_t *mb)
{
    arena_fini(&mb->arena);
    free(mb->items);
    *mb = (metrics_builder_t){0};
}

void nvitop_metrics_free(nvitop_metrics_t *metrics)
{
    if (!metrics) return;
    metrics_box_t *box = (metrics_box_t *)metrics;
    arena_fini(&box->arena);
    free(box);
}

const nvitop_metric_t *nvitop_metrics_find(const nvitop_metrics_t *metrics, const char *key)
{
    if (!metrics || !key) return NULL;
    for (size_t i = 0; i < metrics->count; i++)
        if (strcmp(metrics->items[i].key, key) == 0) return &metrics->items[i];
    return NULL;
}

void metric_sample_reset(metric_sample_t *s)
{
    strbuf_reset(&s->keys);
    s->count = 0;
}

int metric_sample_add(metric_sample_t *s, double value, const char *fmt, ...)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        size_t *offsets = realloc(s->offsets, cap * sizeof(*offsets));
        if (!offsets) return NVITOP_ENOMEM;
        s->offsets = offsets;
        double *values = realloc(s->values, cap * sizeof(*values));
        if (!values) return NVITOP_ENOMEM;
        s->values = values;
        s->cap = cap;
    }
    size_t at = s->keys.len;
    va_list ap;
    va_start(ap, fmt);
    int rc = strbuf_vprintf(&s->keys, fmt, ap);
    va_end(ap);
    if (rc < 0 || strbuf_putc(&s->keys, '\0') < 0) return NVITOP_ENOMEM;
    s->offsets[s->count] = at;
    s->values[s->count++] = value;
    return NVITOP_OK;
}

void metric_sample_fini(metric_sample_t *s)
{
    strbuf_fini(&s->keys);
    free(s->offsets);
    free(s->values);
    *s = (metric_sample_t){0};
}
