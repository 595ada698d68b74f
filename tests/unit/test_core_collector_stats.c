/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's statistics (collector_stats.c) on hand-made samples at chosen times, where
 * every mean, min, max and last is known exactly: trapezoids, the last value held until now,
 * gaps (N/A values and absent keys) ending the extrapolation, the start of a key that appears
 * later, running times, the order of the keys, clear, and the bound on series. */
#include "testutil.h"

#include "core/collector_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct kv {
    const char *key;
    double value;
} kv_t;

static void add(stats_buffer_t *b, double t, double epoch, const kv_t *kvs, size_t n)
{
    metric_sample_t s = {0};
    s.time_s = t;
    s.epoch_s = epoch;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(metric_sample_add(&s, kvs[i].value, "%s", kvs[i].key), 0);
    assert_int_equal(stats_buffer_add(b, &s), 0);
    metric_sample_fini(&s);
}

static nvitop_metrics_t *collect(const stats_buffer_t *b, double now, double epoch)
{
    metrics_builder_t mb = {0};
    assert_int_equal(stats_buffer_collect(b, now, epoch, &mb), 0);
    nvitop_metrics_t *m = metrics_builder_take(&mb);
    assert_non_null(m);
    return m;
}

static double value(const nvitop_metrics_t *m, const char *key)
{
    const nvitop_metric_t *item = nvitop_metrics_find(m, key);
    if (!item) fail_msg("no key \"%s\"", key);
    return item->value;
}

#define assert_value(m, key, expected) assert_float_equal(value(m, key), expected, 1e-9)
#define assert_nan(m, key) assert_true(isnan(value(m, key)))

/* 10, 20, 30 at t = 1, 2, 3 in a scope begun at 0: integral 10 + 15 + 25 = 50, plus 30 held
 * from 3 to 4: mean 80 / 4 = 20. */
static void test_trapezoid_mean(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("train", 0.0, 1000.0, 0);
    assert_non_null(b);
    add(b, 1, 1001, (kv_t[]){{"gpu:0/x (%)", 10}}, 1);
    add(b, 2, 1002, (kv_t[]){{"gpu:0/x (%)", 20}}, 1);
    add(b, 3, 1003, (kv_t[]){{"gpu:0/x (%)", 30}}, 1);
    nvitop_metrics_t *m = collect(b, 4.0, 1004.5);
    assert_value(m, "train/gpu:0/x (%)/mean", 20.0);
    assert_value(m, "train/gpu:0/x (%)/min", 10.0);
    assert_value(m, "train/gpu:0/x (%)/max", 30.0);
    assert_value(m, "train/gpu:0/x (%)/last", 30.0);
    assert_value(m, "train/duration (s)", 4.0);
    assert_value(m, "train/timestamp", 1004.5);
    assert_value(m, "train/last_timestamp", 1003.0);
    assert_int_equal(m->count, 4 + 3);
    nvitop_metrics_free(m);
    /* Later, the last value weighs more: (50 + 30 * 6) / 9. */
    m = collect(b, 9.0, 1009.0);
    assert_value(m, "train/gpu:0/x (%)/mean", 230.0 / 9.0);
    nvitop_metrics_free(m);
    assert_int_equal(stats_buffer_samples(b), 3);
    stats_buffer_free(b);
}

/* A gap (N/A) marks the series: the mean is the integral over its valid samples divided by the
 * time up to the last one, 10 * 1 + (10 + 30) * 2 / 2 = 50 over 3, whatever `now` is. */
static void test_gap_stops_extrapolation(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("s", 0.0, 0.0, 0);
    add(b, 1, 1, (kv_t[]){{"k", 10}}, 1);
    add(b, 2, 2, (kv_t[]){{"k", NAN}}, 1);
    add(b, 3, 3, (kv_t[]){{"k", 30}}, 1);
    for (double now = 3.0; now < 100.0; now *= 3) {
        nvitop_metrics_t *m = collect(b, now, 0);
        assert_value(m, "s/k/mean", 50.0 / 3.0);
        assert_value(m, "s/k/min", 10.0);
        assert_value(m, "s/k/max", 30.0);
        assert_value(m, "s/k/last", 30.0);
        nvitop_metrics_free(m);
    }
    stats_buffer_free(b);
}

/* A key absent from a sample (a process that ended) is a gap; its keys stay. */
static void test_absent_key_is_gap(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("s", 0.0, 0.0, 0);
    add(b, 1, 1, (kv_t[]){{"pid:7/gpu:0/m", 100}, {"host/c", 1}}, 2);
    add(b, 2, 2, (kv_t[]){{"pid:7/gpu:0/m", 300}, {"host/c", 1}}, 2);
    add(b, 3, 3, (kv_t[]){{"host/c", 1}}, 1);
    nvitop_metrics_t *m = collect(b, 4.0, 0);
    assert_value(m, "s/pid:7/gpu:0/m/mean", 300.0 / 2.0); /* (100 + 200) / (2 - 0) */
    assert_value(m, "s/pid:7/gpu:0/m/min", 100.0);
    assert_value(m, "s/pid:7/gpu:0/m/max", 300.0);
    assert_value(m, "s/pid:7/gpu:0/m/last", 300.0);
    assert_value(m, "s/host/c/mean", 1.0);
    nvitop_metrics_free(m);
    stats_buffer_free(b);
}

/* A key first seen in a later sample starts at the previous sample's time (1, not 0):
 * 5 * (2 - 1) + 5 * (3 - 2) over 3 - 1. */
