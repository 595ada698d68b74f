/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes and durations written exactly as nvitop writes them. */
#include "testutil.h"

#include <nvitop.h>

#include <math.h>

static void check_bytes(int64_t bytes, int64_t min_unit, const char *want)
{
    char buf[32];
    assert_string_equal(nvitop_bytes_to_human(bytes, min_unit, buf, sizeof(buf)), want);
}

static void test_bytes_tiers(void **state)
{
    (void)state;
    check_bytes(0, 1, "0B");
    check_bytes(1023, 1, "1023B");
    check_bytes(1024, 1, "1KiB");
    check_bytes(1536, 1, "2KiB"); /* 1.5 rounds half to even: 2 */
    check_bytes(2560, 1, "2KiB"); /* 2.5 rounds half to even: 2 */
    check_bytes(1048575, 1, "1024KiB");
    check_bytes(1048576, 1, "1.00MiB");
    check_bytes(13 * NVITOP_MiB, 1, "13.00MiB");
    check_bytes(100 * NVITOP_MiB - 1, 1, "100.00MiB");
    check_bytes(100 * NVITOP_MiB, 1, "100.0MiB");
    check_bytes(512 * NVITOP_MiB, 1, "512.0MiB");
    check_bytes(1000 * NVITOP_MiB, 1, "1000MiB");
    check_bytes(10974396416LL, 1, "10466MiB"); /* the H100 capture */
    check_bytes(20 * NVITOP_GiB, 1, "20.00GiB");
    check_bytes(85520809984LL, 1, "79.65GiB");
    check_bytes(100 * NVITOP_GiB, 1, "100.0GiB");
    check_bytes(1000 * NVITOP_GiB, 1, "0.98TiB");
    check_bytes(100 * NVITOP_TiB, 1, "100.0TiB");
    check_bytes(5 * NVITOP_PiB, 1, "5.00PiB");
    check_bytes(-1, 1, "N/A");
}

static void test_bytes_min_unit(void **state)
{
    (void)state;
    check_bytes(1631907840LL / 15, NVITOP_GiB, "0.10GiB");
    check_bytes(512, NVITOP_KiB, "0KiB");
    check_bytes(512, NVITOP_MiB, "0.00MiB");
}

static void check_parse(const char *text, int64_t want)
{
    int64_t got = -1;
    assert_int_equal(nvitop_human_to_bytes(text, &got), 0);
    assert_int_equal(got, want);
}

static void test_human_to_bytes(void **state)
{
    (void)state;
    check_parse("500B", 500);
    check_parse("500", 500);
    check_parse("10k", 10000);
    check_parse("10ki", 10240);
    check_parse("1M", 1000000);
    check_parse("1MiB", 1048576);
    check_parse("1.5GiB", 1610612736);
    check_parse(" + 5 gib ", 5 * NVITOP_GiB);
    check_parse("5000M", 5000000000LL);
    check_parse("2TB", 2000000000000LL);
    int64_t v;
    const char *bad[] = {"", "GiB", "1XB", "-1", "1.", ".5", "1 G i B", "5GiBs", "1e3", "1PiB5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(nvitop_human_to_bytes(bad[i], &v), NVITOP_EINVAL);
}

static void check_duration(double s, bool round_days, const char *want)
{
    char buf[32];
    assert_string_equal(nvitop_duration_to_human(s, round_days, buf, sizeof(buf)), want);
}

static void test_duration(void **state)
{
    (void)state;
    check_duration(0, false, "0:00");
    check_duration(21.9, false, "0:21");
    check_duration(152, false, "2:32");
    check_duration(3599, false, "59:59");
    check_duration(3600, false, "1:00:00");
    check_duration(86400 + 3600, false, "25:00:00");
    check_duration(86400 + 3600, true, "1.0 days");
    check_duration(4 * 86400 + 43200, false, "4.5 days");
    check_duration(-1, false, "N/A");
    check_duration(NAN, false, "N/A");
}

static void test_cuda_version(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(nvitop_cuda_version_string(13000, buf, sizeof(buf)), "13.0");
    assert_string_equal(nvitop_cuda_version_string(12040, buf, sizeof(buf)), "12.4");
    assert_string_equal(nvitop_cuda_version_string(12041, buf, sizeof(buf)), "12.4.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_tiers),    cmocka_unit_test(test_bytes_min_unit),
        cmocka_unit_test(test_human_to_bytes), cmocka_unit_test(test_duration),
        cmocka_unit_test(test_cuda_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
