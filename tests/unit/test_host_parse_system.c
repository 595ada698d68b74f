/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the system-wide parsers (src/host/parse_system.c): /proc/stat, psutil's CPU %,
 * /proc/meminfo and psutil's memory figures, /proc/loadavg, /proc/uptime. */
#include "testutil.h"

#include "host/host_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_near(double got, double want, double eps)
{
    if (!(fabs(got - want) <= eps)) fail_msg("got %.9g, want %.9g (+- %g)", got, want, eps);
}

static char *fixture(const char *rel, size_t *len)
{
    char path[4096];
    return test_read_file(test_path(path, sizeof(path), "NVITOP_FIXTURES", rel), len);
}

static int parse_stat_str(const char *s, host_cpu_times_t *t, unsigned *n, uint64_t *bt)
{
    return host_parse_proc_stat(s, strlen(s), t, n, bt);
}

static void test_stat_basic(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/basic/stat", &len);
    host_cpu_times_t t;
    unsigned n = 0;
    uint64_t btime = 0;
    assert_int_equal(host_parse_proc_stat(buf, len, &t, &n, &btime), 0);
    assert_int_equal(n, 16);
    assert_int_equal(btime, 1795421543);
    assert_int_equal(t.user, 14200);
    assert_int_equal(t.nice, 3);
    assert_int_equal(t.system, 5160);
    assert_int_equal(t.idle, 223998);
    assert_int_equal(t.iowait, 95);
    assert_int_equal(t.irq, 0);
    assert_int_equal(t.softirq, 312);
    assert_int_equal(t.steal, 72);
    assert_int_equal(t.guest, 0);
    assert_int_equal(t.guest_nice, 0);
    /* Every out pointer may be NULL. */
    assert_int_equal(host_parse_proc_stat(buf, len, NULL, NULL, NULL), 0);
    free(buf);
}

static void test_stat_old_kernel_and_captured(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/old-kernel/stat", &len);
    host_cpu_times_t t;
    unsigned n;
    assert_int_equal(host_parse_proc_stat(buf, len, &t, &n, NULL), 0);
    assert_int_equal(n, 4);
    assert_int_equal(t.user, 16600);
    assert_int_equal(t.iowait, 800);
    assert_int_equal(t.softirq, 160);
    assert_int_equal(t.steal, 0); /* column absent: zero */
    assert_int_equal(t.guest, 0);
    free(buf);
    buf = fixture("proc/captured/stat", &len);
    assert_int_equal(host_parse_proc_stat(buf, len, &t, &n, NULL), 0);
    assert_int_equal(n, 2);
    free(buf);
    buf = fixture("proc/broken/stat", &len);
    assert_int_equal(host_parse_proc_stat(buf, len, &t, &n, NULL), -1);
    free(buf);
}