static void test_late_key_starts_at_previous_sample(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("s", 0.0, 0.0, 0);
    add(b, 1, 1, (kv_t[]){{"a", 1}}, 1);
    add(b, 2, 2, (kv_t[]){{"a", 1}, {"b", 5}}, 2);
    nvitop_metrics_t *m = collect(b, 3.0, 0);
    assert_value(m, "s/b/mean", 5.0);
    assert_value(m, "s/a/mean", 1.0);
    nvitop_metrics_free(m);
    /* A series with only gaps reads NaN everywhere. */
    add(b, 3, 3, (kv_t[]){{"a", 1}, {"c", NAN}}, 2);
    m = collect(b, 4.0, 0);
    assert_nan(m, "s/c/mean");
    assert_nan(m, "s/c/min");
    assert_nan(m, "s/c/max");
    assert_nan(m, "s/c/last");
    nvitop_metrics_free(m);
    stats_buffer_free(b);
}

/* Python's order: series as first seen with mean, min, max, last; a running time keeps only its
 * last in place and its max as "<key>" after every series; then duration and timestamps. */
static void test_order_and_running_time(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("t", 0.0, 0.0, 0);
    kv_t s1[] = {{"host/c", 1}, {"pid:9/host/running_time (min)", 2}, {"pid:9/gpu:0/m", 3}};
    add(b, 1, 1, s1, 3);
    kv_t s2[] = {{"host/c", 1}, {"pid:9/host/running_time (min)", 2.5}, {"pid:9/gpu:0/m", 3}};
    add(b, 2, 2, s2, 3);
    nvitop_metrics_t *m = collect(b, 3.0, 9.0);
    const char *expected[] = {
        "t/host/c/mean",
        "t/host/c/min",
        "t/host/c/max",
        "t/host/c/last",
        "t/pid:9/host/running_time (min)/last",
        "t/pid:9/gpu:0/m/mean",
        "t/pid:9/gpu:0/m/min",
        "t/pid:9/gpu:0/m/max",
        "t/pid:9/gpu:0/m/last",
        "t/pid:9/host/running_time (min)",
        "t/duration (s)",
        "t/timestamp",
        "t/last_timestamp",
    };
    assert_int_equal(m->count, sizeof(expected) / sizeof(expected[0]));
    for (size_t i = 0; i < m->count; i++)
        assert_string_equal(m->items[i].key, expected[i]);
    assert_value(m, "t/pid:9/host/running_time (min)", 2.5);
    assert_value(m, "t/pid:9/host/running_time (min)/last", 2.5);
    nvitop_metrics_free(m);
    stats_buffer_free(b);
}

/* Clear forgets every series and restarts the duration. */
static void test_clear(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("t", 0.0, 0.0, 0);
    add(b, 1, 1, (kv_t[]){{"k", 100}}, 1);
    stats_buffer_clear(b, 5.0, 5.0);
    assert_int_equal(stats_buffer_series(b), 0);
    assert_int_equal(stats_buffer_samples(b), 0);
    add(b, 6, 6, (kv_t[]){{"k", 2}}, 1);
    nvitop_metrics_t *m = collect(b, 7.0, 7.0);
    assert_value(m, "t/k/mean", 2.0);
    assert_value(m, "t/k/max", 2.0);
    assert_value(m, "t/duration (s)", 2.0);
    nvitop_metrics_free(m);
    stats_buffer_free(b);
}

/* At the bound, the series absent for the longest time makes room; when every series is in
 * the sample, a new key is not recorded. */
static void test_max_series(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("t", 0.0, 0.0, 3);
    add(b, 1, 1, (kv_t[]){{"a", 1}, {"b", 1}, {"c", 1}}, 3);
    add(b, 2, 2, (kv_t[]){{"a", 1}, {"b", 1}}, 2);                     /* c is absent */
    add(b, 3, 3, (kv_t[]){{"a", 1}, {"b", 1}, {"d", 1}}, 3);           /* d replaces c */
    add(b, 4, 4, (kv_t[]){{"a", 1}, {"b", 1}, {"d", 1}, {"e", 1}}, 4); /* no room for e */
    assert_int_equal(stats_buffer_series(b), 3);
    nvitop_metrics_t *m = collect(b, 5.0, 0);
    assert_non_null(nvitop_metrics_find(m, "t/a/mean"));
    assert_non_null(nvitop_metrics_find(m, "t/d/mean"));
    assert_null(nvitop_metrics_find(m, "t/c/mean"));
    assert_null(nvitop_metrics_find(m, "t/e/mean"));
    assert_value(m, "t/d/mean", 1.0);
    nvitop_metrics_free(m);
    stats_buffer_free(b);
}

/* Many keys: the index grows and every key keeps its own series. */
static void test_many_keys(void **state)
{
    (void)state;
    stats_buffer_t *b = stats_buffer_new("t", 0.0, 0.0, 0);
    metric_sample_t s = {0};
    for (int round = 1; round <= 3; round++) {
        metric_sample_reset(&s);
        s.time_s = round;
        for (int i = 0; i < 5000; i++)
            assert_int_equal(metric_sample_add(&s, i * round, "pid:%d/host/x", i), 0);
        assert_int_equal(stats_buffer_add(b, &s), 0);
    }
    metric_sample_fini(&s);
    assert_int_equal(stats_buffer_series(b), 5000);
    nvitop_metrics_t *m = collect(b, 3.0, 0);
    assert_value(m, "t/pid:4321/host/x/max", 4321.0 * 3);
    assert_value(m, "t/pid:4321/host/x/min", 4321.0);
    nvitop_metrics_free(m);
    assert_null(nvitop_metrics_find(NULL, "x"));
    nvitop_metrics_free(NULL);
    stats_buffer_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trapezoid_mean),
        cmocka_unit_test(test_gap_stops_extrapolation),
        cmocka_unit_test(test_absent_key_is_gap),
        cmocka_unit_test(test_late_key_starts_at_previous_sample),
        cmocka_unit_test(test_order_and_running_time),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_max_series),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
