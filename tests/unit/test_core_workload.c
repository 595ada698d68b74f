/* SPDX-License-Identifier: Apache-2.0 */
/* Workloads on the fixture trees of tests/fixtures/workloads (src/core/workload.c): one pid
 * per layout with the runtimes' files for names, unknown / unreadable / vanished processes,
 * snapshots, and the container view where NSpid maps the driver's host pids. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char proc_root[4096], runtime_root[4096];

static nvitop_ctx_t *host_ctx(void)
{
    test_path(proc_root, sizeof(proc_root), "NVITOP_FIXTURES", "workloads/host/proc");
    test_path(runtime_root, sizeof(runtime_root), "NVITOP_FIXTURES", "workloads/host/root");
    setenv("NVITOP_RUNTIME_ROOT", runtime_root, 1);
    nvitop_options_t opts = {.proc_root = proc_root};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
    assert_non_null(ctx);
    return ctx;
}

static const char *str(nvitop_str_t s)
{
    return NVITOP_HAS(s) ? s.value : "N/A";
}

/* The label and kind of one fixture pid. */
static void expect(nvitop_ctx_t *ctx, uint32_t pid, int kind, const char *label)
{
    nvitop_workload_t *w = NULL;
    assert_int_equal(nvitop_process_workload(ctx, pid, &w), 0);
    if (w->kind != kind || strcmp(str(w->label), label) != 0)
        fail_msg("pid %u: kind %d label '%s', want %d '%s'", pid, w->kind, str(w->label), kind,
                 label);
    assert_int_equal(w->size, sizeof(nvitop_workload_t));
    assert_int_equal(w->pid, pid);
    nvitop_workload_free(w);
}

static void test_layouts(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = host_ctx();
    expect(ctx, 3010, NVITOP_WORKLOAD_CONTAINER, "docker web-1");
    expect(ctx, 3011, NVITOP_WORKLOAD_CONTAINER, "docker 5430eeed859c");
    expect(ctx, 3012, NVITOP_WORKLOAD_CONTAINER, "podman jupyter-lab");
    expect(ctx, 3014, NVITOP_WORKLOAD_POD, "pod team-a/train-7c9f");
    expect(ctx, 3015, NVITOP_WORKLOAD_POD, "pod serving/infer-5d8f");
    expect(ctx, 3016, NVITOP_WORKLOAD_POD, "pod research/notebook-0");
    expect(ctx, 3017, NVITOP_WORKLOAD_POD, "pod c0ffee00-1111-4222-8333-444455556666");
    expect(ctx, 3018, NVITOP_WORKLOAD_SLURM, "slurm 812345.0 (4242)");
    expect(ctx, 3019, NVITOP_WORKLOAD_SLURM, "slurm 812346.batch (4242)");
    expect(ctx, 3020, NVITOP_WORKLOAD_SLURM, "slurm 812347.1 (alice)");
    expect(ctx, 3021, NVITOP_WORKLOAD_SESSION, "session 3 (4242)");
    expect(ctx, 3022, NVITOP_WORKLOAD_UNIT, "jupyterhub.service");
    nvitop_ctx_free(ctx);
}

