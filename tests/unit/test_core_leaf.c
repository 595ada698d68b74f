/* SPDX-License-Identifier: Apache-2.0 */
/* The leaf rule (core/leaf.c) on the simulator: a GPU without MIG is a leaf, a GPU with MIG
 * enabled is not (even with no MIG device yet), its MIG devices are; on a snapshot the same,
 * from the MIG mode when the snapshot has it, else from the place in the list. */
#include "testutil.h"

#include "core/leaf.h"

#define GPU(uuid, bus, extra)                                                                      \
    "{\"name\": \"NVIDIA A100-SXM4-40GB\", \"uuid\": \"" uuid "\", \"bus_id\": \"" bus "\","       \
    " \"memory\": {\"total\": 1000, \"used\": 10}" extra "}"

static const char scenario[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040, \"devices\": [" GPU(
        "GPU-0", "00000000:18:00.0",
        ", \"mig_mode\": 1, \"mig_devices\": [{\"gpu_instance_id\": 1, \"compute_instance_id\": 0,"
        " \"uuid\": \"MIG-0\", \"name\": \"MIG 3g.20gb\", \"memory\": {\"total\": 500, \"used\": "
        "1}}]") "," GPU("GPU-1", "00000000:19:00.0",
                        ", \"mig_mode\": 0") "," GPU("GPU-2", "00000000:1A:00.0",
                                                     ", \"mig_mode\": 1, \"mig_devices\": []") "]}";

static void devices(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(scenario, NULL);
    nvitop_device_t *mig_gpu, *plain, *empty, *mig;
    assert_int_equal(nvitop_device_get(ctx, 0, &mig_gpu), 0);
    assert_int_equal(nvitop_device_get(ctx, 1, &plain), 0);
    assert_int_equal(nvitop_device_get(ctx, 2, &empty), 0);
    assert_int_equal(nvitop_device_mig_get(mig_gpu, 0, &mig), 0);
    assert_false(device_is_leaf(mig_gpu));
    assert_true(device_is_leaf(mig));
    assert_true(device_is_leaf(plain));
    assert_false(device_is_leaf(empty)); /* MIG enabled, no instance yet: nothing to show */
    test_sim_finish(ctx, "nvmlDeviceGetName", false);
    test_sim_cleanup();
}

static void snapshots(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(scenario, NULL);
    nvitop_snapshot_request_t req = {.device_query = NVITOP_DQ_MEMORY};
    nvitop_snapshot_t *snap = NULL;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    assert_int_equal(snap->device_count, 4); /* GPU 0, MIG 0:0, GPU 1, GPU 2 */
    bool by_place[] = {false, true, true, true};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(snapshot_device_is_leaf(snap, i), by_place[i]);
    nvitop_snapshot_free(snap);
    req.device_query |= NVITOP_DQ_MIG;
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    bool by_mode[] = {false, true, true, false};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(snapshot_device_is_leaf(snap, i), by_mode[i]);
    nvitop_snapshot_free(snap);
    test_sim_finish(ctx, "nvmlDeviceGetName", false);
    test_sim_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(devices),
        cmocka_unit_test(snapshots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
