/* SPDX-License-Identifier: Apache-2.0 */
/* The device field table describes the snapshot struct completely and consistently. */
#include "testutil.h"

#include <nvitop.h>

#include <string.h>

static size_t value_size(nvitop_value_type_t t)
{
    return t == NVITOP_VALUE_INT    ? sizeof(nvitop_int_t)
           : t == NVITOP_VALUE_REAL ? sizeof(nvitop_real_t)
                                    : sizeof(nvitop_str_t);
}

/* Every byte of the struct after the identity header is covered by exactly one row, except
 * the per-link NVLink arrays. */
static void test_table_covers_struct(void **state)
{
    (void)state;
    size_t n;
    const nvitop_field_info_t *f = nvitop_device_fields(&n);
    assert_true(n > 50);
    size_t first = offsetof(nvitop_device_snapshot_t, name);
    size_t links_begin = offsetof(nvitop_device_snapshot_t, nvlink_tx_kibps);
    size_t links_end = offsetof(nvitop_device_snapshot_t, nvlink_total_tx_kibps);
    size_t expect = first;
    for (size_t i = 0; i < n; i++) {
        if (expect == links_begin) expect = links_end;
        assert_int_equal(f[i].offset, expect);
        expect += value_size(f[i].type);
    }
    assert_int_equal(expect, sizeof(nvitop_device_snapshot_t));
}

static void test_keys_unique_and_units_named(void **state)
{
    (void)state;
    size_t n;
    const nvitop_field_info_t *f = nvitop_device_fields(&n);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(f[i].key);
        assert_non_null(f[i].description);
        assert_true(f[i].query != 0);
        for (size_t j = i + 1; j < n; j++)
            assert_string_not_equal(f[i].key, f[j].key);
        const char *unit = f[i].unit;
        const char *key = f[i].key;
        size_t len = strlen(key);
        if (!strcmp(unit, "B"))
            assert_string_equal(key + len - 6, "_bytes");
        else if (!strcmp(unit, "%"))
            assert_string_equal(key + len - 7, "percent");
        else if (!strcmp(unit, "MHz"))
            assert_string_equal(key + len - 4, "_mhz");
        else if (!strcmp(unit, "KiB/s"))
            assert_string_equal(key + len - 6, "_kibps");
    }
}

static void test_clear_marks_everything_unsampled(void **state)
{
    (void)state;
    nvitop_device_snapshot_t s;
    memset(&s, 0xAB, sizeof(s));
    nvitop_device_snapshot_clear(&s);
    assert_int_equal(s.physical_index, -1);
    assert_int_equal(s.mig_index, -1);
    assert_int_equal(s.cuda_index, -1);
    assert_false(s.is_mig);
    assert_int_equal(s.name.na, NVITOP_NA_NOT_SAMPLED);
    assert_null(s.name.value);
    assert_int_equal(s.memory_percent.na, NVITOP_NA_NOT_SAMPLED);
    assert_int_equal(s.nvlink_tx_kibps[17].na, NVITOP_NA_NOT_SAMPLED);
    assert_int_equal(s.nvlink_mean_rx_kibps.na, NVITOP_NA_NOT_SAMPLED);
}

static void test_strings(void **state)
{
    (void)state;
    assert_string_equal(nvitop_compute_mode_string(3), "Exclusive Process");
    assert_null(nvitop_compute_mode_string(7));
    assert_string_equal(nvitop_enable_state_string(1), "Enabled");
    assert_string_equal(nvitop_architecture_string(9), "Hopper");
    assert_string_equal(nvitop_brand_string(14), "NVIDIA");
    assert_string_equal(nvitop_process_type_string(3), "C+G");
    assert_string_equal(nvitop_process_type_string(0), "N/A");
    assert_string_equal(nvitop_process_status_string('Z'), "zombie");
    assert_string_equal(nvitop_na_string(NVITOP_NA_GPU_LOST), "GPU is lost");
    assert_string_equal(nvitop_na_string((nvitop_na_t)999), "unknown");
    assert_string_equal(nvitop_strerror(NVITOP_ENOLIB),
                        "NVIDIA Management Library (NVML) not found");
    assert_string_equal(nvitop_version(), "1.7.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_covers_struct),
        cmocka_unit_test(test_keys_unique_and_units_named),
        cmocka_unit_test(test_clear_marks_everything_unsampled),
        cmocka_unit_test(test_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
