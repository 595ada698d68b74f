/* SPDX-License-Identifier: Apache-2.0 */
/* GPU processes against the simulator: list merging, utilisation samples and nvitop's 0-vs-N/A
 * rule, MIG devices and their processes, the join with real host processes, snapshots. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GHOST_PID 4194400 /* above the kernel's pid limit: never a host process */

static char scenario[8192];

static const char *processes_scenario(bool unknown_memory)
{
    snprintf(scenario, sizeof(scenario),
             "{\"devices\": [{\"name\": \"NVIDIA H100 80GB HBM3\","
             " \"uuid\": \"GPU-00000000-0000-0000-0000-000000000000\","
             " \"memory\": {\"total\": 85520809984, \"used\": 10000000000}, \"processes\": ["
             "  {\"pid\": %d, \"type\": \"C\", \"used_memory\": 3332374528, \"sm\": 81,"
             "   \"mem\": 26, \"enc\": 1, \"dec\": 2},"
             "  {\"pid\": %d, \"type\": \"C+G\", \"used_memory\": %s},"
             "  {\"pid\": %d, \"type\": \"G\", \"used_memory\": 1048576, \"sm\": 5, \"mem\": 1,"
             "   \"enc\": 0, \"dec\": 0}]}]}",
             (int)getpid(), (int)getppid(), unknown_memory ? "null" : "2097152", GHOST_PID);
    return scenario;
}

static const nvitop_gpu_process_t *find(const nvitop_process_list_t *list, uint32_t pid)
{
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].pid == pid) return &list->items[i];
    fail_msg("pid %u is not in the list", pid);
    abort();
}

static void test_merge_and_samples(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(processes_scenario(false), NULL);
    nvitop_device_t *dev;
    nvitop_device_get(ctx, 0, &dev);
    nvitop_process_list_t *list = NULL;
    assert_int_equal(nvitop_device_processes(dev, NVITOP_PQ_ALL, &list), 0);
    assert_int_equal(list->count, 3);
    for (size_t i = 1; i < list->count; i++)
        assert_true(list->items[i - 1].pid < list->items[i].pid);

    const nvitop_gpu_process_t *me = find(list, (uint32_t)getpid());
    assert_non_null(me);
    assert_int_equal(me->type, NVITOP_PROCESS_COMPUTE);
    assert_int_equal(me->gpu_memory_bytes.value, 3332374528LL);
    assert_true(me->gpu_memory_percent.value > 3.85 && me->gpu_memory_percent.value < 3.95);
    assert_int_equal(me->gpu_sm_utilization_percent.value, 81);
    assert_int_equal(me->gpu_memory_utilization_percent.value, 26);
    assert_int_equal(me->gpu_encoder_utilization_percent.value, 1);
    assert_int_equal(me->gpu_decoder_utilization_percent.value, 2);
    assert_int_equal(me->gpu_instance_id.na, NVITOP_NA_NOT_APPLICABLE);
    assert_int_equal(me->host.na, NVITOP_NA_NONE);
    assert_int_equal(me->host.ppid.value, getppid());
    assert_int_equal(me->host.uid.value, getuid());
    assert_non_null(me->host.username.value);
    assert_true(me->host.argc >= 1);
    assert_non_null(strstr(me->host.command.value, "test_core_process"));
    assert_true(me->host.rss_bytes.value > 0);
    assert_true(me->host.running_time_s.value >= 0.0);
    assert_int_equal(me->host.cpu_percent.na, NVITOP_NA_NONE); /* lifetime average */
    assert_true(me->host.cpu_percent.value >= 0.0);

    /* Every memory size known: a process without a sample reads 0. */
    const nvitop_gpu_process_t *parent = find(list, (uint32_t)getppid());
    assert_int_equal(parent->type, NVITOP_PROCESS_COMPUTE | NVITOP_PROCESS_GRAPHICS);
    assert_int_equal(parent->gpu_sm_utilization_percent.value, 0);
    assert_int_equal(parent->gpu_memory_utilization_percent.value, 0);

    const nvitop_gpu_process_t *ghost = find(list, GHOST_PID);
    assert_int_equal(ghost->type, NVITOP_PROCESS_GRAPHICS);
    assert_int_equal(ghost->host.na, NVITOP_NA_NO_SUCH_PROCESS);
    assert_int_equal(ghost->host.username.na, NVITOP_NA_NO_SUCH_PROCESS);
    assert_int_equal(ghost->host.cpu_percent.na, NVITOP_NA_NO_SUCH_PROCESS);
    assert_int_equal(ghost->gpu_sm_utilization_percent.value, 5);
    nvitop_process_list_free(list);

    /* A second sample covers the interval. */
    assert_int_equal(nvitop_device_processes(dev, NVITOP_PQ_ALL, &list), 0);
    me = find(list, (uint32_t)getpid());
    assert_int_equal(me->host.cpu_percent.na, NVITOP_NA_NONE);
    assert_true(me->host.cpu_percent.value >= 0.0);
    nvitop_process_list_free(list);
    test_sim_finish(ctx, "", true);
}

