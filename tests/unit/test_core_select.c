/* SPDX-License-Identifier: Apache-2.0 */
/* Device selection: the rules of select_devices() on hand-built candidates (tolerance,
 * loosened counts, nvitop's N/A order, the MIG rule, counts), and nvitop_select_devices() on
 * the simulator (leaf devices, lost GPUs, --account-as-free with /proc fixtures, ids). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/select_internal.h"

#define GiB (1LL << 30)

static sel_num_t nan_value(void)
{
    return (sel_num_t){SEL_NAN, 0};
}

/* A physical GPU with every value known; tweak fields afterwards. */
static select_candidate_t gpu(int index, int64_t free_gib, int64_t util)
{
    select_candidate_t c = {0};
    c.physical_index = index;
    c.position = (size_t)index;
    c.free = sel_value(free_gib * GiB);
    c.used = sel_value((80 - free_gib) * GiB);
    c.total = sel_value(80 * GiB);
    c.gpu_util = sel_value(util);
    c.mem_util = sel_value(util / 2);
    return c;
}

static select_candidate_t mig(int index, int64_t free_gib, size_t position)
{
    select_candidate_t c = gpu(index, free_gib, 0);
    c.is_mig = true;
    c.position = position;
    c.gpu_util = c.mem_util = sel_na();
    return c;
}

/* Runs select_rank and writes the kept candidates as "index[:m][/loosened]" joined by ','. */
static const char *rank(select_candidate_t *c, size_t n, const nvitop_select_options_t *o,
                        bool *uuid, char *buf, size_t len)
{
    bool forced;
    size_t kept = select_rank(c, n, o, &forced);
    if (uuid) *uuid = forced;
    buf[0] = '\0';
    for (size_t i = 0; i < kept; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%d%s", i ? "," : "", c[i].physical_index,
                 c[i].is_mig ? "m" : "");
        used = strlen(buf);
        if (c[i].loosened) snprintf(buf + used, len - used, "/%u", c[i].loosened);
    }
    return buf;
}

#define RANK(c, o) rank(c, sizeof(c) / sizeof(c[0]), o, NULL, buf, sizeof(buf))

static void test_tolerance_and_loosened(void **state)
{
    (void)state;
    char buf[256];
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    assert_int_equal(o.tolerance_percent, 0);
    o.min_free_memory_bytes = 10 * GiB;
    o.tolerance_percent = 10; /* loose limit: 9 GiB */
    {
        select_candidate_t c[] = {gpu(0, 10, 0), gpu(1, 9, 0), gpu(2, 8, 0), gpu(3, 12, 0)};
        c[1].free = sel_value(9 * GiB); /* exactly at the loose limit: kept, loosened */
        assert_string_equal(RANK(c, &o), "3,0,1/1");
    }
    o.tolerance_percent = 0;
    {
        select_candidate_t c[] = {gpu(0, 10, 0), gpu(1, 9, 0)};
        assert_string_equal(RANK(c, &o), "0");
    }
    /* Utilisation: max 50 + 10 points of tolerance. */
    nvitop_select_options_init(&o);
    o.max_gpu_utilization_percent = 50;
    o.tolerance_percent = 10;
    {
        select_candidate_t c[] = {gpu(0, 40, 50), gpu(1, 40, 60), gpu(2, 40, 61), gpu(3, 40, 55)};
        assert_string_equal(RANK(c, &o), "0,3/1,1/1");
    }
    /* Several constraints failed strictly add up, and rank after fewer. */
    nvitop_select_options_init(&o);
    o.max_gpu_utilization_percent = 50;
    o.max_memory_utilization_percent = 20;
    o.min_total_memory_bytes = 81 * GiB;
    o.tolerance_percent = 20;
    {
        select_candidate_t c[] = {gpu(0, 70, 60), gpu(1, 10, 30), gpu(2, 5, 80)};
        /* gpu 0: total 80 < 81 (1), util 60 > 50 (2), mem 30 > 20 (3); gpu 1: total (1) */
        assert_string_equal(RANK(c, &o), "1/1,0/3");
    }
    /* A tolerance above 100% accepts any free memory. */
    nvitop_select_options_init(&o);
    o.min_free_memory_bytes = 10 * GiB;
    o.tolerance_percent = 200;
    {
        select_candidate_t c[] = {gpu(0, 0, 0)};
        assert_string_equal(RANK(c, &o), "0/1");
    }
}