static void test_stat_malformed(void **state)
{
    (void)state;
    host_cpu_times_t t;
    unsigned n;
    uint64_t bt;
    static const char *const bad[] = {
        "",
        "\n\n",
        "cpu0 1 2 3 4\nbtime 5\n",                            /* no aggregate line */
        "cpu  1 2 3 4\ncpu0 1 2 3 4\n",                       /* no btime */
        "cpu  1 2 3 4\nbtime 5\n",                            /* no cpuN line */
        "cpu  1 2 3\ncpu0 1 2 3\nbtime 5\n",                  /* three columns */
        "cpu  1 2 x 4\ncpu0 1 2 3 4\nbtime 5\n",              /* garbage column */
        "cpu  1 2 -3 4\ncpu0 1 2 3 4\nbtime 5\n",             /* negative */
        "cpu  18446744073709551616 2 3 4\ncpu0 1\nbtime 5\n", /* 2^64 */
        "cpu  1 2 3 4\ncpu0 1 2 3 4\nbtime\n",                /* btime without value */
        "cpu  1 2 3 4\ncpu0 1 2 3 4\nbtime 12x\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (parse_stat_str(bad[i], &t, &n, &bt) != -1) fail_msg("accepted bad /proc/stat #%zu", i);
    }
    /* 2^64 - 1 fits; extra future columns are ignored; "cpu" without digits is not a CPU. */
    assert_int_equal(parse_stat_str("cpu  18446744073709551615 1 2 3 4 5 6 7 8 9 10 11\n"
                                    "cpu0 1 2 3 4\ncpufreq 9\nbtime 7\n",
                                    &t, &n, &bt),
                     0);
    assert_true(t.user == UINT64_MAX && t.guest_nice == 9 && n == 1 && bt == 7);
    /* No trailing newline, tabs, CR: still fine. */
    assert_int_equal(parse_stat_str("cpu\t1 2 3 4\r\ncpu0 1 2 3 4\nbtime 9", &t, &n, &bt), 0);
    assert_int_equal(bt, 9);
    /* A NUL inside the buffer is just a byte. */
    const char nul[] = "cpu  1 2 3 4\ncpu0 1\0 2\nbtime 3\n";
    assert_int_equal(host_parse_proc_stat(nul, sizeof(nul) - 1, &t, &n, &bt), 0);
    assert_int_equal(host_parse_proc_stat(NULL, 0, &t, &n, &bt), -1);
}

static host_cpu_times_t times10(uint64_t user, uint64_t system, uint64_t idle, uint64_t iowait,
                                uint64_t guest)
{
    host_cpu_times_t t = {0};
    t.user = user;
    t.system = system;
    t.idle = idle;
    t.iowait = iowait;
    t.guest = guest;
    return t;
}

static void test_cpu_percent(void **state)
{
    (void)state;
    host_cpu_times_t a = times10(100, 50, 1000, 10, 0);
    host_cpu_times_t b = times10(130, 60, 1050, 20, 0);
    /* busy 40 of 100 ticks */
    assert_near(host_cpu_percent(&a, &b), 40.0, 1e-12);
    /* guest is inside user: it must not count twice. */
    host_cpu_times_t g = times10(130, 60, 1050, 20, 25);
    assert_near(host_cpu_percent(&a, &g), 40.0, 1e-12);
    /* No tick: NaN. Everything backwards: NaN. */
    assert_true(isnan(host_cpu_percent(&a, &a)));
    assert_true(isnan(host_cpu_percent(&b, &a)));
    /* Only idle moved: 0. Only busy moved: 100. Not rounded. */
    host_cpu_times_t idle = times10(100, 50, 1077, 10, 0);
    assert_near(host_cpu_percent(&a, &idle), 0.0, 0);
    host_cpu_times_t busy = times10(101, 50, 1000, 10, 0);
    assert_near(host_cpu_percent(&a, &busy), 100.0, 0);
    host_cpu_times_t third = times10(101, 50, 1002, 10, 0);
    assert_near(host_cpu_percent(&a, &third), 100.0 / 3.0, 1e-12);
    /* iowait going backwards (a real kernel quirk) counts as no delta, not as negative. */
    host_cpu_times_t iow = times10(110, 50, 1090, 5, 0);
    assert_near(host_cpu_percent(&a, &iow), 10.0, 1e-12);
    /* Huge counters do not overflow. */
    host_cpu_times_t h1 = times10(UINT64_MAX - 10, UINT64_MAX - 10, UINT64_MAX - 10, 0, 0);
    host_cpu_times_t h2 = times10(UINT64_MAX, UINT64_MAX - 10, UINT64_MAX, 0, 0);
    assert_near(host_cpu_percent(&h1, &h2), 50.0, 1e-12);
}

