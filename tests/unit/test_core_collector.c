/* SPDX-License-Identifier: Apache-2.0 */
/* The collector against the simulator, on the public API. Values follow `seq` timelines that
 * step every 0.2 s from NVML_SIM_EPOCH; each sample is taken in the middle of a known step
 * (the wall clock is read before and after it, and a sequence whose sample strayed from its
 * step is redone), and the collector's clock is a test clock, so every mean, min and max is
 * known exactly. Also: nested scopes, clear, errors, root pid filtering on a real process
 * family, a process that ends during a scope, and the daemon. */
#include "testutil.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STEP_S 0.2
#define MIB 1048576LL

typedef struct fake_clock {
    uint64_t ns;
} fake_clock_t;

static uint64_t fake_now(void *arg)
{
    return __atomic_load_n(&((fake_clock_t *)arg)->ns, __ATOMIC_SEQ_CST);
}

static void set_clock(fake_clock_t *clock, double s)
{
    __atomic_store_n(&clock->ns, (uint64_t)(s * 1e9), __ATOMIC_SEQ_CST);
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double epoch; /* NVML_SIM_EPOCH of this run */

static long step_at(double wall)
{
    return (long)floor((wall - epoch) / STEP_S);
}

/* Sleeps until the middle of the next step whose index is `phase` modulo 4; returns it. */
static long wait_for_phase(long phase)
{
    for (;;) {
        double t = wall_s() - epoch;
        long step = (long)floor(t / STEP_S);
        double into = t - step * STEP_S;
        if (step % 4 == phase && into > 0.05 && into < 0.12) return step;
        usleep(5000);
    }
}

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

/* The simulator looks at the file at most every 100 ms: after this, the next call sees it. */
static void rewrite_scenario(const char *json)
{
    write_scenario(json);
    usleep(250000);
}

#define SEQ_DEVICE                                                                                 \
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-%d\", \"bus_id\": "                     \
    "\"00000000:1%d:00.0\","                                                                       \
    " \"memory\": {\"total\": 1048576000, \"used\": {\"seq\": [104857600, 209715200, 314572800,"   \
    " 419430400], \"step_s\": 0.2}},"                                                              \
    " \"utilization\": {\"gpu\": {\"seq\": [10, 20, 30, 40], \"step_s\": 0.2}, \"memory\": 5},"    \
    " \"temperature\": {\"seq\": [50, 60, 70, 80], \"step_s\": 0.2},"                              \
    " \"power_usage\": {\"seq\": [100000, 200000, 300000, 400000], \"step_s\": 0.2},"              \
    " \"power_limit\": 700000, \"processes\": [%s]}"

/* A scenario of two GPUs; procs0 is the process list of GPU 0 (JSON objects). */
static char *scenario(const char *procs0)
{
    char dev0[2048], dev1[2048];
    snprintf(dev0, sizeof(dev0), SEQ_DEVICE, 0, 8, procs0);
    snprintf(dev1, sizeof(dev1), SEQ_DEVICE, 1, 9, "");
    char *json = NULL;
    assert_true(asprintf(&json,
                         "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040,"
                         " \"devices\": [%s, %s]}",
                         dev0, dev1) > 0);
    return json;
}

static nvitop_collector_t *new_collector(fake_clock_t *clock, const uint32_t *roots,
                                         size_t root_count, bool manual)
{
    nvitop_options_t ctx_opts = {.nvml_library = getenv("NVITOP_SIM_LIB")};
    if (clock) {
        ctx_opts.clock = fake_now;
        ctx_opts.clock_arg = clock;
    }
    nvitop_collector_options_t opts;
    nvitop_collector_options_init(&opts);
    opts.context = &ctx_opts;
    opts.root_pids = roots;
    opts.root_pid_count = root_count;
    opts.manual_sampling = manual;
    opts.interval_s = manual ? 3600.0 : 0.01;
    nvitop_collector_t *c = NULL;
    char msg[256];
    int rc = nvitop_collector_new(&opts, &c, msg, sizeof(msg));
    if (rc) fail_msg("nvitop_collector_new: %s: %s", nvitop_strerror(rc), msg);
    return c;
}

static double value(const nvitop_metrics_t *m, const char *key)
{
    const nvitop_metric_t *item = nvitop_metrics_find(m, key);
    if (!item) fail_msg("no key \"%s\" among %zu", key, m->count);
    return item->value;
}

#define assert_value(m, key, expected) assert_float_equal(value(m, key), expected, 1e-6)

/* Samples at collector times 1, 2, 3 in three consecutive steps starting at phase 0 (values
 * 10, 20, 30 of the utilisation timeline). Between the first and second sample, `between` runs
 * (may be NULL). Returns false when a sample strayed from its step. */
static bool sample_three(nvitop_collector_t *c, fake_clock_t *clock,
                         void (*between)(nvitop_collector_t *, fake_clock_t *))
{
    long first = wait_for_phase(0);
    for (long i = 0; i < 3; i++) {
        if (i == 1 && between) between(c, clock);
        while (wall_s() - epoch < (first + i) * STEP_S + 0.05)
            usleep(2000);
        set_clock(clock, 1.0 + (double)i);
        double before = wall_s();
        assert_int_equal(nvitop_collector_sample(c), 0);
        if (step_at(before) != first + i || step_at(wall_s()) != first + i) return false;
    }
    set_clock(clock, 4.0);
    return true;
}

/* 10, 20, 30 at 1, 2, 3 from 0, collected at 4: (10 + 15 + 25 + 30) / 4 = 20. */
static void check_device(const nvitop_metrics_t *m, const char *prefix, const char *scope)
{
    char key[256];
#define KEY(metric) (snprintf(key, sizeof(key), "%s/%s/%s", prefix, scope, metric), key)
    assert_value(m, KEY("gpu_utilization (%)/mean"), 20.0);
    assert_value(m, KEY("gpu_utilization (%)/min"), 10.0);
    assert_value(m, KEY("gpu_utilization (%)/max"), 30.0);
    assert_value(m, KEY("gpu_utilization (%)/last"), 30.0);
    assert_value(m, KEY("memory_used (MiB)/mean"), 200.0);
    assert_value(m, KEY("memory_used (MiB)/min"), 100.0);
    assert_value(m, KEY("memory_used (MiB)/max"), 300.0);
    assert_value(m, KEY("memory_total (MiB)/mean"), 1000.0);
    assert_value(m, KEY("memory_free (MiB)/mean"), 800.0);
    assert_value(m, KEY("memory_percent (%)/mean"), 20.0);
    assert_value(m, KEY("memory_utilization (%)/last"), 5.0);
    assert_value(m, KEY("temperature (C)/mean"), 60.0); /* (50 + 55 + 65 + 70) / 4 */
    assert_value(m, KEY("power_usage (W)/mean"), 200.0);
    assert_value(m, KEY("power_usage (W)/max"), 300.0);
    assert_true(isnan(value(m, KEY("fan_speed (%)/mean")))); /* not in the scenario */
#undef KEY
}

static void setup_scenario(const char *procs0)
{
    char *json = scenario(procs0);
    write_scenario(json);
    free(json);
}

static void test_exact_statistics(void **state)
{
    (void)state;
    setup_scenario("");
    fake_clock_t clock = {0};
    nvitop_collector_t *c = new_collector(&clock, NULL, 0, true);
    bool ok = false;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        set_clock(&clock, 0.0);
        assert_int_equal(nvitop_collector_begin(c, "train"), 0);
        ok = sample_three(c, &clock, NULL);
        if (!ok) assert_int_equal(nvitop_collector_end(c, "train"), 0);
    }
    assert_true(ok);
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    check_device(m, "train", "gpu:0");
    check_device(m, "train", "gpu:1");
    assert_value(m, "train/duration (s)", 4.0);
    double now = wall_s();
    assert_true(fabs(value(m, "train/timestamp") - now) < 60);
    assert_true(value(m, "train/last_timestamp") <= value(m, "train/timestamp"));
    assert_true(isfinite(value(m, "train/host/memory_percent (%)/mean")));
    assert_true(isfinite(value(m, "train/host/memory_used (GiB)/last")));
    assert_non_null(nvitop_metrics_find(m, "train/host/cpu_percent (%)/max"));
    assert_non_null(nvitop_metrics_find(m, "train/host/swap_percent (%)/min"));
    assert_non_null(nvitop_metrics_find(m, "train/host/load_average (%) (1 min)/mean"));
    assert_non_null(nvitop_metrics_find(m, "train/host/load_average (%) (15 min)/last"));
    /* One key per metric and stat of the host (7) and two GPUs (9 each), plus 3. */
    assert_int_equal(m->count, (7 + 2 * 9) * 4 + 3);
    nvitop_metrics_free(m);
    assert_int_equal(nvitop_collector_end(c, NULL), 0);
    nvitop_collector_free(c);
}

