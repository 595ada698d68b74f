/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the CPU % trackers (src/host/cpu_tracker.c), fed by hand: system-wide, and per
 * process keyed by (pid, starttime) with recycling, thousands of pids and pruning. */
#include "testutil.h"

#include "host/host_internal.h"

#include <math.h>
#include <string.h>

#define SEC 1000000000ULL

static void assert_near(double got, double want, double eps)
{
    if (!(fabs(got - want) <= eps)) fail_msg("got %.9g, want %.9g", got, want);
}

static void test_system_tracker(void **state)
{
    (void)state;
    host_cpu_tracker_t t = {0};
    host_cpu_times_t a = {.user = 100, .system = 100, .idle = 800};
    host_cpu_times_t b = {.user = 150, .system = 100, .idle = 850}; /* 50 of 100 busy */
    host_cpu_times_t c = {.user = 150, .system = 175, .idle = 875}; /* 75 of 100 busy */
    assert_true(isnan(host_cpu_tracker_update(&t, &a)));
    assert_near(host_cpu_tracker_update(&t, &b), 50.0, 1e-12);
    assert_near(host_cpu_tracker_update(&t, &c), 75.0, 1e-12);
    /* Same sample again: no tick elapsed. */
    assert_true(isnan(host_cpu_tracker_update(&t, &c)));
    /* Counters reset (e.g. restored VM): NaN, and the new sample is the next baseline. */
    assert_true(isnan(host_cpu_tracker_update(&t, &a)));
    assert_near(host_cpu_tracker_update(&t, &b), 50.0, 1e-12);
}

static void test_proc_tracker_basics(void **state)
{
    (void)state;
    host_proc_tracker_t t = {0};
    uint64_t t0 = 5 * SEC;
    assert_true(isnan(host_proc_tracker_update(&t, 42, 1000, 500, 100, t0)));
    /* 150 ticks at 100 Hz in 1 s: 150 % (not divided by the CPU count). */
    assert_near(host_proc_tracker_update(&t, 42, 1000, 650, 100, t0 + SEC), 150.0, 1e-9);
    /* 25 ticks in 0.5 s. */
    assert_near(host_proc_tracker_update(&t, 42, 1000, 675, 100, t0 + SEC + SEC / 2), 50.0, 1e-9);
    /* No time passed: psutil says 0.0. */
    assert_near(host_proc_tracker_update(&t, 42, 1000, 700, 100, t0 + SEC + SEC / 2), 0.0, 0);
    /* Recycled pid: a new starttime starts afresh even with larger counters. */
    assert_true(isnan(host_proc_tracker_update(&t, 42, 2000, 800, 100, t0 + 2 * SEC)));
    assert_near(host_proc_tracker_update(&t, 42, 2000, 900, 100, t0 + 4 * SEC), 50.0, 1e-9);
    assert_int_equal(t.used, 1);
    /* A clock or counter going backwards: NaN, then measured from that record. */
    assert_true(isnan(host_proc_tracker_update(&t, 42, 2000, 920, 100, t0 + 3 * SEC)));
    assert_true(isnan(host_proc_tracker_update(&t, 42, 2000, 900, 100, t0 + 4 * SEC)));
    assert_near(host_proc_tracker_update(&t, 42, 2000, 1000, 250, t0 + 5 * SEC), 40.0, 1e-9);
    /* A bad clock tick rate cannot be measured. */
    assert_true(isnan(host_proc_tracker_update(&t, 42, 2000, 1100, 0, t0 + 6 * SEC)));
    /* Other pids do not disturb each other, pid 0 included. */
    assert_true(isnan(host_proc_tracker_update(&t, 0, 1, 0, 100, t0)));
    assert_near(host_proc_tracker_update(&t, 0, 1, 100, 100, t0 + SEC), 100.0, 1e-9);
    assert_int_equal(t.used, 2);
    host_proc_tracker_fini(&t);
    assert_null(t.slots);
    assert_int_equal(t.used, 0);
    host_proc_tracker_fini(&t);
}

static void test_proc_tracker_many(void **state)
{
    (void)state;
    host_proc_tracker_t t = {0};
    const uint32_t n = 20000;
    /* Dense pids, as a busy host has them, plus a far one. */
    for (uint32_t i = 0; i < n; i++)
        assert_true(isnan(host_proc_tracker_update(&t, 1000 + i, i, i, 100, SEC)));
    assert_true(isnan(host_proc_tracker_update(&t, UINT32_MAX, 7, 0, 100, SEC)));
    assert_int_equal(t.used, n + 1);
    assert_true(t.cap >= 2 * t.used);
    assert_int_equal(t.cap & (t.cap - 1), 0);
    for (uint32_t i = 0; i < n; i++) {
        double pct = host_proc_tracker_update(&t, 1000 + i, i, i + i % 200, 100, 3 * SEC);
        assert_near(pct, (double)(i % 200) / 2.0, 1e-9); /* i%200 ticks over 2 s */
    }
    assert_int_equal(t.used, n + 1);
    host_proc_tracker_fini(&t);
}

static void test_proc_tracker_prune(void **state)
{
    (void)state;
    host_proc_tracker_t t = {0};
    host_proc_tracker_prune(&t, SEC); /* empty: nothing to do */
    for (uint32_t pid = 1; pid <= 5000; pid++)
        host_proc_tracker_update(&t, pid, 1, 0, 100, SEC);
    size_t big_cap = t.cap;
    /* Only the even pids below 100 are seen again. */
    for (uint32_t pid = 2; pid < 100; pid += 2)
        assert_near(host_proc_tracker_update(&t, pid, 1, 100, 100, 2 * SEC), 100.0, 1e-9);
    host_proc_tracker_prune(&t, 2 * SEC);
    assert_int_equal(t.used, 49);
    assert_true(t.cap < big_cap); /* shrunk */
    assert_true(t.cap >= 2 * t.used);
    /* Survivors keep their sample; the forgotten start over. */
    assert_near(host_proc_tracker_update(&t, 2, 1, 200, 100, 3 * SEC), 100.0, 1e-9);
    assert_true(isnan(host_proc_tracker_update(&t, 3, 1, 200, 100, 3 * SEC)));
    for (uint32_t pid = 4; pid < 100; pid += 2)
        assert_near(host_proc_tracker_update(&t, pid, 1, 150, 100, 3 * SEC), 50.0, 1e-9);
    /* Pruning with a cut-off before every record keeps all. */
    size_t used = t.used;
    host_proc_tracker_prune(&t, 0);
    assert_int_equal(t.used, used);
    /* Pruning everything leaves an empty, usable table. */
    host_proc_tracker_prune(&t, 100 * SEC);
    assert_int_equal(t.used, 0);
    assert_true(isnan(host_proc_tracker_update(&t, 2, 1, 200, 100, 101 * SEC)));
    assert_int_equal(t.used, 1);
    host_proc_tracker_fini(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_system_tracker),
        cmocka_unit_test(test_proc_tracker_basics),
        cmocka_unit_test(test_proc_tracker_many),
        cmocka_unit_test(test_proc_tracker_prune),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
