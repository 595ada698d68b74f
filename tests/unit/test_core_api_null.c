/* SPDX-License-Identifier: Apache-2.0 */
/* Every public function (NVITOP_API) given NULL for each pointer argument returns an error code
 * or its documented value and never crashes. Each call runs in a child process, so one crash
 * names its call and the others still run. */
#include "testutil.h"

#include <nvitop.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static nvitop_ctx_t *ctx;     /* initialised on the simulator */
static nvitop_ctx_t *raw_ctx; /* created, never initialised */
static nvitop_device_t *dev;

#define EXPECT(expr, want)                                                                         \
    do {                                                                                           \
        long long got_ = (long long)(expr);                                                        \
        if (got_ != (long long)(want)) {                                                           \
            fprintf(stderr, "%s = %lld, want %lld\n", #expr, got_, (long long)(want));             \
            _exit(3);                                                                              \
        }                                                                                          \
    } while (0)
#define EXPECT_NULL(expr) EXPECT((expr) != NULL, 0)

static void context_calls(void)
{
    nvitop_ctx_free(NULL);
    nvitop_shutdown(NULL);
    EXPECT(nvitop_init(NULL), NVITOP_EINVAL);
    EXPECT(nvitop_is_initialized(NULL), false);
    EXPECT(nvitop_ctx_message(NULL) != NULL, true);
    EXPECT(nvitop_driver_version(NULL).na != NVITOP_NA_NONE, true);
    EXPECT(nvitop_nvml_version(NULL).na != NVITOP_NA_NONE, true);
    EXPECT(nvitop_cuda_driver_version(NULL).na != NVITOP_NA_NONE, true);
    EXPECT_NULL(nvitop_cuda_version_string(12040, NULL, 16));
    EXPECT(nvitop_now_ns(NULL) > 0, true); /* the monotonic clock */
    EXPECT(nvitop_version() != NULL, true);
    EXPECT(nvitop_strerror(12345) != NULL, true);
    EXPECT(nvitop_na_string((nvitop_na_t)12345) != NULL, true);
    int error = 0;
    nvitop_ctx_t *c = nvitop_ctx_new(NULL, &error); /* NULL options: the defaults */
    nvitop_ctx_free(c);
    c = nvitop_ctx_new(NULL, NULL);
    nvitop_ctx_free(c);
}

static void device_calls(void)
{
    unsigned n = 0;
    nvitop_device_t *d = NULL;
    EXPECT(nvitop_device_count(NULL, &n), NVITOP_EINVAL);
    EXPECT(nvitop_device_count(ctx, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_device_count(raw_ctx, &n), NVITOP_ENOTINIT);
    EXPECT(nvitop_device_get(NULL, 0, &d), NVITOP_EINVAL);
    EXPECT(nvitop_device_get(ctx, 0, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_device_get(raw_ctx, 0, &d), NVITOP_ENOTINIT);
    EXPECT(nvitop_device_by_uuid(NULL, "GPU-0", &d), NVITOP_EINVAL);
    EXPECT(nvitop_device_by_uuid(ctx, NULL, &d), NVITOP_EINVAL);
    EXPECT(nvitop_device_by_uuid(ctx, "GPU-0", NULL), NVITOP_EINVAL);
    EXPECT(nvitop_device_by_bus_id(NULL, "0", &d), NVITOP_EINVAL);
    EXPECT(nvitop_device_by_bus_id(ctx, NULL, &d), NVITOP_EINVAL);
    EXPECT(nvitop_device_by_bus_id(ctx, "0", NULL), NVITOP_EINVAL);
    EXPECT(nvitop_device_mig_count(NULL), 0);
    EXPECT(nvitop_device_mig_get(NULL, 0, &d), NVITOP_EINVAL);
    EXPECT(nvitop_device_mig_get(dev, 0, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_device_is_mig(NULL), false);
    EXPECT_NULL(nvitop_device_parent(NULL));
    nvitop_device_physical_index(NULL); /* a documented value, whatever it is */
    EXPECT(nvitop_device_mig_index(NULL), -1);
    nvitop_device_snapshot_t s;
    EXPECT(nvitop_device_query(NULL, NVITOP_DQ_NAME, &s), NVITOP_EINVAL);
    EXPECT(nvitop_device_query(dev, NVITOP_DQ_NAME, NULL), NVITOP_EINVAL);
    nvitop_device_snapshot_clear(NULL);
    nvitop_devices_query_t *q = NULL;
    EXPECT(nvitop_devices_query_begin(NULL, 1, NVITOP_DQ_NAME, &q), NVITOP_EINVAL);
    EXPECT(nvitop_devices_query_begin(&dev, 1, NVITOP_DQ_NAME, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_devices_query_end(NULL, &s), NVITOP_EINVAL);
    EXPECT(nvitop_devices_query(NULL, 1, NVITOP_DQ_NAME, &s), NVITOP_EINVAL);
    EXPECT(nvitop_devices_query(&dev, 1, NVITOP_DQ_NAME, NULL), NVITOP_EINVAL);
    nvitop_nvlinks_t links;
    EXPECT(nvitop_device_nvlinks(NULL, &links, sizeof(links)), NVITOP_EINVAL);
    EXPECT(nvitop_device_nvlinks(dev, NULL, sizeof(links)), NVITOP_EINVAL);
    EXPECT(nvitop_device_fields(NULL) != NULL, true);
    nvitop_process_list_t *list = NULL;
    EXPECT(nvitop_device_processes(NULL, 0, &list), NVITOP_EINVAL);
    EXPECT(nvitop_device_processes(dev, 0, NULL), NVITOP_EINVAL);
    nvitop_process_list_free(NULL);
}

static void cuda_calls(void)
{
    nvitop_device_t **devs = NULL;
    size_t n = 0;
    char *uuids = NULL;
    EXPECT(nvitop_cuda_visible_devices(NULL, "0", &devs, &n), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_visible_devices(ctx, "0", NULL, &n), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_visible_devices(ctx, "0", &devs, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_visible_normalize(NULL, "0", &uuids), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_visible_normalize(ctx, "0", NULL), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_devices(NULL, "0", NULL, &devs, &n, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_devices(ctx, "0", NULL, NULL, &n, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_devices(ctx, "0", NULL, &devs, NULL, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_cuda_source_string((nvitop_cuda_source_t)12345) != NULL, true);
}

static void format_calls(void)
{
    int64_t bytes = 0;
    EXPECT_NULL(nvitop_bytes_to_human(1, 0, NULL, 16));
    EXPECT(nvitop_human_to_bytes(NULL, &bytes), NVITOP_EINVAL);
    EXPECT(nvitop_human_to_bytes("1GiB", NULL), NVITOP_EINVAL);
    EXPECT_NULL(nvitop_duration_to_human(1, false, NULL, 16));
    EXPECT_NULL(nvitop_enable_state_string(12345)); /* documented: NULL if unknown */
    EXPECT_NULL(nvitop_compute_mode_string(12345));
    EXPECT_NULL(nvitop_driver_model_string(12345));
    EXPECT_NULL(nvitop_architecture_string(12345));
    EXPECT_NULL(nvitop_brand_string(12345));
    EXPECT(nvitop_process_status_string('\0') != NULL, true);
    EXPECT(nvitop_process_type_string(12345) != NULL, true);
}

static void host_calls(void)
{
    nvitop_host_snapshot_t *h = NULL;
    nvitop_host_process_t *p = NULL;
    char **vars = NULL, *cwd = NULL, *joined = NULL;
    size_t n = 0;
    EXPECT(nvitop_host_query(NULL, 0, &h), NVITOP_EINVAL);
    EXPECT(nvitop_host_query(ctx, 0, NULL), NVITOP_EINVAL);
    nvitop_host_snapshot_free(NULL);
    EXPECT(nvitop_current_user(NULL, 8), NVITOP_EINVAL);
    char user[8];
    EXPECT(nvitop_current_user(user, 0), NVITOP_EINVAL);
    EXPECT(nvitop_host_process_get(NULL, 1, &p), NVITOP_EINVAL);
    EXPECT(nvitop_host_process_get(ctx, 1, NULL), NVITOP_EINVAL);
    nvitop_host_process_free(NULL);
    EXPECT(nvitop_process_environ(NULL, 1, &vars, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_environ(ctx, 1, NULL, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_environ(ctx, 1, &vars, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_process_cwd(NULL, 1, &cwd), NVITOP_EINVAL);
    EXPECT(nvitop_process_cwd(ctx, 1, NULL), NVITOP_EINVAL);
    uint32_t *pids = NULL, *ppids = NULL;
    EXPECT(nvitop_process_ppid_map(NULL, &pids, &ppids, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_ppid_map(ctx, NULL, &ppids, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_ppid_map(ctx, &pids, NULL, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_ppid_map(ctx, &pids, &ppids, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_process_children(NULL, 1, true, &pids, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_children(ctx, 1, true, NULL, &n), NVITOP_EINVAL);
    EXPECT(nvitop_process_children(ctx, 1, true, &pids, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_command_join(NULL, 1, false, &joined), NVITOP_EINVAL);
    const char *argv[] = {"a", NULL};
    EXPECT(nvitop_command_join(argv, 1, false, NULL), NVITOP_EINVAL);
    EXPECT(nvitop_command_join(argv, 2, false, &joined), 0); /* a NULL argument is "" */
    nvitop_free(joined);
    nvitop_free(NULL);
    nvitop_strv_free(NULL, 3);
}

static void snapshot_calls(void)
{
    nvitop_snapshot_t *s = NULL;
    nvitop_snapshot_request_t req = {0};
    nvitop_selection_t *sel = NULL;
    EXPECT(nvitop_snapshot_take(NULL, &req, &s), NVITOP_EINVAL);
    EXPECT(nvitop_snapshot_take(ctx, &req, NULL), NVITOP_EINVAL);
    nvitop_snapshot_free(nvitop_snapshot_take(ctx, NULL, &s) == 0 ? s : NULL); /* defaults */
    EXPECT(nvitop_take_snapshots(NULL, NULL, 0, 0, &s), NVITOP_EINVAL);
    EXPECT(nvitop_take_snapshots(ctx, NULL, 1, 0, &s), 0); /* documented: every GPU */
    nvitop_snapshot_free(s);
    EXPECT(nvitop_take_snapshots(ctx, NULL, 0, 0, NULL), NVITOP_EINVAL);
    nvitop_snapshot_free(NULL);
    nvitop_select_options_init(NULL);
    EXPECT(nvitop_select_devices(NULL, NULL, &sel), NVITOP_EINVAL);
    EXPECT(nvitop_select_devices(ctx, NULL, NULL), NVITOP_EINVAL);
    nvitop_selection_free(NULL);
}

static void collector_calls(void)
{
    nvitop_collector_t *c = NULL;
    nvitop_metrics_t *m = NULL;
    nvitop_daemon_t *d = NULL;
    char buf[64];
    nvitop_collector_options_init(NULL);
    EXPECT(nvitop_collector_new(NULL, NULL, buf, sizeof(buf)), NVITOP_EINVAL);
    EXPECT(nvitop_collector_new(NULL, &c, NULL, 64) < 0 || c != NULL, true);
    nvitop_collector_free(c);
    nvitop_collector_free(NULL);
    EXPECT(nvitop_collector_begin(NULL, "t"), NVITOP_EINVAL);
    EXPECT(nvitop_collector_end(NULL, "t"), NVITOP_EINVAL);
    EXPECT(nvitop_collector_clear(NULL, "t"), NVITOP_EINVAL);
    EXPECT(nvitop_collector_collect(NULL, &m), NVITOP_EINVAL);
    EXPECT(nvitop_collector_sample(NULL), NVITOP_EINVAL);
    EXPECT(nvitop_collector_prefix(NULL, buf, sizeof(buf)), NVITOP_EINVAL);
    EXPECT(nvitop_collector_last_pids(NULL, NULL, 0), NVITOP_EINVAL);
    EXPECT(nvitop_collector_message(NULL, buf, sizeof(buf)) != NULL, true);
    EXPECT(nvitop_collector_message(NULL, NULL, 0) == NULL, true);
    nvitop_collector_interval(NULL);
    EXPECT_NULL(nvitop_metrics_find(NULL, "k"));
    nvitop_metrics_free(NULL);
    EXPECT(nvitop_collector_daemonize(NULL, NULL, &d), NVITOP_EINVAL);
    nvitop_daemon_stop(NULL);
    EXPECT(nvitop_daemon_running(NULL), false);
    EXPECT(nvitop_daemon_join(NULL), NVITOP_EINVAL);
    EXPECT_NULL(nvitop_daemon_collector(NULL));
    nvitop_daemon_free(NULL);
}

static const struct {
    const char *name;
    void (*run)(void);
} groups[] = {{"context", context_calls},    {"device", device_calls}, {"cuda", cuda_calls},
              {"format", format_calls},      {"host", host_calls},     {"snapshot", snapshot_calls},
              {"collector", collector_calls}};

static void null_arguments(void **state)
{
    (void)state;
    char path[512];
    char *json = test_read_file(
        test_path(path, sizeof(path), "NVITOP_SCENARIOS", "mixed-3gpu-mig.json"), NULL);
    ctx = test_sim_ctx(json, NULL);
    free(json);
    assert_int_equal(nvitop_device_get(ctx, 0, &dev), 0);
    raw_ctx = nvitop_ctx_new(NULL, NULL);
    assert_non_null(raw_ctx);
    int failed = 0;
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
        fflush(stderr);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            static const int crashes[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
            for (size_t k = 0; k < sizeof(crashes) / sizeof(crashes[0]); k++)
                signal(crashes[k], SIG_DFL); /* not cmocka's handler: the parent sees the crash */
            groups[i].run();
            _exit(0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "%s calls: %s %d\n", groups[i].name,
                    WIFSIGNALED(status) ? "killed by signal" : "exit",
                    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
            failed++;
        }
    }
    nvitop_ctx_free(raw_ctx);
    test_sim_cleanup(); /* frees ctx */
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(null_arguments)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