static void begin_inner(nvitop_collector_t *c, fake_clock_t *clock)
{
    set_clock(clock, 1.5);
    assert_int_equal(nvitop_collector_begin(c, "batch"), 0);
}

/* An inner scope begun at 1.5 sees 20 and 30 only: (20 * 0.5 + 25 + 30) / 2.5 = 26. */
static void test_nested_scopes(void **state)
{
    (void)state;
    setup_scenario("");
    fake_clock_t clock = {0};
    nvitop_collector_t *c = new_collector(&clock, NULL, 0, true);
    bool ok = false;
    for (int attempt = 0; attempt < 5 && !ok; attempt++) {
        set_clock(&clock, 0.0);
        assert_int_equal(nvitop_collector_begin(c, "train"), 0);
        ok = sample_three(c, &clock, begin_inner);
        if (!ok) assert_int_equal(nvitop_collector_end(c, "train"), 0);
    }
    assert_true(ok);
    char prefix[64];
    assert_int_equal(nvitop_collector_prefix(c, prefix, sizeof(prefix)), 2);
    assert_string_equal(prefix, "train/batch");
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    assert_value(m, "train/batch/gpu:0/gpu_utilization (%)/mean", 26.0);
    assert_value(m, "train/batch/gpu:0/gpu_utilization (%)/min", 20.0);
    assert_value(m, "train/batch/gpu:0/gpu_utilization (%)/max", 30.0);
    assert_value(m, "train/batch/duration (s)", 2.5);
    assert_null(nvitop_metrics_find(m, "train/gpu:0/gpu_utilization (%)/mean"));
    nvitop_metrics_free(m);

    /* Errors, with Python's messages. */
    char msg[256];
    assert_int_equal(nvitop_collector_begin(c, "train"), NVITOP_ESTATE);
    assert_string_equal(nvitop_collector_message(c, msg, sizeof(msg)),
                        "Resource metric collector is already started with tag \"train\"");
    assert_int_equal(nvitop_collector_end(c, "eval"), NVITOP_ESTATE);
    assert_string_equal(nvitop_collector_message(c, msg, sizeof(msg)),
                        "Resource metric collector has not been started with tag \"eval\".");
    assert_int_equal(nvitop_collector_clear(c, "eval"), NVITOP_ESTATE);
    assert_int_equal(nvitop_collector_begin(c, ""), NVITOP_EINVAL);
    assert_int_equal(nvitop_collector_begin(c, NULL), NVITOP_EINVAL);

    /* Ending the inner scope: the outer one is whole. */
    assert_int_equal(nvitop_collector_end(c, NULL), 0);
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    check_device(m, "train", "gpu:0");
    nvitop_metrics_free(m);

    /* Clearing through an outer tag clears the inner scope too; durations restart. */
    assert_int_equal(nvitop_collector_begin(c, "batch"), 0);
    set_clock(&clock, 10.0);
    assert_int_equal(nvitop_collector_clear(c, "train"), 0);
    set_clock(&clock, 10.5);
    assert_int_equal(nvitop_collector_collect(c, &m), 0); /* begin asked for a sample */
    assert_value(m, "train/batch/duration (s)", 0.5);
    nvitop_metrics_free(m);
    assert_int_equal(nvitop_collector_end(c, "batch"), 0);
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    assert_value(m, "train/duration (s)", 0.5);
    nvitop_metrics_free(m);

    /* Ending the outer tag ends everything inside it. */
    assert_int_equal(nvitop_collector_begin(c, "batch"), 0);
    assert_int_equal(nvitop_collector_end(c, "train"), 0);
    assert_int_equal(nvitop_collector_prefix(c, prefix, sizeof(prefix)), 0);
    assert_int_equal(nvitop_collector_collect(c, &m), NVITOP_ESTATE);
    assert_null(m);
    assert_string_equal(nvitop_collector_message(c, msg, sizeof(msg)),
                        "Resource metric collector has not been started yet.");
    assert_int_equal(nvitop_collector_end(c, "train"), NVITOP_ESTATE);
    assert_int_equal(nvitop_collector_end(c, NULL), 0); /* a no-op, as Python */
    assert_int_equal(nvitop_collector_clear(c, NULL), 0);
    nvitop_collector_free(c);
}

