/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's sampler thread against the simulator: the first device and host snapshots are
 * there as soon as it starts, processes follow and wake the reader, a refresh request is served
 * at once, lazy fields are asked once per period and carried over in between, the graphs get
 * their points, a GPU lost mid-run shows as N/A without stopping anything, a slow PCIe call
 * does not delay device refreshes, and stop joins.
 * No assertion on time: each wait polls for its condition with a generous limit. Run under
 * TSan too (-DNVITOP_SANITIZE=thread). */
#include "testutil.h"

#include "core/sampler.h"

#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char scenario[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040, \"devices\": ["
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"bus_id\": \"00000000:18:00.0\","
    " \"memory\": {\"total\": 1000, \"used\": 250}, \"utilization\": {\"gpu\": 40, \"memory\": 5},"
    " \"temperature\": 60, \"power_usage\": 350000, \"power_limit\": 700000,"
    " \"processes\": [{\"pid\": 4194301, \"type\": \"C\", \"used_memory\": 100}]},"
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-1\", \"bus_id\": \"00000000:19:00.0\","
    " \"memory\": {\"total\": 1000, \"used\": 750}, \"utilization\": {\"gpu\": 80, \"memory\": 5},"
    " \"temperature\": 61, \"power_usage\": 350000, \"power_limit\": 700000}]}";