static void test_unknown_memory_keeps_na(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(processes_scenario(true), NULL);
    nvitop_device_t *dev;
    nvitop_device_get(ctx, 0, &dev);
    nvitop_process_list_t *list = NULL;
    assert_int_equal(nvitop_device_processes(dev, NVITOP_PQ_UTILIZATION, &list), 0);
    const nvitop_gpu_process_t *parent = find(list, (uint32_t)getppid());
    assert_int_equal(parent->gpu_memory_bytes.na, NVITOP_NA_UNAVAILABLE);
    assert_int_equal(parent->gpu_memory_percent.na, NVITOP_NA_UNAVAILABLE);
    assert_int_not_equal(parent->gpu_sm_utilization_percent.na, NVITOP_NA_NONE);
    assert_int_equal(find(list, (uint32_t)getpid())->gpu_sm_utilization_percent.value, 81);
    /* Without NVITOP_PQ_HOST the host record is not read. */
    assert_int_equal(find(list, (uint32_t)getpid())->host.na, NVITOP_NA_NOT_SAMPLED);
    nvitop_process_list_free(list);
    test_sim_finish(ctx, "", true);
}

/* A pid listed several times (NVML does so per GPU instance): its last entry counts, as in
 * nvitop's dict, whichever order qsort leaves equal pids in (glibc 2.37 and 2.38 sort
 * unstably). Eight pids of five entries each, interleaved. */
static void test_repeated_pid_last_entry_wins(void **state)
{
    (void)state;
    size_t n = (size_t)snprintf(scenario, sizeof(scenario),
                                "{\"devices\": [{\"name\": \"GPU\", \"uuid\": "
                                "\"GPU-00000000-0000-0000-0000-000000000000\", \"memory\": "
                                "{\"total\": 85520809984, \"used\": 0}, \"processes\": [");
    for (int copy = 1; copy <= 5; copy++)
        for (int pid = 0; pid < 8; pid++)
            n += (size_t)snprintf(scenario + n, sizeof(scenario) - n,
                                  "%s{\"pid\": %d, \"type\": \"C\", \"used_memory\": %d}",
                                  copy == 1 && pid == 0 ? "" : ",", GHOST_PID + 7 - pid,
                                  1048576 * (10 * pid + copy));
    snprintf(scenario + n, sizeof(scenario) - n, "]}]}");
    nvitop_ctx_t *ctx = test_sim_ctx(scenario, NULL);
    nvitop_device_t *dev;
    nvitop_device_get(ctx, 0, &dev);
    nvitop_process_list_t *list = NULL;
    assert_int_equal(nvitop_device_processes(dev, 0, &list), 0);
    assert_int_equal(list->count, 8);
    for (int pid = 0; pid < 8; pid++)
        assert_int_equal(find(list, GHOST_PID + 7 - pid)->gpu_memory_bytes.value,
                         1048576LL * (10 * pid + 5));
    nvitop_process_list_free(list);
    test_sim_finish(ctx, "", true);
}

/* When the driver gives no utilisation samples at all (an error such as NOT_SUPPORTED), nvitop
 * treats it as no samples: 0 for every process while all memory sizes are known, else N/A. */
