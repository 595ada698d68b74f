/* SPDX-License-Identifier: Apache-2.0 */
/* The collector under concurrency and over a long run: threads that begin, collect, sample,
 * clear and end scopes at once while the sampling thread and a daemon run; many short-lived
 * processes that must not grow a scope past max_series. Meant to run under ASan and TSan
 * (make test-tsan). */
#include "testutil.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4
#define ROUNDS 60

static char *scenario_path;

static void write_scenario(const char *json)
{
    char tmp[512];
    snprintf(tmp, sizeof(tmp), "%s.new", scenario_path);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs(json, f);
    fclose(f);
    assert_int_equal(rename(tmp, scenario_path), 0); /* a new inode: the simulator sees it */
}

static void use_bundled_scenario(const char *name)
{
    char path[512];
    char *json = test_read_file(test_path(path, sizeof(path), "NVITOP_SCENARIOS", name), NULL);
    write_scenario(json);
    free(json);
}

static nvitop_collector_t *new_collector(double interval_s, size_t max_series)
{
    nvitop_options_t ctx_opts = {.nvml_library = getenv("NVITOP_SIM_LIB")};
    nvitop_collector_options_t opts;
    nvitop_collector_options_init(&opts);
    opts.context = &ctx_opts;
    uint32_t all[] = {1};
    opts.root_pids = all;
    opts.root_pid_count = 1;
    opts.interval_s = interval_s;
    opts.max_series = max_series;
    nvitop_collector_t *c = NULL;
    char msg[256];
    int rc = nvitop_collector_new(&opts, &c, msg, sizeof(msg));
    if (rc) fail_msg("nvitop_collector_new: %s: %s", nvitop_strerror(rc), msg);
    return c;
}

typedef struct worker {
    nvitop_collector_t *c;
    int id;
    int collected, refused; /* collections made, and calls refused because another thread
                             * ended the scope first */
    int bad;                /* any other outcome: must stay 0 */
} worker_t;

static bool ok_or_state(int rc)
{
    return rc == NVITOP_OK || rc == NVITOP_ESTATE;
}

/* Every key of a collection names an open scope: "<tag>/...". */
static bool keys_well_formed(const nvitop_metrics_t *m)
{
    for (size_t i = 0; i < m->count; i++) {
        const char *k = m->items[i].key;
        if (!k || !strchr(k, '/') || strncmp(k, "w", 1) != 0) return false;
    }
    return m->count > 0;
}

/* One scope stack is shared: another thread's end() of an outer tag closes ours too, so a call
 * may answer NVITOP_ESTATE; it must never fail otherwise, crash or race. */
static void *work(void *arg)
{
    worker_t *w = arg;
    char tag[16], prefix[256];
    snprintf(tag, sizeof(tag), "w%d", w->id);
    for (int round = 0; round < ROUNDS; round++) {
        int rc = nvitop_collector_begin(w->c, tag);
        if (!ok_or_state(rc)) w->bad++;
        nvitop_metrics_t *m = NULL;
        rc = nvitop_collector_collect(w->c, &m);
        if (rc == NVITOP_OK) {
            w->collected++;
            if (!keys_well_formed(m)) w->bad++;
        } else if (rc == NVITOP_ESTATE) {
            w->refused++;
        } else {
            w->bad++;
        }
        nvitop_metrics_free(m);
        if (nvitop_collector_sample(w->c) != NVITOP_OK) w->bad++;
        if (nvitop_collector_prefix(w->c, prefix, sizeof(prefix)) < 0) w->bad++;
        if (!ok_or_state(nvitop_collector_clear(w->c, tag))) w->bad++;
        if (!ok_or_state(nvitop_collector_end(w->c, tag))) w->bad++;
    }
    return NULL;
}

static bool count_collect(const nvitop_metrics_t *m, void *arg)
{
    (void)m;
    __atomic_add_fetch((int *)arg, 1, __ATOMIC_SEQ_CST);
    return true;
}

