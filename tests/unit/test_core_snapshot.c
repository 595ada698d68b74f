/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_take_snapshots() and the `devices` request of nvitop_snapshot_take(): Python's
 * take_snapshots() rules (all physical GPUs with their MIG devices and processes of the leaf
 * devices by default; exactly the given devices, in their order, otherwise), CUDA indices,
 * devices only, bad requests, and a snapshot that outlives its context. Scenario:
 * mixed-3gpu-mig.json (GPU 0: 2 processes, GPU 1: 3, GPU 2: MIG-enabled, MIG (2, 0) runs one). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static nvitop_ctx_t *mixed_ctx(void)
{
    char path[512];
    char *json = test_read_file(
        test_path(path, sizeof(path), "NVITOP_SCENARIOS", "mixed-3gpu-mig.json"), NULL);
    nvitop_ctx_t *ctx = test_sim_ctx(json, NULL);
    free(json);
    return ctx;
}

static nvitop_device_t *device(nvitop_ctx_t *ctx, unsigned index)
{
    nvitop_device_t *dev = NULL;
    assert_int_equal(nvitop_device_get(ctx, index, &dev), 0);
    return dev;
}

/* Processes of a device as the device itself lists them. */
static size_t processes_of(nvitop_device_t *dev)
{
    nvitop_process_list_t *list = NULL;
    assert_int_equal(nvitop_device_processes(dev, 0, &list), 0);
    size_t n = list->count;
    nvitop_process_list_free(list);
    return n;
}

static void test_all_devices(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = mixed_ctx();
    nvitop_snapshot_t *s = NULL;
    assert_int_equal(nvitop_take_snapshots(ctx, NULL, 0, 0, &s), 0);
    /* Three physical GPUs and the two MIG devices of GPU 2, after it. */
    assert_int_equal(s->device_count, 5);
    assert_false(s->devices[2].is_mig);
    assert_true(s->devices[3].is_mig && s->devices[4].is_mig);
    assert_int_equal(s->devices[3].physical_index, 2);
    assert_int_equal(s->devices[0].cuda_index, -1);
    assert_true(NVITOP_HAS(s->devices[0].memory_used_bytes));
    assert_true(NVITOP_HAS(s->devices[1].temperature_c));
    /* Processes from the leaf devices only: the MIG process is listed once, on its MIG. */
    assert_int_equal(s->process_count, 2 + 3 + 1);
    size_t on_mig = 0;
    for (size_t i = 0; i < s->process_count; i++) {
        const nvitop_gpu_process_t *p = &s->processes[i];
        assert_true(p->device >= 0 && (size_t)p->device < s->device_count);
        assert_int_not_equal(p->device, 2);
        if (p->device == 3) {
            on_mig++;
            assert_int_equal(p->pid, 3044200);
        }
        assert_true(NVITOP_HAS(p->gpu_memory_bytes));
    }
    assert_int_equal(on_mig, 1);
    assert_true(NVITOP_HAS(s->host.memory_total_bytes));
    nvitop_snapshot_free(s);

    assert_int_equal(nvitop_take_snapshots(ctx, NULL, 0, NVITOP_SNAPSHOT_NO_PROCESSES, &s), 0);
    assert_int_equal(s->device_count, 5);
    assert_int_equal(s->process_count, 0);
    assert_null(s->processes);
    nvitop_snapshot_free(s);
    test_sim_finish(ctx, "nvmlInit", true);
}

/* Given devices: exactly those, in that order, processes from each (a MIG-enabled GPU's
 * include its MIG devices'); CUDA order numbers them. */