static void test_meminfo_basic(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/basic/meminfo", &len);
    host_meminfo_t mi;
    assert_int_equal(host_parse_meminfo(buf, len, &mi), 0);
    free(buf);
    assert_true(mi.has_available);
    assert_int_equal(mi.total, 131981020ULL * 1024);
    assert_int_equal(mi.free, 128643832ULL * 1024);
    assert_int_equal(mi.available, 130371448ULL * 1024);
    assert_int_equal(mi.buffers, 3972ULL * 1024);
    assert_int_equal(mi.cached, 1542368ULL * 1024);
    assert_int_equal(mi.sreclaimable, 194168ULL * 1024);
    assert_int_equal(mi.shmem, 12344ULL * 1024);
    assert_int_equal(mi.swap_total, 0);
    host_memory_figures_t f;
    host_memory_figures(&mi, &f);
    assert_int_equal(f.total, 135148564480ULL);
    assert_int_equal(f.free, 131731283968ULL);
    assert_int_equal(f.used, 1635000320ULL); /* 1559.2578125 MiB, as the exporter showed */
    assert_int_equal(f.available, 133500362752ULL);
    assert_near(f.percent, 1609572.0 / 131981020.0 * 100.0, 1e-12);
    assert_int_equal(f.swap_total, 0);
    assert_int_equal(f.swap_used, 0);
    assert_near(f.swap_percent, 0.0, 0);
}

static void test_meminfo_old_kernel(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/old-kernel/meminfo", &len);
    host_meminfo_t mi;
    assert_int_equal(host_parse_meminfo(buf, len, &mi), 0);
    free(buf);
    assert_false(mi.has_available);
    assert_int_equal(mi.available, 0);
    host_memory_figures_t f;
    host_memory_figures(&mi, &f);
    assert_int_equal(f.available, 5422976ULL * 1024); /* free + buffers + cached */
    assert_int_equal(f.used, 2244224ULL * 1024);      /* SReclaimable subtracted too */
    assert_near(f.percent, (8060416.0 - 5422976.0) / 8060416.0 * 100.0, 1e-12);
    assert_int_equal(f.swap_used, 524288ULL * 1024);
    assert_int_equal(f.swap_free, 1572860ULL * 1024);
    assert_near(f.swap_percent, 524288.0 / 2097148.0 * 100.0, 1e-12);
}