/* ---- processes ---- */

static pid_t spawn_sleeper(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

/* A child of this test that itself started `grandchild` (written through a pipe). */
static pid_t spawn_family(pid_t *grandchild)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        pid_t g = fork();
        if (g == 0) {
            pause();
            _exit(0);
        }
        if (write(fds[1], &g, sizeof(g)) != (ssize_t)sizeof(g)) _exit(1);
        int status;
        waitpid(g, &status, 0);
        _exit(0);
    }
    close(fds[1]);
    assert_int_equal(read(fds[0], grandchild, sizeof(*grandchild)), sizeof(*grandchild));
    close(fds[0]);
    return pid;
}

static void reap(pid_t pid)
{
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
}

static char *process_list(const pid_t *pids, size_t n, long long mib)
{
    char *out = strdup(""), *next;
    for (size_t i = 0; i < n; i++) {
        assert_true(asprintf(&next,
                             "%s%s{\"pid\": %d, \"type\": \"C\", \"used_memory\": %lld,"
                             " \"sm\": 50, \"mem\": 7}",
                             out, i ? ", " : "", (int)pids[i], mib * MIB) > 0);
        free(out);
        out = next;
    }
    return out;
}

static bool has_pid(const nvitop_metrics_t *m, const char *prefix, pid_t pid)
{
    char key[128];
    snprintf(key, sizeof(key), "%s/pid:%d/gpu:0/gpu_memory (MiB)/mean", prefix, (int)pid);
    return nvitop_metrics_find(m, key) != NULL;
}