static void test_na_semantics(void **state)
{
    (void)state;
    char buf[256];
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    o.min_free_memory_bytes = 10 * GiB;
    o.min_total_memory_bytes = 10 * GiB;
    {
        /* N/A is greater than any number: it meets minimums; NaN meets nothing. */
        select_candidate_t c[] = {gpu(0, 20, 0), gpu(1, 20, 0), gpu(2, 20, 0)};
        c[1].free = c[1].total = sel_na();
        c[2].free = nan_value();
        assert_string_equal(RANK(c, &o), "1,0");
    }
    nvitop_select_options_init(&o);
    o.max_gpu_utilization_percent = 100;
    o.max_memory_utilization_percent = 100;
    {
        /* ... and fails maximums, even a loose one. */
        select_candidate_t c[] = {gpu(0, 20, 10), gpu(1, 20, 10), gpu(2, 20, 10)};
        c[1].gpu_util = sel_na();
        c[2].mem_util = sel_na();
        o.tolerance_percent = 1000;
        assert_string_equal(RANK(c, &o), "0");
    }
    /* sel_add/sel_sub: NA or NaN on either side is NaN. */
    assert_int_equal(sel_add(sel_value(1), sel_value(2)).v, 3);
    assert_int_equal(sel_add(sel_na(), sel_value(0)).kind, SEL_NAN);
    assert_int_equal(sel_sub(sel_value(5), nan_value()).kind, SEL_NAN);
}

static void test_sort_order(void **state)
{
    (void)state;
    char buf[256];
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    {
        /* Free memory descending, then used descending, then GPU util, memory util
         * ascending, then the physical index descending. */
        select_candidate_t c[] = {gpu(0, 30, 0), gpu(1, 50, 90), gpu(2, 30, 0), gpu(3, 30, 5)};
        c[2].used = sel_value(60 * GiB); /* more used than gpu 0 (50) */
        assert_string_equal(RANK(c, &o), "1,2,0,3");
        select_candidate_t d[] = {gpu(0, 30, 10), gpu(1, 30, 10), gpu(2, 30, 10)};
        d[1].mem_util = sel_value(1);
        assert_string_equal(RANK(d, &o), "1,2,0");
    }
    {
        /* N/A first (nvitop's (not isnan(x), x) key), for every value. */
        select_candidate_t c[] = {gpu(0, 70, 0), gpu(1, 10, 0), gpu(2, 40, 0)};
        c[1].free = sel_na();
        assert_string_equal(RANK(c, &o), "1,0,2");
        select_candidate_t d[] = {gpu(0, 30, 0), gpu(1, 30, 90)};
        d[1].used = sel_na();
        assert_string_equal(RANK(d, &o), "1,0");
        select_candidate_t e[] = {gpu(0, 30, 0), gpu(1, 30, 90)};
        e[1].gpu_util = sel_na();
        assert_string_equal(RANK(e, &o), "1,0");
    }
    {
        /* Two unknown free (or used) values: Python compares two NaN objects, neither is
         * less, so the later keys are not looked at and the input order stays. */
        select_candidate_t c[] = {gpu(0, 30, 90), gpu(1, 30, 0), gpu(2, 30, 50)};
        c[0].free = c[1].free = c[2].free = sel_na();
        assert_string_equal(RANK(c, &o), "0,1,2");
        select_candidate_t d[] = {gpu(0, 30, 90), gpu(1, 30, 0)};
        d[0].used = d[1].used = nan_value();
        assert_string_equal(RANK(d, &o), "0,1");
        /* Two N/A utilisations are one object (nvitop's NA): the next key decides. */
        select_candidate_t e[] = {gpu(0, 30, 0), gpu(1, 30, 0), gpu(2, 30, 0)};
        e[0].gpu_util = e[1].gpu_util = e[2].gpu_util = sel_na();
        e[0].mem_util = e[1].mem_util = e[2].mem_util = sel_na();
        assert_string_equal(RANK(e, &o), "2,1,0");
    }
    {
        /* no_sort keeps the input order; loosened does not reorder then. */
        o.no_sort = true;
        select_candidate_t c[] = {gpu(2, 10, 0), gpu(0, 70, 0), gpu(1, 40, 0)};
        c[0].position = 0, c[1].position = 1, c[2].position = 2;
        assert_string_equal(RANK(c, &o), "2,0,1");
    }
}