/* The scenario above with PCIe throughput calls of 1.5 s each (a slow round: 2 GPUs x tx, rx). */
static const char slow_pcie[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040,"
    " \"latency_us\": {\"nvmlDeviceGetPcieThroughput\": 1500000}, \"devices\": ["
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"bus_id\": \"00000000:18:00.0\","
    " \"memory\": {\"total\": 1000, \"used\": 250}, \"utilization\": {\"gpu\": 40, \"memory\": 5},"
    " \"pcie\": {\"tx_kib_s\": 10, \"rx_kib_s\": 20}},"
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-1\", \"bus_id\": \"00000000:19:00.0\","
    " \"memory\": {\"total\": 1000, \"used\": 750}, \"utilization\": {\"gpu\": 80, \"memory\": 5},"
    " \"pcie\": {\"tx_kib_s\": 10, \"rx_kib_s\": 20}}]}";

static const char lost[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040, \"devices\": ["
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"bus_id\": \"00000000:18:00.0\","
    " \"errors\": {\"*\": \"GPU_IS_LOST\"}},"
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-1\", \"bus_id\": \"00000000:19:00.0\","
    " \"memory\": {\"total\": 1000, \"used\": 750}, \"utilization\": {\"gpu\": 80, \"memory\": 5},"
    " \"temperature\": 61, \"power_usage\": 350000, \"power_limit\": 700000}]}";

#define QUERY                                                                                      \
    (NVITOP_DQ_NAME | NVITOP_DQ_MEMORY | NVITOP_DQ_UTILIZATION | NVITOP_DQ_POWER_USAGE |           \
     NVITOP_DQ_POWER_LIMIT)

typedef struct fixture {
    nvitop_ctx_t *ctx;
    sampler_t *s;
    int pipe[2];
} fixture_t;

static void start(fixture_t *f, double device_s, double process_s, double lazy_s)
{
    f->ctx = test_sim_ctx(scenario, NULL);
    assert_int_equal(pipe2(f->pipe, O_NONBLOCK | O_CLOEXEC), 0);
    sampler_config_t cfg = {.ctx = f->ctx};
    sampler_config_defaults(&cfg, 0);
    cfg.device_period_s = device_s;
    cfg.process_period_s = process_s;
    cfg.lazy_period_s = lazy_s;
    cfg.device_query = QUERY;
    cfg.lazy_query = NVITOP_DQ_TEMPERATURE;
    cfg.wake_fd = f->pipe[1];
    assert_int_equal(sampler_start(&cfg, &f->s), 0);
}

static long finish(fixture_t *f, const char *function)
{
    sampler_stop(f->s);
    close(f->pipe[0]);
    close(f->pipe[1]);
    long calls = test_sim_finish(f->ctx, function, false);
    test_sim_cleanup();
    return calls;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef bool (*cond_fn)(const sampler_view_t *v, void *arg);

/* Waits (up to 20 s, reading the wake pipe) until cond holds for a view. */
static bool wait_for(fixture_t *f, cond_fn cond, void *arg)
{
    for (double end = now_s() + 20; now_s() < end;) {
        sampler_view_t v;
        sampler_acquire(f->s, &v);
        bool ok = cond(&v, arg);
        sampler_release(f->s, &v);
        if (ok) return true;
        struct pollfd p = {f->pipe[0], POLLIN, 0};
        poll(&p, 1, 100);
        char buf[64];
        while (read(f->pipe[0], buf, sizeof(buf)) > 0)
            ;
    }
    return false;
}

static bool has_processes(const sampler_view_t *v, void *arg)
{
    return v->processes && v->processes_seq > *(uint64_t *)arg;
}

static void first_snapshots_and_processes(void **state)
{
    (void)state;
    fixture_t f;
    start(&f, 1.0, 2.0, 5.0);
    sampler_view_t v;
    sampler_acquire(f.s, &v);
    assert_non_null(v.devices);
    assert_non_null(v.host);
    assert_int_equal(v.devices->device_count, 2);
    assert_true(NVITOP_HAS(v.devices->devices[1].memory_used_bytes));
    assert_true(NVITOP_HAS(v.host->host.cpu_percent));
    assert_string_equal(v.error, "");
    sampler_release(f.s, &v);
    assert_null(v.devices);
    assert_string_not_equal(sampler_username(f.s), "");

    uint64_t zero = 0;
    assert_true(wait_for(&f, has_processes, &zero));
    sampler_acquire(f.s, &v);
    assert_int_equal(v.processes->process_count, 1);
    assert_int_equal(v.processes->processes[0].pid, 4194301);
    assert_int_equal(v.processes->processes[0].host.na, NVITOP_NA_NO_SUCH_PROCESS);
    sampler_release(f.s, &v);
    finish(&f, "nvmlDeviceGetName");
}

static void refresh_is_served(void **state)
{
    (void)state;
    fixture_t f;
    start(&f, 3600, 3600, 3600); /* only the first round and requests run */
    uint64_t seen = 0;
    assert_true(wait_for(&f, has_processes, &seen));
    sampler_view_t v;
    sampler_acquire(f.s, &v);
    seen = v.processes_seq;
    sampler_release(f.s, &v);
    sampler_refresh(f.s, SAMPLER_PROCESSES);
    assert_true(wait_for(&f, has_processes, &seen));
    sampler_stats_t st;
    sampler_get_stats(f.s, &st);
    assert_int_equal(st.processes, 2);
    finish(&f, "nvmlDeviceGetName");
}

static bool devices_after(const sampler_view_t *v, void *arg)
{
    return v->devices_seq >= *(uint64_t *)arg;
}

static void lazy_fields_are_carried(void **state)
{
    (void)state;
    fixture_t f;
    start(&f, 0.02, 3600, 3600);
    uint64_t want = 10;
    assert_true(wait_for(&f, devices_after, &want));
    sampler_view_t v;
    sampler_acquire(f.s, &v);
    /* asked once, at the first snapshot, and still shown */
    assert_true(NVITOP_HAS(v.devices->devices[0].temperature_c));
    assert_int_equal(v.devices->devices[0].temperature_c.value, 60);
    assert_true(fabs(v.devices->devices[0].power_percent.value - 50.0) < 1e-9);
    sampler_release(f.s, &v);
    assert_int_equal(finish(&f, "nvmlDeviceGetTemperatureV"), 2);
}

static bool has_points(const sampler_view_t *v, void *arg)
{
    (void)v;
    fixture_t *f = arg;
    float p[4];
    double last;
    uint64_t added;
    return sampler_history(f->s, SAMPLER_GPU_UTL, -1, p, 4, &last, &added) >= 2;
}

static void graphs_get_points(void **state)
{
    (void)state;
    fixture_t f;
    start(&f, 0.1, 3600, 5);
    assert_true(wait_for(&f, has_points, &f));
    float p[4];
    double last;
    assert_true(sampler_history(f.s, SAMPLER_GPU_UTL, -1, p, 4, &last, NULL) >= 2);
    assert_true(fabs(p[0] - 60.0) < 1e-4); /* mean of 40 and 80 */
    assert_true(fabs(last - 60.0) < 1e-4);
    assert_true(sampler_history(f.s, SAMPLER_GPU_MEM, -1, p, 4, &last, NULL) >= 1);
    assert_true(fabs(p[0] - 50.0) < 1e-4); /* (250 + 750) / 2000 */
    assert_true(sampler_history(f.s, SAMPLER_GPU_PWR, 1, p, 4, &last, NULL) >= 1);
    assert_true(fabs(p[0] - 50.0) < 1e-4);
    assert_int_equal(sampler_history(f.s, SAMPLER_GPU_UTL, 7, p, 4, &last, NULL), 0);
    assert_true(isnan(last));
    finish(&f, "nvmlDeviceGetName");
}

static bool slow_twice(const sampler_view_t *v, void *arg)
{
    (void)v;
    sampler_stats_t st;
    sampler_get_stats(((fixture_t *)arg)->s, &st);
    return st.slow >= 2;
}

/* Slow counters, when asked for, run at their own period and the other tasks go on. */
static void slow_counters_at_their_pace(void **state)
{
    (void)state;
    fixture_t f;
    f.ctx = test_sim_ctx(scenario, NULL);
    assert_int_equal(pipe2(f.pipe, O_NONBLOCK | O_CLOEXEC), 0);
    sampler_config_t cfg = {.ctx = f.ctx};
    sampler_config_defaults(&cfg, 0);
    cfg.device_query = QUERY;
    cfg.slow_query = NVITOP_DQ_PCIE_THROUGHPUT;
    cfg.slow_period_s = 0.05;
    cfg.wake_fd = f.pipe[1];
    assert_int_equal(sampler_start(&cfg, &f.s), 0);
    assert_true(wait_for(&f, slow_twice, &f));
    uint64_t zero = 0;
    assert_true(wait_for(&f, has_processes, &zero));
    assert_true(finish(&f, "nvmlDeviceGetPcieThroughput") >= 4); /* 2 GPUs, tx and rx */
}

static bool devices_refreshed(const sampler_view_t *v, void *arg)
{
    (void)v;
    sampler_stats_t st;
    sampler_get_stats(((fixture_t *)arg)->s, &st);
    return st.devices >= 20;
}

/* The slow counters have their own thread: while the first slow round (6 s of PCIe calls)
 * is still on its way, devices are refreshed every 10 ms. On one thread the refreshes would
 * wait 6 s each and the wait below would give up after 20 s with at most 5. */
static void slow_calls_do_not_delay_devices(void **state)
{
    (void)state;
    fixture_t f;
    f.ctx = test_sim_ctx(slow_pcie, NULL);
    assert_int_equal(pipe2(f.pipe, O_NONBLOCK | O_CLOEXEC), 0);
    sampler_config_t cfg = {.ctx = f.ctx};
    sampler_config_defaults(&cfg, 0);
    cfg.device_query = QUERY;
    cfg.device_period_s = 0.01;
    cfg.slow_query = NVITOP_DQ_PCIE_THROUGHPUT;
    cfg.slow_period_s = 0.01;
    cfg.wake_fd = f.pipe[1];
    assert_int_equal(sampler_start(&cfg, &f.s), 0);
    assert_true(wait_for(&f, devices_refreshed, &f));
    sampler_stats_t st;
    sampler_get_stats(f.s, &st);
    assert_int_equal(st.slow, 0); /* the slow round has not finished */
    sampler_view_t v;
    sampler_acquire(f.s, &v);
    assert_string_equal(v.error, "");
    sampler_release(f.s, &v);
    assert_true(finish(&f, "nvmlDeviceGetPcieThroughput") >= 1); /* it was under way */
}

static bool gpu0_lost(const sampler_view_t *v, void *arg)
{
    (void)arg;
    return v->devices && v->devices->devices[0].memory_used_bytes.na == NVITOP_NA_GPU_LOST;
}

static void gpu_lost_mid_run(void **state)
{
    (void)state;
    fixture_t f;
    start(&f, 0.05, 0.1, 5);
    const char *path = getenv("NVML_SIM_SCENARIO");
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    FILE *fp = fopen(tmp, "w");
    assert_non_null(fp);
    fputs(lost, fp);
    fclose(fp);
    usleep(20000); /* a later modification time than the first file's */
    assert_int_equal(rename(tmp, path), 0);
    assert_true(wait_for(&f, gpu0_lost, NULL));
    uint64_t seen = 0;
    sampler_view_t v;
    sampler_acquire(f.s, &v);
    seen = v.processes_seq;
    assert_true(NVITOP_HAS(v.devices->devices[1].memory_used_bytes)); /* the other one lives */
    sampler_release(f.s, &v);
    assert_true(wait_for(&f, has_processes, &seen)); /* and processes still come */
    finish(&f, "nvmlDeviceGetName");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_snapshots_and_processes),
        cmocka_unit_test(refresh_is_served),
        cmocka_unit_test(lazy_fields_are_carried),
        cmocka_unit_test(graphs_get_points),
        cmocka_unit_test(gpu_lost_mid_run),
        cmocka_unit_test(slow_counters_at_their_pace),
        cmocka_unit_test(slow_calls_do_not_delay_devices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