static void collect_pids(const uint32_t *roots, size_t n, const pid_t *pids, bool *seen,
                         size_t count)
{
    nvitop_collector_t *c = new_collector(NULL, roots, n, true);
    assert_int_equal(nvitop_collector_begin(c, "r"), 0);
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    uint32_t last[16];
    int listed_count = nvitop_collector_last_pids(c, last, 16);
    assert_in_range(listed_count, 0, 16);
    assert_int_equal(nvitop_collector_last_pids(c, NULL, 0), listed_count);
    assert_int_equal(nvitop_collector_last_pids(c, NULL, 1), NVITOP_EINVAL);
    for (size_t i = 0; i < count; i++) {
        seen[i] = has_pid(m, "r", pids[i]);
        bool listed = false; /* the pids of the last sample are those of its pid: scopes */
        for (int j = 0; j < listed_count; j++)
            listed = listed || last[j] == (uint32_t)pids[i];
        assert_int_equal(listed, seen[i]);
    }
    nvitop_metrics_free(m);
    nvitop_collector_free(c);
}

/* Only descendants of the roots: the default root is this process; {1} takes everything; an
 * empty list nothing. The family: this test -> child -> grandchild, plus a sibling child, our
 * parent (an ancestor, not a descendant) and a pid that does not exist. */
static void test_root_pids(void **state)
{
    (void)state;
    pid_t grandchild = 0, child = spawn_family(&grandchild), sibling = spawn_sleeper();
    pid_t pids[] = {child, grandchild, sibling, getppid(), 4194301};
    char *procs = process_list(pids, 5, 64);
    setup_scenario(procs);
    free(procs);
    bool seen[5];

    collect_pids(NULL, 0, pids, seen, 5); /* default: this process */
    assert_true(seen[0] && seen[1] && seen[2]);
    assert_false(seen[3] || seen[4]);

    uint32_t child_root[] = {(uint32_t)child};
    collect_pids(child_root, 1, pids, seen, 5);
    assert_true(seen[0] && seen[1]);
    assert_false(seen[2] || seen[3] || seen[4]);

    uint32_t all[] = {1};
    collect_pids(all, 1, pids, seen, 5);
    assert_true(seen[0] && seen[1] && seen[2] && seen[3] && seen[4]);

    uint32_t none[1] = {0};
    collect_pids(none, 0, pids, seen, 5);
    assert_false(seen[0] || seen[1] || seen[2] || seen[3] || seen[4]);

    kill(grandchild, SIGKILL); /* not ours to reap; left alive it would hold ctest's pipe */
    reap(child);
    reap(sibling);
}

