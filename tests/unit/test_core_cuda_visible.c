/* SPDX-License-Identifier: Apache-2.0 */
/* CUDA_VISIBLE_DEVICES resolution: indices, abbreviated UUIDs, MIG, CUDA's cut-off rules. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GPU 0, 1, 3 plain; GPU 2 MIG-enabled with two instances. */
static const char *const four_gpus =
    "{\"devices\": ["
    " {\"name\": \"G0\", \"uuid\": \"GPU-0a000000-0000-0000-0000-000000000000\", \"processes\": "
    "[]},"
    " {\"name\": \"G1\", \"uuid\": \"GPU-0b000000-0000-0000-0000-000000000000\", \"processes\": "
    "[]},"
    " {\"name\": \"G2\", \"uuid\": \"GPU-2c000000-0000-0000-0000-000000000000\", \"mig_mode\": 1,"
    "  \"processes\": [], \"mig_devices\": ["
    "   {\"gpu_instance_id\": 1, \"compute_instance_id\": 0, \"name\": \"M0\","
    "    \"uuid\": \"MIG-aa000000-0000-0000-0000-000000000000\", \"processes\": []},"
    "   {\"gpu_instance_id\": 2, \"compute_instance_id\": 0, \"name\": \"M1\","
    "    \"uuid\": \"MIG-bb000000-0000-0000-0000-000000000000\", \"processes\": []}]},"
    " {\"name\": \"G3\", \"uuid\": \"GPU-3d000000-0000-0000-0000-000000000000\", \"mig_mode\": 0,"
    "  \"processes\": []}]}";

static nvitop_ctx_t *ctx;

/* Resolves `value` and writes "0,1,2:0" (physical[:mig]) into buf. */
static const char *resolve(const char *value, char *buf, size_t len)
{
    nvitop_device_t **devs = NULL;
    size_t n = 99;
    assert_int_equal(nvitop_cuda_visible_devices(ctx, value, &devs, &n), 0);
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        int mig = nvitop_device_mig_index(devs[i]);
        if (mig >= 0)
            snprintf(buf + used, len - used, "%s%u:%d", i ? "," : "",
                     nvitop_device_physical_index(devs[i]), mig);
        else
            snprintf(buf + used, len - used, "%s%u", i ? "," : "",
                     nvitop_device_physical_index(devs[i]));
    }
    nvitop_free(devs);
    return buf;
}

static void check(const char *value, const char *want)
{
    char buf[128];
    assert_string_equal(resolve(value, buf, sizeof(buf)), want);
}

static void test_indices(void **state)
{
    (void)state;
    check("0,1", "0,1");
    check("1,0", "1,0");
    check(" 3 , 0 ", "3,0");
    check("1abc,0", "1,0"); /* leading digits count */
    check("0,7,1", "0");    /* stops at the first invalid entry */
    check("0,,1", "0");     /* an empty entry is invalid */
    check("-1,0", "");
    check("0,0", ""); /* a repeated device: none */
    check("0,1,0", "");
    check("", "");
    check("16", "");
    check("0,GPU-0b", "0"); /* the first entry fixes the kind */
}

static void test_uuids(void **state)
{
    (void)state;
    check("GPU-0b000000-0000-0000-0000-000000000000,GPU-0a", "1,0");
    check("GPU-3d", "3");
    check("GPU-3D", "3");
    check("GPU-0", ""); /* ambiguous: GPU 0 and 1 */
    check("GPU-ffff", "");
    check("GPU-", "");
    check("GPU-3d,1", "3");
}

static void test_mig_rules(void **state)
{
    (void)state;
    check(NULL, "2:0");  /* unset: every GPU, and GPU 2 has MIG on */
    check("0,2", "2:0"); /* a listed MIG-enabled GPU: its first instance */
    check("0,1", "0,1");
    check("MIG-bb000000-0000-0000-0000-000000000000", "2:1");
    check("MIG-bb", "2:1");
    check("MIG-GPU-2c000000-0000-0000-0000-000000000000/1/0", "2:0");
    check("MIG-aa,MIG-bb", "2:0"); /* CUDA shows one MIG device */
    check("GPU-0a,MIG-bb", "2:1"); /* any listed MIG device wins */
}

static void test_normalize(void **state)
{
    (void)state;
    char *uuids = NULL;
    assert_int_equal(nvitop_cuda_visible_normalize(ctx, "3,0", &uuids), 0);
    assert_string_equal(uuids, "GPU-3d000000-0000-0000-0000-000000000000,"
                               "GPU-0a000000-0000-0000-0000-000000000000");
    nvitop_free(uuids);
    assert_int_equal(nvitop_cuda_visible_normalize(ctx, "0,0", &uuids), 0);
    assert_string_equal(uuids, "");
    nvitop_free(uuids);
    assert_int_equal(nvitop_cuda_visible_normalize(ctx, NULL, &uuids), 0);
    assert_string_equal(uuids, "MIG-aa000000-0000-0000-0000-000000000000");
    nvitop_free(uuids);
}

/* Unset, the list is every GPU's UUID read as a list (nvitop's NVML parse): it ends before the
 * first GPU whose UUID cannot be read, a lost one (nvitop names it N/A, no UUID), as any
 * invalid entry ends a list. */
static void test_unset_stops_at_unnamed_gpu(void **state)
{
    (void)state;
    static const char *const lost_second =
        "{\"devices\": ["
        " {\"name\": \"G0\", \"uuid\": \"GPU-0a000000-0000-0000-0000-000000000000\"},"
        " {\"name\": \"G1\", \"uuid\": \"GPU-0b000000-0000-0000-0000-000000000000\","
        "  \"errors\": {\"*\": \"GPU_IS_LOST\"}},"
        " {\"name\": \"G2\", \"uuid\": \"GPU-0c000000-0000-0000-0000-000000000000\"}]}";
    test_sim_finish(ctx, "", true);
    test_sim_cleanup();
    ctx = test_sim_ctx(lost_second, NULL);
    check(NULL, "0");
    check("0,1,2", "0,1,2"); /* indices need no UUID */
    check("GPU-0c,GPU-0b,GPU-0a", "2");
    test_sim_finish(ctx, "", true);
    test_sim_cleanup();
    ctx = test_sim_ctx(four_gpus, NULL);
}

static int setup(void **state)
{
    (void)state;
    ctx = test_sim_ctx(four_gpus, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_sim_finish(ctx, "", true);
    test_sim_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_indices),
        cmocka_unit_test(test_uuids),
        cmocka_unit_test(test_mig_rules),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_unset_stops_at_unnamed_gpu),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