static void test_concurrent_calls(void **state)
{
    (void)state;
    use_bundled_scenario("node-8gpu-100proc.json");
    nvitop_collector_t *c = new_collector(0.002, 0);
    int daemon_collects = 0;
    nvitop_daemon_options_t dopts = {
        .on_collect = count_collect, .arg = &daemon_collects, .interval_s = 0.001, .tag = "wd"};
    nvitop_daemon_t *d = NULL;
    assert_int_equal(nvitop_collector_daemonize(c, &dopts, &d), 0);

    pthread_t threads[THREADS];
    worker_t workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker_t){.c = c, .id = i};
        assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
    }
    int collected = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(workers[i].bad, 0);
        collected += workers[i].collected;
    }
    assert_true(collected > 0);
    nvitop_daemon_stop(d);
    assert_int_equal(nvitop_daemon_join(d), 0);
    assert_true(__atomic_load_n(&daemon_collects, __ATOMIC_SEQ_CST) > 0);
    nvitop_daemon_free(d);
    /* Whatever interleaving happened, the stack can be emptied and used again. */
    while (nvitop_collector_prefix(c, NULL, 0) > 0)
        assert_int_equal(nvitop_collector_end(c, NULL), 0);
    assert_int_equal(nvitop_collector_begin(c, "after"), 0);
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    assert_non_null(nvitop_metrics_find(m, "after/gpu:7/memory_total (MiB)/mean"));
    nvitop_metrics_free(m);
    nvitop_collector_free(c); /* with a scope still open and the sampling thread running */
}

/* A scenario of one GPU running `count` processes with pids from `first` (no such processes
 * on the host: their host metrics are gaps, their GPU metrics are not). */
static void processes_scenario(int first, int count)
{
    size_t cap = 256 + (size_t)count * 96;
    char *json = malloc(cap);
    assert_non_null(json);
    int len = snprintf(json, cap,
                       "{\"driver_version\": \"550.54.15\", \"devices\": [{\"name\": \"NVIDIA "
                       "H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"memory\": {\"total\": "
                       "85899345920, \"used\": 1073741824}, \"processes\": [");
    for (int i = 0; i < count; i++)
        len += snprintf(json + len, cap - (size_t)len,
                        "%s{\"pid\": %d, \"type\": \"C\", \"used_memory\": 1048576}", i ? ", " : "",
                        first + i);
    snprintf(json + len, cap - (size_t)len, "]}]}");
    write_scenario(json);
    free(json);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Processes come and go for a few seconds under a 1 ms sampling thread: a scope holds at most
 * max_series series (the oldest absent ones are dropped), and the live processes are there. */
static void test_long_run_with_process_churn(void **state)
{
    (void)state;
    const size_t max_series = 200;
    const int per_round = 10, rounds = 12;
    processes_scenario(3000000, per_round);
    nvitop_collector_t *c = new_collector(0.001, max_series);
    assert_int_equal(nvitop_collector_begin(c, "long"), 0);
    for (int round = 1; round <= rounds; round++) {
        int first = 3000000 + round * per_round;
        processes_scenario(first, per_round);
        double until = now_s() + 0.25; /* the simulator rereads its file every 100 ms */
        nvitop_metrics_t *m = NULL;
        while (now_s() < until) {
            nvitop_metrics_free(m);
            m = NULL;
            assert_int_equal(nvitop_collector_collect(c, &m), 0);
            usleep(20000);
        }
        /* Per series at most 4 stats, plus the duration and two timestamps. */
        assert_true(m->count <= max_series * 4 + 3);
        char key[128];
        snprintf(key, sizeof(key), "long/pid:%d/gpu:0/gpu_memory (MiB)/last", first);
        const nvitop_metric_t *item = nvitop_metrics_find(m, key);
        if (!item) fail_msg("round %d: %s missing among %zu keys", round, key, m->count);
        assert_float_equal(item->value, 1.0, 1e-9);
        nvitop_metrics_free(m);
    }
    /* More processes went by than fit: the first ones were dropped. */
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    assert_null(nvitop_metrics_find(m, "long/pid:3000000/gpu:0/gpu_memory (MiB)/last"));
    nvitop_metrics_free(m);
    nvitop_collector_free(c);
}

static int setup(void **state)
{
    (void)state;
    scenario_path = test_write_temp("{}");
    setenv("NVML_SIM_SCENARIO", scenario_path, 1);
    unsetenv("CUDA_VISIBLE_DEVICES");
    if (!getenv("NVITOP_SIM_LIB")) fail_msg("NVITOP_SIM_LIB is not set (run through ctest)");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(scenario_path);
    free(scenario_path);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_calls),
        cmocka_unit_test(test_long_run_with_process_churn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