static void test_utilization_error_is_no_samples(void **state)
{
    (void)state;
    for (int unknown = 0; unknown <= 1; unknown++) {
        snprintf(scenario, sizeof(scenario),
                 "{\"devices\": [{\"name\": \"GPU\", \"uuid\": "
                 "\"GPU-00000000-0000-0000-0000-000000000000\", \"memory\": {\"total\": "
                 "85520809984, \"used\": 0}, \"errors\": {\"nvmlDeviceGetProcessUtilization\": "
                 "\"NOT_SUPPORTED\"}, \"processes\": [{\"pid\": %d, \"used_memory\": 1048576, "
                 "\"sm\": 50}, {\"pid\": %d, \"used_memory\": %s}]}]}",
                 GHOST_PID, GHOST_PID + 1, unknown ? "null" : "2097152");
        nvitop_ctx_t *ctx = test_sim_ctx(scenario, NULL);
        nvitop_device_t *dev;
        nvitop_device_get(ctx, 0, &dev);
        nvitop_process_list_t *list = NULL;
        assert_int_equal(nvitop_device_processes(dev, NVITOP_PQ_UTILIZATION, &list), 0);
        for (uint32_t pid = GHOST_PID; pid <= GHOST_PID + 1; pid++) {
            const nvitop_gpu_process_t *p = find(list, pid);
            if (unknown) {
                assert_int_not_equal(p->gpu_sm_utilization_percent.na, NVITOP_NA_NONE);
                assert_int_not_equal(p->gpu_decoder_utilization_percent.na, NVITOP_NA_NONE);
            } else {
                assert_int_equal(p->gpu_sm_utilization_percent.na, NVITOP_NA_NONE);
                assert_int_equal(p->gpu_sm_utilization_percent.value, 0);
                assert_int_equal(p->gpu_memory_utilization_percent.value, 0);
                assert_int_equal(p->gpu_encoder_utilization_percent.value, 0);
                assert_int_equal(p->gpu_decoder_utilization_percent.value, 0);
            }
        }
        nvitop_process_list_free(list);
        test_sim_finish(ctx, "", true);
    }
}

static const char *const mig_scenario =
    "{\"devices\": ["
    " {\"name\": \"NVIDIA A100-SXM4-40GB\", \"uuid\": \"GPU-11111111-0000-0000-0000-000000000000\","
    "  \"bus_id\": \"00000000:86:00.0\","
    "  \"memory\": {\"total\": 42949672960, \"used\": 10737418240}, \"mig_mode\": 1,"
    "  \"processes\": [], \"mig_devices\": ["
    "   {\"gpu_instance_id\": 1, \"compute_instance_id\": 0,"
    "    \"uuid\": \"MIG-22222222-0000-0000-0000-000000000000\","
    "    \"name\": \"NVIDIA A100-SXM4-40GB MIG 3g.20gb\","
    "    \"memory\": {\"total\": 20937965568, \"used\": 9663676416},"
    "    \"bar1_memory\": {\"total\": 34359738368, \"used\": 536870912},"
    "    \"processes\": [{\"pid\": 4194401, \"type\": \"C\", \"used_memory\": 8589934592}]},"
    "   {\"gpu_instance_id\": 2, \"compute_instance_id\": 0,"
    "    \"uuid\": \"MIG-33333333-0000-0000-0000-000000000000\","
    "    \"name\": \"NVIDIA A100-SXM4-40GB MIG 3g.20gb\","
    "    \"memory\": {\"total\": 20937965568, \"used\": 13631488},"
    "    \"processes\": []}]},"
    " {\"name\": \"NVIDIA A100-SXM4-40GB\", \"uuid\": \"GPU-44444444-0000-0000-0000-000000000000\","
    "  \"memory\": {\"total\": 42949672960, \"used\": 0}, \"mig_mode\": 0,"
    "  \"processes\": [{\"pid\": 4194402, \"type\": \"C\", \"used_memory\": 1024}]}]}";