static void test_meminfo_edges(void **state)
{
    (void)state;
    host_meminfo_t mi;
    static const char *const bad[] = {
        "",
        "MemFree: 1 kB\n",   /* no MemTotal */
        "MemTotal: 10 kB\n", /* no MemFree */
        "MemTotal: ten kB\nMemFree: 1 kB\n",
        "MemTotal: 10 MB\nMemFree: 1 kB\n",                /* unknown unit */
        "MemTotal: 18014398509481984 kB\nMemFree: 1 kB\n", /* 2^54 kB overflows bytes */
        "MemTotal:\nMemFree: 1 kB\n",
        "MemTotal: -5 kB\nMemFree: 1 kB\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (host_parse_meminfo(bad[i], strlen(bad[i]), &mi) != -1)
            fail_msg("accepted bad meminfo #%zu", i);
    size_t len;
    char *buf = fixture("proc/broken/meminfo", &len);
    assert_int_equal(host_parse_meminfo(buf, len, &mi), -1);
    free(buf);
    /* Unknown and odd lines are ignored; a bare count is taken as is. */
    const char *ok = "Weird line\nMemTotal: 100 kB\nHugePages_Total: 7\nMemFree: 40 kB\n";
    assert_int_equal(host_parse_meminfo(ok, strlen(ok), &mi), 0);
    assert_int_equal(mi.total, 102400);
    host_memory_figures_t f;
    host_memory_figures(&mi, &f);
    assert_int_equal(f.used, 60 * 1024);
    assert_int_equal(f.available, 40 * 1024);
}

static void test_memory_figures_edges(void **state)
{
    (void)state;
    host_memory_figures_t f;
    /* used would go negative: psutil falls back to total - free. */
    host_meminfo_t neg = {.total = 1000,
                          .free = 100,
                          .buffers = 500,
                          .cached = 500,
                          .available = 800,
                          .has_available = true};
    host_memory_figures(&neg, &f);
    assert_int_equal(f.used, 900);
    /* The boundary: exactly zero is not negative. */
    host_meminfo_t zero = {.total = 1000,
                           .free = 100,
                           .buffers = 400,
                           .cached = 400,
                           .sreclaimable = 100,
                           .available = 500,
                           .has_available = true};
    host_memory_figures(&zero, &f);
    assert_int_equal(f.used, 0);
    /* MemAvailable 0 (kernel bug, psutil #1915) is estimated; above total takes free. */
    host_meminfo_t z = {
        .total = 1000, .free = 100, .buffers = 10, .cached = 20, .has_available = true};
    host_memory_figures(&z, &f);
    assert_int_equal(f.available, 130);
    host_meminfo_t big = {.total = 1000, .free = 300, .available = 5000, .has_available = true};
    host_memory_figures(&big, &f);
    assert_int_equal(f.available, 300);
    assert_near(f.percent, 70.0, 1e-12);
    /* Nonsense (free > total, swap free > swap total, zero total) stays sane. */
    host_meminfo_t bad = {.total = 0, .free = 10, .swap_total = 5, .swap_free = 9};
    host_memory_figures(&bad, &f);
    assert_int_equal(f.used, 0);
    assert_near(f.percent, 0.0, 0);
    assert_int_equal(f.swap_used, 0);
    assert_near(f.swap_percent, 0.0, 0);
    host_meminfo_t huge = {
        .total = UINT64_MAX, .free = 0, .buffers = UINT64_MAX, .cached = UINT64_MAX};
    host_memory_figures(&huge, &f);
    assert_int_equal(f.used, UINT64_MAX);
}

static void test_loadavg_uptime(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/basic/loadavg", &len);
    double load[3];
    assert_int_equal(host_parse_loadavg(buf, len, load), 0);
    free(buf);
    assert_near(load[0], 0.66, 1e-12);
    assert_near(load[1], 0.24, 1e-12);
    assert_near(load[2], 0.09, 1e-12);
    buf = fixture("proc/basic/uptime", &len);
    double up;
    assert_int_equal(host_parse_uptime(buf, len, &up), 0);
    free(buf);
    assert_near(up, 152.40, 1e-9);
    buf = fixture("proc/broken/loadavg", &len);
    assert_int_equal(host_parse_loadavg(buf, len, load), -1);
    free(buf);
    buf = fixture("proc/broken/uptime", &len);
    assert_int_equal(host_parse_uptime(buf, len, &up), -1);
    free(buf);

    static const char *const bad_load[] = {"",           "1.0 2.0",     "1.0 2.0 x", "1.0 -2.0 3.0",
                                           "1.0 2. 3.0", "1,5 2.0 3.0", ".5 1 2",    "nan 1 2"};
    for (size_t i = 0; i < sizeof(bad_load) / sizeof(bad_load[0]); i++)
        if (host_parse_loadavg(bad_load[i], strlen(bad_load[i]), load) != -1)
            fail_msg("accepted bad loadavg '%s'", bad_load[i]);
    const char *big = "99999.99 1 0.000000000000000000000000001 1/2 3";
    assert_int_equal(host_parse_loadavg(big, strlen(big), load), 0);
    assert_near(load[0], 99999.99, 1e-9);
    assert_near(load[1], 1.0, 0);
    assert_near(load[2], 0.0, 1e-17);
    /* Bounded by len: the digits after it are not read. */
    assert_int_equal(host_parse_uptime("12.5", 2, &up), 0);
    assert_near(up, 12.0, 0);
    assert_int_equal(host_parse_uptime("   \n", 4, &up), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stat_basic),     cmocka_unit_test(test_stat_old_kernel_and_captured),
        cmocka_unit_test(test_stat_malformed), cmocka_unit_test(test_cpu_percent),
        cmocka_unit_test(test_meminfo_basic),  cmocka_unit_test(test_meminfo_old_kernel),
        cmocka_unit_test(test_meminfo_edges),  cmocka_unit_test(test_memory_figures_edges),
        cmocka_unit_test(test_loadavg_uptime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
