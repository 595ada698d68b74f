/* SPDX-License-Identifier: Apache-2.0 */
/* The sampler's work for the monitor's other screens, against the simulator and the real
 * /proc: the process tree of this test (a GPU process for the simulator) with its ancestors
 * and a child, only while turned on; a watched process sampled into its four graphs, and a
 * watched child that ends (sampling stops, the last sample says so); environments on request,
 * an unknown pid's error, and only the latest of two requests answered. Every wait polls with
 * a generous limit. Run under TSan too (-DNVITOP_SANITIZE=thread). */
#include "testutil.h"

#include "core/proc_tree.h"
#include "core/sampler.h"

#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct fixture {
    nvitop_ctx_t *ctx;
    sampler_t *s;
    int pipe[2];
    pid_t child;
} fixture_t;

static pid_t start_child(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

/* This test's process on GPU 0 with 1 GiB and 42 % SM, its child on GPU 1; the tree starts
 * from the processes `filter` keeps (NULL: all). */
static void start_sampler(fixture_t *f, const proc_filter_t *filter)
{
    char scenario[2048];
    snprintf(scenario, sizeof(scenario),
             "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040, \"devices\": ["
             "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"bus_id\": "
             "\"00000000:18:00.0\", \"memory\": {\"total\": 85899345920, \"used\": 1073741824},"
             " \"utilization\": {\"gpu\": 40, \"memory\": 5}, \"processes\": [{\"pid\": %d, "
             "\"type\": \"C\", \"used_memory\": 1073741824, \"sm\": 42, \"mem\": 7}]},"
             "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-1\", \"bus_id\": "
             "\"00000000:19:00.0\", \"memory\": {\"total\": 85899345920, \"used\": 0},"
             " \"utilization\": {\"gpu\": 0, \"memory\": 0}, \"processes\": [{\"pid\": %d, "
             "\"type\": \"C\", \"used_memory\": 1048576}]}]}",
             (int)getpid(), (int)f->child);
    f->ctx = test_sim_ctx(scenario, NULL);
    assert_int_equal(pipe2(f->pipe, O_NONBLOCK | O_CLOEXEC), 0);
    sampler_config_t cfg = {.ctx = f->ctx};
    sampler_config_defaults(&cfg, 0.3); /* processes every 0.3 s, the watch every 0.1 s */
    cfg.device_query = NVITOP_DQ_NAME | NVITOP_DQ_MEMORY;
    cfg.wake_fd = f->pipe[1];
    cfg.filter = filter;
    assert_int_equal(sampler_start(&cfg, &f->s), 0);
}

static void start(fixture_t *f)
{
    f->child = start_child();
    start_sampler(f, NULL);
}

static void finish(fixture_t *f)
{
    sampler_stop(f->s);
    close(f->pipe[0]);
    close(f->pipe[1]);
    test_sim_finish(f->ctx, "nvmlDeviceGetName", false);
    test_sim_cleanup();
    if (f->child > 0) {
        kill(f->child, SIGKILL);
        waitpid(f->child, NULL, 0);
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef bool (*cond_fn)(fixture_t *f, void *arg);

/* Waits (up to 20 s, reading the wake pipe) until cond holds. */
static bool wait_for(fixture_t *f, cond_fn cond, void *arg)
{
    for (double end = now_s() + 20; now_s() < end;) {
        if (cond(f, arg)) return true;
        struct pollfd p = {f->pipe[0], POLLIN, 0};
        poll(&p, 1, 100);
        char buf[64];
        while (read(f->pipe[0], buf, sizeof(buf)) > 0)
            ;
    }
    return false;
}

static const ptree_node_t *find_node(const ptree_t *t, uint32_t pid)
{
    for (size_t i = 0; t && i < t->count; i++)
        if (t->nodes[i].host.pid == pid) return &t->nodes[i];
    return NULL;
}

static bool tree_has_child(fixture_t *f, void *arg)
{
    (void)arg;
    uint64_t seq;
    const ptree_t *t = sampler_tree_acquire(f->s, &seq);
    bool ok = find_node(t, (uint32_t)getpid()) && find_node(t, (uint32_t)f->child);
    sampler_tree_release(f->s, t);
    return ok;
}

static void tree_while_on(void **state)
{
    (void)state;
    fixture_t f;
    start(&f);
    uint64_t seq;
    assert_null(sampler_tree_acquire(f.s, &seq)); /* off: none */
    sampler_set_tree(f.s, true);
    assert_true(wait_for(&f, tree_has_child, NULL));
    const ptree_t *t = sampler_tree_acquire(f.s, &seq);
    const ptree_node_t *me = find_node(t, (uint32_t)getpid());
    const ptree_node_t *child = find_node(t, (uint32_t)f.child);
    if (!me || !child) {
        fail_msg("the tree lacks this test or its child");
        return;
    }
    assert_int_equal(me->device_count + child->device_count, 2);
    assert_true(child->parent >= 0 && &t->nodes[child->parent] == me);
    assert_int_equal(t->nodes[0].depth, 0);
    if (getppid() > 1) assert_true(me->depth > 0); /* our parent is there */
    sampler_tree_release(f.s, t);
    sampler_set_tree(f.s, false);
    assert_null(sampler_tree_acquire(f.s, &seq));
    sampler_stats_t st;
    sampler_get_stats(f.s, &st);
    assert_true(st.trees >= 1);
    finish(&f);
}

/* The filter is the sampler's own copy: the caller's may go at once. Only the child is a GPU
 * process of the tree then; this test is in it as the child's parent, with no device. */
static void tree_filtered(void **state)
{
    (void)state;
    fixture_t f;
    proc_filter_t filter = {0};
    f.child = start_child();
    long child = f.child;
    assert_int_equal(proc_filter_set_pids(&filter, &child, 1), 0);
    start_sampler(&f, &filter);
    proc_filter_fini(&filter); /* freed and cleared (a pointer to it would keep every process) */
    sampler_set_tree(f.s, true);
    assert_true(wait_for(&f, tree_has_child, NULL));
    uint64_t seq;
    const ptree_t *t = sampler_tree_acquire(f.s, &seq);
    const ptree_node_t *me = find_node(t, (uint32_t)getpid());
    const ptree_node_t *kid = find_node(t, (uint32_t)f.child);
    if (!me || !kid) {
        fail_msg("the tree lacks this test or its child");
        return;
    }
    assert_int_equal(kid->device_count, 1);
    assert_int_equal(me->device_count, 0); /* kept out by the filter */
    sampler_tree_release(f.s, t);
    finish(&f);
}

static bool samples_at_least(fixture_t *f, void *arg)
{
    const sampler_watched_t *w = sampler_watched_acquire(f->s);
    bool ok = w && w->samples >= *(uint64_t *)arg;
    sampler_watched_release(f->s, w);
    return ok;
}

static bool gpu_mem_points(fixture_t *f, void *arg)
{
    (void)arg;
    float p[8];
    double last;
    return sampler_history(f->s, SAMPLER_PROC_GPU_MEM, -1, p, 8, &last, NULL) >= 1;
}

static void watch_a_process(void **state)
{
    (void)state;
    fixture_t f;
    start(&f);
    assert_null(sampler_watched_acquire(f.s));
    sampler_target_t me = {(uint32_t)getpid(), -1, 0, -1};
    sampler_watch(f.s, &me);
    uint64_t three = 3;
    assert_true(wait_for(&f, samples_at_least, &three));
    const sampler_watched_t *w = sampler_watched_acquire(f.s);
    assert_non_null(w);
    assert_true(w->listed);
    assert_false(w->ended);
    assert_int_equal(w->process.gpu_memory_bytes.value, 1073741824);
    assert_int_equal(w->process.gpu_sm_utilization_percent.value, 42);
    assert_true(NVITOP_HAS(w->process.host.rss_bytes));
    assert_true(NVITOP_HAS(w->process.host.command));
    sampler_watched_release(f.s, w);
    assert_true(wait_for(&f, gpu_mem_points, NULL)); /* one point per second */
    float p[8];
    double last;
    assert_true(sampler_history(f.s, SAMPLER_PROC_GPU_MEM, -1, p, 8, &last, NULL) >= 1);
    assert_true(fabs(p[0] - 1073741824.0) < 1e3);
    assert_true(sampler_history(f.s, SAMPLER_PROC_GPU_SM, -1, p, 8, &last, NULL) >= 1);
    assert_true(fabs(p[0] - 42.0) < 1e-3);
    assert_true(sampler_history(f.s, SAMPLER_PROC_RSS, -1, p, 8, &last, NULL) >= 1);
    assert_true(p[0] > 0);
    sampler_watch(f.s, NULL); /* off: nothing to read */
    assert_null(sampler_watched_acquire(f.s));
    finish(&f);
}

static bool watch_ended(fixture_t *f, void *arg)
{
    (void)arg;
    const sampler_watched_t *w = sampler_watched_acquire(f->s);
    bool ok = w && w->ended;
    sampler_watched_release(f->s, w);
    return ok;
}

static void watched_process_ends(void **state)
{
    (void)state;
    fixture_t f;
    start(&f);
    sampler_target_t child = {(uint32_t)f.child, -1, 1, -1};
    sampler_watch(f.s, &child);
    uint64_t two = 2;
    assert_true(wait_for(&f, samples_at_least, &two));
    kill(f.child, SIGKILL);
    waitpid(f.child, NULL, 0); /* reaped: gone from /proc, though the driver still lists it */
    f.child = 0;
    assert_true(wait_for(&f, watch_ended, NULL));
    const sampler_watched_t *w = sampler_watched_acquire(f.s);
    uint64_t samples = w->samples;
    assert_int_equal(w->process.host.na, NVITOP_NA_NO_SUCH_PROCESS);
    sampler_watched_release(f.s, w);
    usleep(400000); /* four periods: no more samples */
    w = sampler_watched_acquire(f.s);
    assert_int_equal(w->samples, samples);
    sampler_watched_release(f.s, w);
    finish(&f);
}

static bool environ_ready(fixture_t *f, void *arg)
{
    sampler_environ_t **out = arg;
    *out = sampler_environ_take(f->s);
    return *out != NULL;
}

static void environments(void **state)
{
    (void)state;
    fixture_t f;
    start(&f);
    sampler_environ_t *e = NULL;
    sampler_request_environ(f.s, (uint32_t)getpid());
    assert_true(wait_for(&f, environ_ready, &e));
    assert_int_equal(e->pid, getpid());
    assert_int_equal(e->error, 0);
    bool found = false; /* ctest sets it for every test */
    for (size_t i = 0; i < e->count; i++)
        found |= strncmp(e->vars[i], "NVITOP_FIXTURES=", 16) == 0;
    assert_true(found);
    assert_non_null(e->process);
    assert_true(NVITOP_HAS(e->process->username));
    sampler_environ_free(e);

    sampler_request_environ(f.s, 4194303); /* no such pid */
    assert_true(wait_for(&f, environ_ready, &e));
    assert_int_equal(e->error, NVITOP_ENOTFOUND);
    sampler_environ_free(e);

    sampler_request_environ(f.s, 4194303);
    sampler_request_environ(f.s, (uint32_t)getpid()); /* only this one is answered */
    assert_true(wait_for(&f, environ_ready, &e));
    assert_int_equal(e->pid, getpid());
    sampler_environ_free(e);
    usleep(200000);
    assert_null(sampler_environ_take(f.s));
    finish(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tree_while_on),   cmocka_unit_test(tree_filtered),
        cmocka_unit_test(watch_a_process), cmocka_unit_test(watched_process_ends),
        cmocka_unit_test(environments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
