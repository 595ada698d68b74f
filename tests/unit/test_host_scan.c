/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the bounded scanner (src/host/scan.c). */
#include "testutil.h"

#include "host/host_internal.h"

#include <math.h>
#include <string.h>

static void test_lines(void **state)
{
    (void)state;
    const char *text = "one\n\ntwo three\nlast";
    host_scan_t s = host_scan_make(text, strlen(text)), line;
    const char *expect[] = {"one", "", "two three", "last"};
    for (size_t i = 0; i < 4; i++) {
        assert_true(host_scan_line(&s, &line));
        assert_int_equal((size_t)(line.end - line.p), strlen(expect[i]));
        assert_memory_equal(line.p, expect[i], strlen(expect[i]));
    }
    assert_false(host_scan_line(&s, &line));
    /* A trailing newline does not make an extra empty line. */
    s = host_scan_make("a\n", 2);
    assert_true(host_scan_line(&s, &line));
    assert_false(host_scan_line(&s, &line));
    /* An empty or NULL buffer has no lines. */
    s = host_scan_make(NULL, 0);
    assert_false(host_scan_line(&s, &line));
}

static void test_tokens(void **state)
{
    (void)state;
    const char *text = " \tab  c\r\n d";
    host_scan_t s = host_scan_make(text, strlen(text));
    const char *tok;
    size_t len;
    assert_true(host_scan_token(&s, &tok, &len));
    assert_true(host_token_is(tok, len, "ab"));
    assert_true(host_scan_token(&s, &tok, &len));
    assert_true(host_token_is(tok, len, "c"));
    assert_true(host_scan_token(&s, &tok, &len));
    assert_true(host_token_is(tok, len, "d"));
    assert_false(host_scan_token(&s, &tok, &len));
    assert_false(host_token_is("ab", 2, "abc"));
    assert_false(host_token_is("abc", 3, "ab"));
    /* The token stops at the buffer's end even without a terminator. */
    char raw[3] = {'x', 'y', 'z'};
    s = host_scan_make(raw, 2);
    assert_true(host_scan_token(&s, &tok, &len));
    assert_int_equal(len, 2);
}

static void test_u64(void **state)
{
    (void)state;
    uint64_t v;
    assert_true(host_parse_u64_token("0", 1, &v) && v == 0);
    assert_true(host_parse_u64_token("18446744073709551615", 20, &v) && v == UINT64_MAX);
    assert_false(host_parse_u64_token("18446744073709551616", 20, &v));
    assert_false(host_parse_u64_token("99999999999999999999", 20, &v));
    assert_false(host_parse_u64_token("", 0, &v));
    assert_false(host_parse_u64_token("+1", 2, &v));
    assert_false(host_parse_u64_token("1a", 2, &v));
    assert_false(host_parse_u64_token("-1", 2, &v));
    /* Leading zeros are fine. */
    assert_true(host_parse_u64_token("007", 3, &v) && v == 7);
}

static void test_i64(void **state)
{
    (void)state;
    struct {
        const char *text;
        bool ok;
        int64_t value;
    } cases[] = {
        {"0", true, 0},
        {"-1", true, -1},
        {"9223372036854775807", true, INT64_MAX},
        {"9223372036854775808", false, 0},
        {"-9223372036854775808", true, INT64_MIN},
        {"-9223372036854775809", false, 0},
        {"-", false, 0},
        {"--1", false, 0},
        {"1-", false, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        host_scan_t s = host_scan_make(cases[i].text, strlen(cases[i].text));
        int64_t v = 42;
        bool ok = host_scan_i64(&s, &v);
        if (ok != cases[i].ok || (ok && v != cases[i].value))
            fail_msg("'%s': ok %d value %lld", cases[i].text, ok, (long long)v);
    }
}

static void test_decimal(void **state)
{
    (void)state;
    double v;
    assert_true(host_parse_decimal_token("0.66", 4, &v));
    assert_true(fabs(v - 0.66) < 1e-15);
    assert_true(host_parse_decimal_token("152", 3, &v) && v == 152.0);
    assert_true(host_parse_decimal_token("1.00000000000000000000000009", 28, &v) && v == 1.0);
    assert_false(host_parse_decimal_token("1.", 2, &v));
    assert_false(host_parse_decimal_token(".1", 2, &v));
    assert_false(host_parse_decimal_token("1.2.3", 5, &v));
    assert_false(host_parse_decimal_token("1e5", 3, &v));
    assert_false(host_parse_decimal_token("1,5", 3, &v));
    assert_false(host_parse_decimal_token("inf", 3, &v));
    assert_false(host_parse_decimal_token("1.x", 3, &v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines), cmocka_unit_test(test_tokens),  cmocka_unit_test(test_u64),
        cmocka_unit_test(test_i64),   cmocka_unit_test(test_decimal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