/* A process that ends during a scope: its keys stay, with the mean of its life only
 * (100 MiB at 1, 300 MiB at 2, gone at 3: (100 + 200) / 2 = 150, not extrapolated to 4). */
static void test_process_ends(void **state)
{
    (void)state;
    pid_t child = spawn_sleeper();
    char *procs = process_list(&child, 1, 100);
    setup_scenario(procs);
    free(procs);
    fake_clock_t clock = {0};
    nvitop_collector_t *c = new_collector(&clock, NULL, 0, true);
    assert_int_equal(nvitop_collector_begin(c, "job"), 0);
    set_clock(&clock, 1.0);
    assert_int_equal(nvitop_collector_sample(c), 0);
    procs = process_list(&child, 1, 300);
    char *json = scenario(procs);
    rewrite_scenario(json);
    free(json);
    free(procs);
    set_clock(&clock, 2.0);
    assert_int_equal(nvitop_collector_sample(c), 0);
    reap(child);
    json = scenario("");
    rewrite_scenario(json);
    free(json);
    set_clock(&clock, 3.0);
    assert_int_equal(nvitop_collector_sample(c), 0);
    set_clock(&clock, 4.0);

    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    char key[160];
#define PKEY(metric) (snprintf(key, sizeof(key), "job/pid:%d/%s", (int)child, metric), key)
    assert_value(m, PKEY("gpu:0/gpu_memory (MiB)/mean"), 150.0);
    assert_value(m, PKEY("gpu:0/gpu_memory (MiB)/min"), 100.0);
    assert_value(m, PKEY("gpu:0/gpu_memory (MiB)/max"), 300.0);
    assert_value(m, PKEY("gpu:0/gpu_memory (MiB)/last"), 300.0);
    assert_value(m, PKEY("gpu:0/gpu_memory_percent (%)/max"), 30.0);
    assert_value(m, PKEY("gpu:0/gpu_sm_utilization (%)/mean"), 50.0);
    assert_value(m, PKEY("gpu:0/gpu_memory_utilization (%)/last"), 7.0);
    assert_true(value(m, PKEY("host/host_memory (MiB)/last")) > 0);
    assert_true(isfinite(value(m, PKEY("host/host_memory_percent (%)/mean"))));
    assert_true(isfinite(value(m, PKEY("host/cpu_percent (%)/max"))));
    assert_true(value(m, PKEY("host/running_time (min)")) >= 0);
    assert_true(isfinite(value(m, PKEY("host/running_time (min)/last"))));
    assert_null(nvitop_metrics_find(m, PKEY("host/running_time (min)/mean")));
#undef PKEY
    nvitop_metrics_free(m);
    nvitop_collector_free(c);
}

/* ---- the daemon ---- */

typedef struct daemon_state {
    int starts, stops, collects, stop_after;
    bool saw_keys;
} daemon_state_t;

static void on_start(nvitop_collector_t *c, void *arg)
{
    (void)c;
    __atomic_add_fetch(&((daemon_state_t *)arg)->starts, 1, __ATOMIC_SEQ_CST);
}

static void on_stop(nvitop_collector_t *c, void *arg)
{
    (void)c;
    __atomic_add_fetch(&((daemon_state_t *)arg)->stops, 1, __ATOMIC_SEQ_CST);
}

static bool on_collect(const nvitop_metrics_t *m, void *arg)
{
    daemon_state_t *st = arg;
    if (nvitop_metrics_find(m, "metrics-daemon/gpu:1/memory_total (MiB)/mean") &&
        nvitop_metrics_find(m, "metrics-daemon/duration (s)"))
        __atomic_store_n(&st->saw_keys, true, __ATOMIC_SEQ_CST);
    int n = __atomic_add_fetch(&st->collects, 1, __ATOMIC_SEQ_CST);
    return st->stop_after == 0 || n < st->stop_after;
}

static void wait_stopped(nvitop_daemon_t *d)
{
    for (int i = 0; i < 3000 && nvitop_daemon_running(d); i++)
        usleep(10000);
    assert_false(nvitop_daemon_running(d));
}

