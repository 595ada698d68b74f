/* SPDX-License-Identifier: Apache-2.0 */
/* The recorder's writer: a series is one number when it never changed, else a sequence with
 * one element per sample; the sample count of a duration. */
#include "testutil.h"

#include <string.h>

#include "record/record_internal.h"

static const char *series(const long long *values, unsigned n, double step, strbuf_t *out)
{
    jw_t w;
    strbuf_reset(out);
    jw_init(&w, out);
    rec_write_series(&w, values, n, step);
    assert_int_equal(w.error, 0);
    return strbuf_str(out);
}

static void test_series(void **state)
{
    (void)state;
    strbuf_t out = {0};
    const long long same[] = {41, 41, 41};
    assert_string_equal(series(same, 3, 1.0, &out), "41");
    assert_string_equal(series(same, 1, 1.0, &out), "41");
    const long long moved[] = {99, 97, 100};
    assert_string_equal(series(moved, 3, 2.0, &out),
                        "{\n  \"seq\": [\n    99,\n    97,\n    100\n  ],\n  \"step_s\": 2.0\n}");
    const long long big[] = {85520809984LL, 0};
    assert_non_null(strstr(series(big, 2, 0.5, &out), "85520809984"));
    strbuf_fini(&out);
}

static void test_sample_count(void **state)
{
    (void)state;
    assert_int_equal(record_sample_count(0, 1), 1);
    assert_int_equal(record_sample_count(0.2, 1), 1);
    assert_int_equal(record_sample_count(1, 1), 1);
    assert_int_equal(record_sample_count(3, 1), 3);
    assert_int_equal(record_sample_count(3.5, 1), 4);
    assert_int_equal(record_sample_count(6, 2), 3);
    assert_int_equal(record_sample_count(0.3, 0.1), 3); /* not 4 from 0.3 / 0.1 = 2.9999... */
    assert_int_equal(record_sample_count(3600, 0.25), 14400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series),
        cmocka_unit_test(test_sample_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