static void test_fields(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = host_ctx();
    nvitop_workload_t *w = NULL;
    assert_int_equal(nvitop_process_workload(ctx, 3014, &w), 0);
    assert_string_equal(str(w->runtime), "containerd");
    assert_string_equal(str(w->container_name), "trainer");
    assert_string_equal(str(w->pod_uid), "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
    assert_string_equal(str(w->pod_namespace), "team-a");
    assert_string_equal(str(w->source), "cgroup");
    assert_int_equal(w->slurm_job_id.na, NVITOP_NA_NOT_APPLICABLE);
    assert_int_equal(w->namespace_pid.value, 3014);
    nvitop_workload_free(w);
    /* cgroupfs driver: the bare id's runtime is whoever keeps its files (none here) */
    assert_int_equal(nvitop_process_workload(ctx, 3015, &w), 0);
    assert_int_equal(w->runtime.na, NVITOP_NA_NOT_APPLICABLE);
    assert_int_equal(strlen(str(w->container_id)), 64);
    nvitop_workload_free(w);
    assert_int_equal(nvitop_process_workload(ctx, 3013, &w), 0);
    assert_int_equal(w->kind, NVITOP_WORKLOAD_CONTAINER);
    assert_string_equal(str(w->runtime), "podman");
    assert_int_equal(w->container_name.na, NVITOP_NA_NOT_APPLICABLE); /* not in containers.json */
    nvitop_workload_free(w);
    assert_int_equal(nvitop_process_workload(ctx, 3020, &w), 0);
    assert_string_equal(str(w->source), "environ");
    assert_int_equal(w->slurm_job_id.value, 812347);
    assert_string_equal(str(w->slurm_step), "1");
    nvitop_workload_free(w);
    assert_int_equal(nvitop_process_workload(ctx, 3018, &w), 0);
    assert_string_equal(str(w->slurm_user), "4242");
    nvitop_workload_free(w);
    assert_int_equal(nvitop_process_workload(ctx, 3021, &w), 0);
    assert_int_equal(w->user_uid.value, 4242);
    assert_string_equal(str(w->session), "3");
    nvitop_workload_free(w);
    nvitop_ctx_free(ctx);
}

static void expect_unknown(nvitop_ctx_t *ctx, uint32_t pid, nvitop_na_t na)
{
    nvitop_workload_t *w = NULL;
    assert_int_equal(nvitop_process_workload(ctx, pid, &w), 0);
    assert_int_equal(w->kind, NVITOP_WORKLOAD_UNKNOWN);
    assert_int_equal(w->na, na);
    assert_int_equal(w->label.na, na);
    assert_null(w->label.value);
    nvitop_workload_free(w);
}

static void test_unknown(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = host_ctx();
    expect_unknown(ctx, 3023, NVITOP_NA_NOT_APPLICABLE);  /* root cgroup: in no workload */
    expect_unknown(ctx, 3024, NVITOP_NA_NO_SUCH_PROCESS); /* cgroup gone */
    expect_unknown(ctx, 3025, NVITOP_NA_IO_ERROR);        /* malformed */
    expect_unknown(ctx, 4194305, NVITOP_NA_NO_SUCH_PROCESS);
    nvitop_ctx_free(ctx);
    assert_int_equal(nvitop_process_workload(NULL, 1, NULL), NVITOP_EINVAL);
    nvitop_workload_free(NULL);
}

/* An unreadable cgroup file (git cannot hold one: root reads everything) is "no permission"
 * for a user that may not read it. */
static void test_unreadable(void **state)
{
    (void)state;
    char dir[] = "/tmp/nvitop-wl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    char path[256];
    snprintf(path, sizeof(path), "%s/7", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/7/cgroup", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("0::/system.slice/secret.service\n", f);
    fclose(f);
    assert_int_equal(chmod(path, 0), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        if (getuid() == 0 && setuid(65534) != 0) _exit(3);
        nvitop_options_t opts = {.proc_root = dir};
        nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
        nvitop_workload_t *w = NULL;
        if (!ctx || nvitop_process_workload(ctx, 7, &w) != 0) _exit(2);
        _exit(w->kind == NVITOP_WORKLOAD_UNKNOWN && w->na == NVITOP_NA_NO_PERMISSION ? 0 : 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    unlink(path);
    snprintf(path, sizeof(path), "%s/7", dir);
    rmdir(path);
    rmdir(dir);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static char *scenario_text(const char *name)
{
    char rel[256], path[4096];
    snprintf(rel, sizeof(rel), "scenarios/%s.json", name);
    return test_read_file(test_path(path, sizeof(path), "NVITOP_FIXTURES", rel), NULL);
}

static void test_snapshot(void **state)
{
    (void)state;
    test_path(proc_root, sizeof(proc_root), "NVITOP_FIXTURES", "workloads/host/proc");
    test_path(runtime_root, sizeof(runtime_root), "NVITOP_FIXTURES", "workloads/host/root");
    setenv("NVITOP_RUNTIME_ROOT", runtime_root, 1);
    char *json = scenario_text("workloads");
    nvitop_ctx_t *ctx = test_sim_ctx(json, proc_root);
    free(json);
    nvitop_snapshot_request_t req = {.process_query = NVITOP_PQ_ALL};
    nvitop_snapshot_t *s = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_null(s->workloads); /* not asked */
    assert_null(nvitop_snapshot_workload(s, 0));
    nvitop_snapshot_free(s);
    req.process_query = NVITOP_PQ_ALL | NVITOP_PQ_WORKLOAD;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_int_equal(s->process_count, 18);
    for (size_t i = 0; i < s->process_count; i++) {
        const nvitop_workload_t *w = nvitop_snapshot_workload(s, i);
        assert_non_null(w);
        assert_int_equal(w->pid, s->processes[i].pid);
        assert_int_equal(w->driver_pid, s->processes[i].pid);
        if (w->pid == 3014) assert_string_equal(str(w->label), "pod team-a/train-7c9f");
        if (w->pid == 4194305) assert_int_equal(w->na, NVITOP_NA_NO_SUCH_PROCESS);
    }
    assert_null(nvitop_snapshot_workload(s, s->process_count));
    nvitop_snapshot_free(s);
    test_sim_finish(ctx, "", true);
}

/* Inside a container: the driver's host pids 48213 and 48214 are this container's 15 and 16
 * (NSpid); 48999 is another container's, not a vanished process. */
static void test_container_view(void **state)
{
    (void)state;
    test_path(proc_root, sizeof(proc_root), "NVITOP_FIXTURES", "workloads/container/proc");
    char *json = scenario_text("workloads-container");
    nvitop_ctx_t *ctx = test_sim_ctx(json, proc_root);
    free(json);
    nvitop_snapshot_request_t req = {.process_query = NVITOP_PQ_ALL | NVITOP_PQ_WORKLOAD};
    nvitop_snapshot_t *s = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_int_equal(s->process_count, 3);
    const nvitop_workload_t *w0 = nvitop_snapshot_workload(s, 0), *w2;
    assert_int_equal(s->processes[0].pid, 15);
    assert_int_equal(s->processes[0].host.na, NVITOP_NA_NONE);
    assert_string_equal(str(s->processes[0].host.name), "python3");
    assert_int_equal(w0->driver_pid, 48213);
    assert_int_equal(w0->kind, NVITOP_WORKLOAD_CONTAINER);
    assert_int_equal(s->processes[1].pid, 16);
    w2 = nvitop_snapshot_workload(s, 2);
    assert_int_equal(s->processes[2].pid, 48999);
    assert_int_equal(s->processes[2].host.na, NVITOP_NA_NO_SUCH_PROCESS);
    assert_int_equal(w2->kind, NVITOP_WORKLOAD_OTHER_NAMESPACE);
    assert_string_equal(str(w2->label), "other container");
    assert_string_equal(nvitop_workload_kind_string(w2->kind), "other-namespace");
    nvitop_snapshot_free(s);
    /* host data alone maps the pids too, and says which process is another namespace's (the
     * others' records are not sampled) */
    req.process_query = NVITOP_PQ_HOST;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_int_equal(s->processes[0].pid, 15);
    w0 = nvitop_snapshot_workload(s, 0);
    assert_non_null(w0);
    assert_int_equal(w0->kind, NVITOP_WORKLOAD_UNKNOWN);
    assert_int_equal(w0->na, NVITOP_NA_NOT_SAMPLED);
    assert_int_equal(w0->driver_pid, 48213);
    w2 = nvitop_snapshot_workload(s, 2);
    assert_int_equal(w2->kind, NVITOP_WORKLOAD_OTHER_NAMESPACE);
    assert_int_equal(w2->driver_pid, 48999);
    nvitop_snapshot_free(s);
    /* neither host data nor workloads asked: nothing mapped, nothing said */
    req.process_query = NVITOP_PQ_UTILIZATION;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &s), 0);
    assert_null(s->workloads);
    nvitop_snapshot_free(s);
    test_sim_finish(ctx, "", true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),  cmocka_unit_test(test_fields),
        cmocka_unit_test(test_unknown),  cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_snapshot), cmocka_unit_test(test_container_view),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    test_sim_cleanup();
    return rc;
}