static void test_daemon(void **state)
{
    (void)state;
    setup_scenario("");
    nvitop_collector_t *c = new_collector(NULL, NULL, 0, false);
    daemon_state_t st = {.stop_after = 5};
    nvitop_daemon_options_t opts = {.on_start = on_start,
                                    .on_collect = on_collect,
                                    .on_stop = on_stop,
                                    .arg = &st,
                                    .interval_s = 0.005};
    nvitop_daemon_t *d = NULL;
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d), 0);
    assert_ptr_equal(nvitop_daemon_collector(d), c);
    wait_stopped(d); /* the callback said stop */
    assert_int_equal(nvitop_daemon_join(d), 0);
    assert_int_equal(st.collects, 5);
    assert_int_equal(st.starts, 1);
    assert_int_equal(st.stops, 1);
    assert_true(st.saw_keys);
    assert_int_equal(nvitop_collector_prefix(c, NULL, 0), 0); /* its scope is closed */
    nvitop_daemon_free(d);

    /* Stopped from outside; a scope of the same tag blocks a second daemon. */
    daemon_state_t st2 = {0};
    opts.arg = &st2;
    opts.tag = "bg";
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d), 0);
    while (__atomic_load_n(&st2.collects, __ATOMIC_SEQ_CST) < 3)
        usleep(1000);
    nvitop_daemon_t *d2 = NULL;
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d2), NVITOP_ESTATE);
    assert_null(d2);
    nvitop_daemon_stop(d);
    wait_stopped(d);
    assert_int_equal(st2.stops, 1);
    nvitop_daemon_free(d);
    opts.on_collect = NULL;
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d2), NVITOP_EINVAL);
    nvitop_collector_free(c);
}

static void slow_start(nvitop_collector_t *c, void *arg)
{
    (void)c;
    (void)arg;
    usleep(200000); /* the thread is still here when the second call comes */
}

/* The tag is taken when nvitop_collector_daemonize() returns, not when the thread gets to it:
 * a second daemon with the same tag right after the first is refused. */
static void test_daemon_twice(void **state)
{
    (void)state;
    setup_scenario("");
    nvitop_collector_t *c = new_collector(NULL, NULL, 0, false);
    daemon_state_t st = {0};
    nvitop_daemon_options_t opts = {
        .on_start = slow_start, .on_collect = on_collect, .arg = &st, .interval_s = 0.005};
    nvitop_daemon_t *d = NULL, *d2 = NULL;
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d), 0);
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d2), NVITOP_ESTATE);
    assert_null(d2);
    assert_int_equal(nvitop_collector_begin(c, "metrics-daemon"), NVITOP_ESTATE);
    while (__atomic_load_n(&st.collects, __ATOMIC_SEQ_CST) < 2)
        usleep(1000);
    nvitop_daemon_free(d);
    assert_int_equal(nvitop_collector_prefix(c, NULL, 0), 0);      /* its scope is closed */
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d), 0); /* the tag is free again */
    nvitop_daemon_free(d);
    nvitop_collector_free(c);
}

/* The daemon's interval is its own, longer than the collector's sampling interval too (0.2 s
 * against 0.01 s: two collections in 0.3 s, not thirty). */
static void test_daemon_interval(void **state)
{
    (void)state;
    setup_scenario("");
    nvitop_collector_t *c = new_collector(NULL, NULL, 0, false);
    daemon_state_t st = {0};
    nvitop_daemon_options_t opts = {.on_collect = on_collect, .arg = &st, .interval_s = 0.2};
    nvitop_daemon_t *d = NULL;
    assert_int_equal(nvitop_collector_daemonize(c, &opts, &d), 0);
    usleep(300000);
    nvitop_daemon_free(d);
    int collects = __atomic_load_n(&st.collects, __ATOMIC_SEQ_CST);
    assert_in_range(collects, 1, 3);
    nvitop_collector_free(c);
}