static void test_mig(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(mig_scenario, NULL);
    nvitop_device_t *gpu, *mig;
    nvitop_device_get(ctx, 0, &gpu);
    assert_int_equal(nvitop_device_mig_count(gpu), 2);
    assert_int_equal(nvitop_device_mig_get(gpu, 1, &mig), 0);
    assert_true(nvitop_device_is_mig(mig));
    assert_true(nvitop_device_parent(mig) == gpu);
    assert_int_equal(nvitop_device_mig_index(mig), 1);
    assert_int_equal(nvitop_device_mig_get(gpu, 2, &mig), NVITOP_ENOTFOUND);

    nvitop_device_t *found;
    assert_int_equal(nvitop_device_by_uuid(ctx, "MIG-33333333-0000-0000-0000-000000000000", &found),
                     0);
    assert_int_equal(nvitop_device_mig_index(found), 1);
    assert_int_equal(
        nvitop_device_by_uuid(ctx, "MIG-GPU-11111111-0000-0000-0000-000000000000/1/0", &found), 0);
    assert_int_equal(nvitop_device_mig_index(found), 0);
    assert_int_equal(
        nvitop_device_by_uuid(ctx, "MIG-GPU-11111111-0000-0000-0000-000000000000/9/0", &found),
        NVITOP_ENOTFOUND);

    nvitop_device_snapshot_t s;
    nvitop_device_mig_get(gpu, 0, &mig);
    nvitop_device_query(mig, NVITOP_DQ_ALL_FAST, &s);
    assert_true(s.is_mig);
    assert_int_equal(s.physical_index, 0);
    assert_int_equal(s.mig_index, 0);
    assert_string_equal(s.name.value, "NVIDIA A100-SXM4-40GB MIG 3g.20gb");
    assert_int_equal(s.gpu_instance_id.value, 1);
    assert_int_equal(s.compute_instance_id.value, 0);
    assert_int_equal(s.mig_mode.na, NVITOP_NA_NOT_APPLICABLE);
    assert_int_equal(s.bar1_used_bytes.value, 536870912);
    assert_string_equal(s.bus_id.value, "00000000:86:00.0"); /* the parent's */

    nvitop_snapshot_request_t req = {.device_query = NVITOP_DQ_NAME | NVITOP_DQ_MEMORY,
                                     .host_query = NVITOP_HQ_MEMORY,
                                     .process_query = NVITOP_PQ_ALL};
    nvitop_snapshot_t *snap = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    assert_int_equal(snap->device_count, 4); /* GPU 0, its two MIG devices, GPU 1 */
    assert_false(snap->devices[0].is_mig);
    assert_true(snap->devices[1].is_mig && snap->devices[2].is_mig);
    assert_int_equal(snap->devices[3].physical_index, 1);
    /* Processes of leaf devices only: the MIG parent's list is not read twice. */
    assert_int_equal(snap->process_count, 2);
    assert_int_equal(snap->processes[0].pid, 4194401);
    assert_int_equal(snap->processes[0].device, 1);
    assert_int_equal(snap->processes[0].gpu_instance_id.value, 1);
    assert_true(snap->processes[0].gpu_memory_percent.value > 40.9 &&
                snap->processes[0].gpu_memory_percent.value < 41.1);
    assert_int_equal(snap->processes[1].device, 3);
    assert_int_equal(snap->processes[1].host.na, NVITOP_NA_NO_SUCH_PROCESS);
    nvitop_snapshot_free(snap);

    unsigned only[] = {1};
    req.indices = only;
    req.index_count = 1;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    assert_int_equal(snap->device_count, 1);
    assert_int_equal(snap->process_count, 1);
    nvitop_snapshot_free(snap);
    unsigned bad[] = {5};
    req.indices = bad;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), NVITOP_ENOTFOUND);
    assert_null(snap);
    test_sim_finish(ctx, "", true);
}

static void test_snapshot_owns_everything(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(processes_scenario(false), NULL);
    nvitop_snapshot_request_t req = {.device_query = NVITOP_DQ_ALL_FAST,
                                     .host_query = NVITOP_HQ_ALL,
                                     .process_query = NVITOP_PQ_ALL};
    nvitop_snapshot_t *snap = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    test_sim_finish(ctx, "", true); /* the snapshot must outlive the context */
    assert_string_equal(snap->devices[0].name.value, "NVIDIA H100 80GB HBM3");
    assert_int_equal(snap->process_count, 3);
    assert_non_null(snap->host.hostname.value);
    assert_true(snap->host.memory_total_bytes.value > 0);
    assert_int_equal(snap->host.cpu_percent.na, NVITOP_NA_NONE); /* since boot */
    for (size_t i = 0; i < snap->process_count; i++)
        if (snap->processes[i].host.na == NVITOP_NA_NONE)
            assert_non_null(snap->processes[i].host.command.value);
    nvitop_snapshot_free(snap);
}

/* Host data only needs no driver. */
static void test_host_without_nvml(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, NULL);
    nvitop_snapshot_request_t req = {.host_query = NVITOP_HQ_CPU | NVITOP_HQ_MEMORY};
    nvitop_snapshot_t *snap = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    assert_int_equal(snap->device_count, 0);
    assert_int_equal(snap->driver_version.na, NVITOP_NA_NOT_SAMPLED);
    assert_true(snap->host.cpu_count.value >= 1);
    nvitop_snapshot_free(snap);
    req.process_query = NVITOP_PQ_ALL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), NVITOP_ENOTINIT);
    nvitop_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_and_samples),
        cmocka_unit_test(test_unknown_memory_keeps_na),
        cmocka_unit_test(test_repeated_pid_last_entry_wins),
        cmocka_unit_test(test_utilization_error_is_no_samples),
        cmocka_unit_test(test_mig),
        cmocka_unit_test(test_snapshot_owns_everything),
        cmocka_unit_test(test_host_without_nvml),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    test_sim_cleanup();
    return rc;
}