static void test_mig_rule(void **state)
{
    (void)state;
    char buf[256];
    bool uuid;
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    {
        /* The best is a physical GPU: MIG devices are dropped. */
        select_candidate_t c[] = {gpu(0, 30, 0), gpu(1, 60, 0), mig(2, 19, 2), mig(2, 10, 3)};
        assert_string_equal(rank(c, 4, &o, &uuid, buf, sizeof(buf)), "1,0");
        assert_false(uuid);
    }
    {
        /* The best is a MIG device and min_count is 0: only it, as a UUID. */
        select_candidate_t c[] = {gpu(0, 5, 0), mig(2, 10, 1), mig(2, 19, 2)};
        assert_string_equal(rank(c, 3, &o, &uuid, buf, sizeof(buf)), "2m");
        assert_true(uuid);
        assert_int_equal(c[0].position, 2);
        o.force_index = true;
        select_candidate_t d[] = {gpu(0, 5, 0), mig(2, 10, 1), mig(2, 19, 2)};
        assert_string_equal(rank(d, 3, &o, &uuid, buf, sizeof(buf)), "2m");
        assert_false(uuid);
        o.force_index = false;
        o.format = NVITOP_SELECT_FORMAT_UUID; /* already UUIDs: nothing to switch */
        select_candidate_t e[] = {mig(2, 19, 0), gpu(0, 5, 0)};
        assert_string_equal(rank(e, 2, &o, &uuid, buf, sizeof(buf)), "2m");
        assert_false(uuid);
        o.format = NVITOP_SELECT_FORMAT_INDEX;
    }
    {
        /* Enough physical GPUs for min_count: they win even when a MIG device ranks first. */
        o.min_count = 2;
        select_candidate_t c[] = {mig(2, 19, 0), gpu(0, 5, 0), gpu(1, 6, 0)};
        assert_string_equal(rank(c, 3, &o, &uuid, buf, sizeof(buf)), "1,0");
        o.min_count = 3;
        select_candidate_t d[] = {mig(2, 19, 0), gpu(0, 5, 0), gpu(1, 6, 0)};
        assert_string_equal(rank(d, 3, &o, &uuid, buf, sizeof(buf)), "2m");
        assert_true(uuid);
        o.min_count = 0;
    }
    {
        /* Only MIG devices: the best one. */
        select_candidate_t c[] = {mig(2, 5, 0), mig(2, 19, 1), mig(3, 19, 2)};
        assert_string_equal(rank(c, 3, &o, &uuid, buf, sizeof(buf)), "3m");
    }
}

static void test_counts(void **state)
{
    (void)state;
    char buf[256];
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    o.max_count = 2;
    {
        select_candidate_t c[] = {gpu(0, 30, 0), gpu(1, 60, 0), gpu(2, 50, 0)};
        assert_string_equal(RANK(c, &o), "1,2");
    }
    o.max_count = 0;
    {
        select_candidate_t c[] = {gpu(0, 30, 0)};
        assert_string_equal(RANK(c, &o), "");
    }
    o.max_count = 5;
    {
        select_candidate_t c[] = {gpu(0, 30, 0)};
        assert_string_equal(RANK(c, &o), "0");
    }
}

/* ---- through the library, on the simulator ---- */

/* GPU 0: 10 GiB used by root (pid 1045), 5 GiB by uid 4242 (pid 2001), 1 GiB by a pid the
 * host does not know; GPU 1 lost; GPU 2 MIG on with two instances; GPU 3 idle. */
static const char *const scenario =
    "{\"devices\": ["
    " {\"uuid\": \"GPU-00000000-0000-0000-0000-000000000000\","
    "  \"memory\": {\"total\": 85899345920, \"used\": 17179869184},"
    "  \"utilization\": {\"gpu\": 30, \"memory\": 10}, \"processes\": ["
    "   {\"pid\": 1045, \"used_memory\": 10737418240},"
    "   {\"pid\": 2001, \"used_memory\": 5368709120},"
    "   {\"pid\": 3999999, \"used_memory\": 1073741824}]},"
    " {\"uuid\": \"GPU-11111111-0000-0000-0000-000000000000\", \"errors\": {\"*\": "
    "\"GPU_IS_LOST\"}},"
    " {\"uuid\": \"GPU-22222222-0000-0000-0000-000000000000\", \"mig_mode\": 1,"
    "  \"memory\": {\"total\": 42949672960, \"used\": 1073741824}, \"mig_devices\": ["
    "   {\"gpu_instance_id\": 1, \"compute_instance_id\": 0,"
    "    \"uuid\": \"MIG-aaaaaaaa-0000-0000-0000-000000000000\","
    "    \"memory\": {\"total\": 21474836480, \"used\": 1073741824}},"
    "   {\"gpu_instance_id\": 2, \"compute_instance_id\": 0,"
    "    \"uuid\": \"MIG-bbbbbbbb-0000-0000-0000-000000000000\","
    "    \"memory\": {\"total\": 21474836480, \"used\": 0}}]},"
    " {\"uuid\": \"GPU-33333333-0000-0000-0000-000000000000\","
    "  \"memory\": {\"total\": 85899345920, \"used\": 0},"
    "  \"utilization\": {\"gpu\": 0, \"memory\": 0}}]}";

static const char *ids(const nvitop_selection_t *sel, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < sel->count; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? "," : "", sel->devices[i].id);
    }
    return buf;
}