/* Options that cannot work fail cleanly, with a message. */
static void test_bad_options(void **state)
{
    (void)state;
    setup_scenario("");
    nvitop_collector_options_t opts;
    nvitop_collector_options_init(&opts);
    nvitop_options_t ctx_opts = {.nvml_library = getenv("NVITOP_SIM_LIB")};
    opts.context = &ctx_opts;
    nvitop_collector_t *c = (nvitop_collector_t *)&opts;
    char msg[256];
    opts.interval_s = 0;
    assert_int_equal(nvitop_collector_new(&opts, &c, msg, sizeof(msg)), NVITOP_EINVAL);
    assert_null(c);
    assert_non_null(strstr(msg, "interval"));
    opts.interval_s = 1;
    nvitop_options_t broken = {.nvml_library = "/nonexistent/libnvidia-ml.so.1"};
    opts.context = &broken;
    assert_int_equal(nvitop_collector_new(&opts, &c, msg, sizeof(msg)), NVITOP_ENOLIB);
    assert_true(strlen(msg) > 0);
    assert_int_equal(nvitop_collector_begin(NULL, "x"), NVITOP_EINVAL);
    nvitop_collector_free(NULL);
    nvitop_daemon_free(NULL);
}

/* CUDA order and chosen devices: the scope names the CUDA index and the GPU; a MIG-enabled GPU
 * brings its MIG devices. */
static void test_cuda_scopes(void **state)
{
    (void)state;
    setup_scenario("");
    nvitop_options_t ctx_opts = {.nvml_library = getenv("NVITOP_SIM_LIB")};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&ctx_opts, NULL);
    assert_int_equal(nvitop_init(ctx), 0);
    nvitop_device_t **devs = NULL;
    size_t n = 0;
    assert_int_equal(nvitop_cuda_visible_devices(ctx, "1,0", &devs, &n), 0);
    assert_int_equal(n, 2);
    nvitop_collector_options_t opts;
    nvitop_collector_options_init(&opts);
    opts.context = &ctx_opts;
    opts.devices = devs;
    opts.device_count = n;
    opts.cuda_order = true;
    opts.manual_sampling = true;
    nvitop_collector_t *c = NULL;
    assert_int_equal(nvitop_collector_new(&opts, &c, NULL, 0), 0);
    nvitop_free(devs);
    nvitop_ctx_free(ctx);
    assert_int_equal(nvitop_collector_begin(c, "t"), 0);
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    assert_non_null(nvitop_metrics_find(m, "t/cuda:0 (gpu:1)/memory_total (MiB)/mean"));
    assert_non_null(nvitop_metrics_find(m, "t/cuda:1 (gpu:0)/memory_total (MiB)/mean"));
    assert_null(nvitop_metrics_find(m, "t/gpu:0/memory_total (MiB)/mean"));
    nvitop_metrics_free(m);
    nvitop_collector_free(c);
}

static void test_mig_scopes(void **state)
{
    (void)state;
    char path[512];
    char *json = test_read_file(
        test_path(path, sizeof(path), "NVITOP_SCENARIOS", "a100-mig-node.json"), NULL);
    write_scenario(json);
    free(json);
    uint32_t all[] = {1};
    nvitop_collector_t *c = new_collector(NULL, all, 1, true);
    assert_int_equal(nvitop_collector_begin(c, "t"), 0);
    nvitop_metrics_t *m = NULL;
    assert_int_equal(nvitop_collector_collect(c, &m), 0);
    assert_non_null(nvitop_metrics_find(m, "t/gpu:0/memory_used (MiB)/mean"));
    assert_non_null(nvitop_metrics_find(m, "t/gpu:(0, 0)/memory_used (MiB)/mean"));
    bool mig_process = false;
    for (size_t i = 0; i < m->count; i++)
        if (strstr(m->items[i].key, "/gpu:(0, 0)/gpu_memory (MiB)/mean") &&
            strncmp(m->items[i].key, "t/pid:", 6) == 0)
            mig_process = true;
    assert_true(mig_process);
    nvitop_metrics_free(m);
    nvitop_collector_free(c);
}

static int setup(void **state)
{
    (void)state;
    epoch = floor(wall_s()) - 10.0;
    char value[64];
    snprintf(value, sizeof(value), "%.0f", epoch);
    setenv("NVML_SIM_EPOCH", value, 1);
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
        cmocka_unit_test(test_exact_statistics), cmocka_unit_test(test_nested_scopes),
        cmocka_unit_test(test_root_pids),        cmocka_unit_test(test_process_ends),
        cmocka_unit_test(test_daemon),           cmocka_unit_test(test_daemon_twice),
        cmocka_unit_test(test_daemon_interval),  cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_cuda_scopes),      cmocka_unit_test(test_mig_scopes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