static void test_given_devices(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = mixed_ctx();
    nvitop_device_t *cuda[] = {device(ctx, 1), device(ctx, 0)};
    nvitop_snapshot_t *s = NULL;
    assert_int_equal(nvitop_take_snapshots(ctx, cuda, 2, NVITOP_SNAPSHOT_CUDA_ORDER, &s), 0);
    assert_int_equal(s->device_count, 2);
    assert_int_equal(s->devices[0].physical_index, 1);
    assert_int_equal(s->devices[0].cuda_index, 0);
    assert_int_equal(s->devices[1].physical_index, 0);
    assert_int_equal(s->devices[1].cuda_index, 1);
    assert_int_equal(s->process_count, processes_of(cuda[0]) + processes_of(cuda[1]));
    size_t first = 0;
    for (size_t i = 0; i < s->process_count; i++)
        if (s->processes[i].device == 0) first++;
    assert_int_equal(first, processes_of(cuda[0]));
    nvitop_snapshot_free(s);

    nvitop_device_t *parent = device(ctx, 2), *mig = NULL;
    assert_int_equal(nvitop_device_mig_get(parent, 0, &mig), 0);
    nvitop_device_t *only_mig[] = {mig};
    assert_int_equal(nvitop_take_snapshots(ctx, only_mig, 1, 0, &s), 0);
    assert_int_equal(s->device_count, 1);
    assert_true(s->devices[0].is_mig);
    assert_int_equal(s->process_count, 1);
    assert_int_equal(s->processes[0].pid, 3044200);
    nvitop_snapshot_free(s);

    nvitop_device_t *only_parent[] = {parent};
    assert_int_equal(nvitop_take_snapshots(ctx, only_parent, 1, 0, &s), 0);
    assert_int_equal(s->device_count, 1); /* its MIG devices are not added */
    assert_int_equal(s->process_count, 1);
    assert_int_equal(s->processes[0].device, 0);
    nvitop_snapshot_free(s);
    test_sim_finish(ctx, "nvmlInit", true);
}

static void test_bad_requests(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = mixed_ctx();
    nvitop_snapshot_t *s = (nvitop_snapshot_t *)ctx;
    nvitop_device_t *with_null[] = {device(ctx, 0), NULL};
    assert_int_equal(nvitop_take_snapshots(ctx, with_null, 2, 0, &s), NVITOP_EINVAL);
    assert_null(s);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "NULL"));
    assert_int_equal(nvitop_take_snapshots(NULL, NULL, 0, 0, &s), NVITOP_EINVAL);
    assert_int_equal(nvitop_take_snapshots(ctx, NULL, 0, 0, NULL), NVITOP_EINVAL);

    nvitop_ctx_t *other = nvitop_ctx_new(NULL, NULL);
    assert_non_null(other);
    assert_int_equal(nvitop_take_snapshots(other, NULL, 0, 0, &s), NVITOP_ENOTINIT);
    nvitop_ctx_free(other);
    nvitop_options_t opts = {.nvml_library = getenv("NVITOP_SIM_LIB")};
    other = nvitop_ctx_new(&opts, NULL); /* the same scenario, another context */
    assert_int_equal(nvitop_init(other), 0);
    nvitop_device_t *foreign[] = {device(ctx, 0)};
    assert_int_equal(nvitop_take_snapshots(other, foreign, 1, 0, &s), NVITOP_ENOTFOUND);
    assert_non_null(strstr(nvitop_ctx_message(other), "another context"));
    nvitop_ctx_free(other);
    test_sim_finish(ctx, "nvmlInit", true);
}

/* The snapshot owns its strings: it is readable after its context is gone. */
static void test_outlives_context(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = mixed_ctx();
    nvitop_snapshot_t *s = NULL;
    assert_int_equal(nvitop_take_snapshots(ctx, NULL, 0, 0, &s), 0);
    test_sim_finish(ctx, "nvmlInit", true);
    assert_string_equal(s->devices[0].name.value, "NVIDIA H100 80GB HBM3");
    assert_non_null(s->driver_version.value);
    for (size_t i = 0; i < s->process_count; i++)
        if (s->processes[i].host.command.value)
            assert_true(strlen(s->processes[i].host.command.value) < 4096);
    nvitop_snapshot_free(s);
    nvitop_snapshot_free(NULL);
}

static int teardown(void **state)
{
    (void)state;
    test_sim_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_all_devices, teardown),
        cmocka_unit_test_teardown(test_given_devices, teardown),
        cmocka_unit_test_teardown(test_bad_requests, teardown),
        cmocka_unit_test_teardown(test_outlives_context, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