static void test_library(void **state)
{
    (void)state;
    char proc[512], buf[512];
    nvitop_ctx_t *ctx =
        test_sim_ctx(scenario, test_path(proc, sizeof(proc), "NVITOP_FIXTURES", "proc/basic"));
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    nvitop_selection_t *sel = NULL;

    /* Leaves: GPU 0, the two MIG devices, GPU 3; the lost GPU 1 is left out. */
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_int_equal(sel->candidate_count, 4);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "3,0");
    assert_int_equal(sel->format, NVITOP_SELECT_FORMAT_INDEX);
    assert_int_equal(sel->devices[1].memory_free_bytes.value, 64 * GiB);
    assert_int_equal(sel->devices[1].gpu_utilization_percent.value, 30);
    nvitop_selection_free(sel);

    /* Only the MIG GPU: its best instance, as a UUID; "(2, 1)" with force_index. */
    nvitop_device_t *dev2;
    assert_int_equal(nvitop_device_get(ctx, 2, &dev2), 0);
    o.devices = &dev2;
    o.device_count = 1;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "MIG-bbbbbbbb-0000-0000-0000-000000000000");
    assert_int_equal(sel->format, NVITOP_SELECT_FORMAT_UUID);
    assert_true(sel->devices[0].is_mig);
    assert_int_equal(sel->devices[0].mig_index, 1);
    assert_int_equal(sel->devices[0].gpu_utilization_percent.na, NVITOP_NA_NOT_SUPPORTED);
    nvitop_selection_free(sel);
    o.force_index = true;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "(2, 1)");
    nvitop_selection_free(sel);
    o.force_index = false;
    o.devices = NULL;
    o.device_count = 0;

    /* --account-as-free root: the 10 GiB of root's pid 1045 on GPU 0 count as free. */
    const char *root[] = {"root"};
    o.free_accounts = root;
    o.free_account_count = 1;
    o.min_free_memory_bytes = 70 * GiB;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "3,0");
    assert_int_equal(sel->devices[1].memory_free_bytes.value, 74 * GiB);
    assert_int_equal(sel->devices[1].memory_used_bytes.value, 6 * GiB);
    nvitop_selection_free(sel);
    const char *other[] = {"4242"};
    o.free_accounts = other;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "3"); /* 64 + 5 = 69 GiB < 70 */
    nvitop_selection_free(sel);
    o.tolerance_percent = 10; /* 63 GiB loose */
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "3,0");
    assert_int_equal(sel->devices[1].loosened, 1);
    nvitop_selection_free(sel);

    /* UUID format, and the argument checks. */
    nvitop_select_options_init(&o);
    o.format = NVITOP_SELECT_FORMAT_UUID;
    o.max_count = 1;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "GPU-33333333-0000-0000-0000-000000000000");
    nvitop_selection_free(sel);
    o.min_count = 2;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), NVITOP_EINVAL);
    o.max_count = 0; /* zero wins: empty, as in Python */
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_int_equal(sel->count, 0);
    nvitop_selection_free(sel);
    o.tolerance_percent = -1;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), NVITOP_EINVAL);
    assert_int_equal(nvitop_select_devices(ctx, NULL, &sel), NVITOP_EINVAL);
    nvitop_selection_free(NULL);
    test_sim_finish(ctx, "", true);
    test_sim_cleanup();
}

/* A process of a free account without a memory figure makes the sum unknown: that device then
 * meets no minimum (nvitop: NA + int is NaN). */
static void test_account_unknown_memory(void **state)
{
    (void)state;
    char proc[512], buf[64];
    nvitop_ctx_t *ctx = test_sim_ctx(
        "{\"devices\": [{\"memory\": {\"total\": 100, \"used\": 50},"
        " \"utilization\": {\"gpu\": 0, \"memory\": 0}, \"processes\": [{\"pid\": 1045}]},"
        " {\"memory\": {\"total\": 100, \"used\": 90},"
        " \"utilization\": {\"gpu\": 0, \"memory\": 0}}]}",
        test_path(proc, sizeof(proc), "NVITOP_FIXTURES", "proc/basic"));
    nvitop_select_options_t o;
    nvitop_select_options_init(&o);
    const char *root[] = {"root"};
    o.free_accounts = root;
    o.free_account_count = 1;
    nvitop_selection_t *sel = NULL;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "0,1"); /* unknown free ranks first */
    assert_int_equal(sel->devices[0].memory_free_bytes.na, NVITOP_NA_UNAVAILABLE);
    nvitop_selection_free(sel);
    o.min_free_memory_bytes = 1;
    assert_int_equal(nvitop_select_devices(ctx, &o, &sel), 0);
    assert_string_equal(ids(sel, buf, sizeof(buf)), "1");
    nvitop_selection_free(sel);
    test_sim_finish(ctx, "", true);
    test_sim_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tolerance_and_loosened),
        cmocka_unit_test(test_na_semantics),
        cmocka_unit_test(test_sort_order),
        cmocka_unit_test(test_mig_rule),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_library),
        cmocka_unit_test(test_account_unknown_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
