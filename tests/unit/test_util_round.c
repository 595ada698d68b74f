/* SPDX-License-Identifier: Apache-2.0 */
/* round_digits is Python's round(x, n): its fast path must give the double that printing the
 * exact binary value to n decimals and reading it back gives, on every input. format_fixed and
 * format_ll must write what printf writes. */
#include "testutil.h"

#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rule itself, slowly: glibc prints the exact value rounded half to even. */
static double reference(double x, int digits)
{
    char text[400];
    snprintf(text, sizeof(text), "%.*f", digits, x);
    return strtod(text, NULL);
}

static void check_fixed(double x, int digits)
{
    char want[400], got[400];
    int n = snprintf(want, sizeof(want), "%.*f", digits, x);
    size_t len = format_fixed(got, sizeof(got), x, digits);
    if (strcmp(want, got) != 0 || len != (size_t)n)
        fail_msg("format_fixed(%.17g, %d) = \"%s\" (%zu), printf writes \"%s\"", x, digits, got,
                 len, want);
}

static void check(double x, int digits)
{
    check_fixed(x, digits);
    double want = reference(x, digits), got = round_digits(x, digits);
    if (memcmp(&want, &got, sizeof(want)) != 0) /* bit for bit: -0.0 is not 0.0 */
        fail_msg("round_digits(%.17g, %d) = %.17g, Python's round gives %.17g", x, digits, got,
                 want);
}

static void test_known_values(void **state)
{
    (void)state;
    assert_true(round_digits(6.25, 1) == 6.2);   /* an exact half: to even */
    assert_true(round_digits(6.35, 1) == 6.3);   /* 6.3499999...: down */
    assert_true(round_digits(0.15, 1) == 0.1);   /* 0.1499999...: down */
    assert_true(round_digits(2.675, 2) == 2.67); /* 2.67499999...: down */
    assert_true(round_digits(0.05, 1) == 0.1);   /* 0.05000000000000000277: up */
    assert_true(round_digits(2.5, 0) == 2.0);
    assert_true(round_digits(3.5, 0) == 4.0);
    assert_true(signbit(round_digits(-0.04, 1)));
    assert_true(isnan(round_digits(NAN, 1)));
    assert_true(isinf(round_digits(INFINITY, 1)));
}

/* Halves and near-halves, where scaling then rounding goes wrong, and random doubles. */
static void test_same_as_the_rule(void **state)
{
    (void)state;
    for (int digits = 0; digits <= 9; digits++) {
        for (long k = -20000; k <= 20000; k++) {
            double half = ((double)k + 0.5) / pow(10, digits);
            check(half, digits);
            check(nextafter(half, INFINITY), digits);
            check(nextafter(half, -INFINITY), digits);
            check((double)k / 1000.0, digits);
        }
    }
    unsigned seed = 20;
    for (int i = 0; i < 200000; i++) {
        double x = (double)rand_r(&seed) / RAND_MAX * 100.0;
        check(x, 1);
        check(x * 1e6, i % 4);
        check(-x / 7.0, 2);
    }
    check(1e300, 1);
    check(4503599627370495.5, 0);
    check(-4503599627370497.0, 1);
}

static void test_format_edges(void **state)
{
    (void)state;
    char buf[8];
    assert_int_equal(format_fixed(buf, sizeof(buf), 1234567.25, 2), 10);
    assert_string_equal(buf, "1234567"); /* cut like snprintf, the whole length returned */
    assert_int_equal(format_fixed(buf, sizeof(buf), -0.04, 1), 4);
    assert_string_equal(buf, "-0.0");
    check_fixed(NAN, 1);
    check_fixed(-INFINITY, 1);
    check_fixed(0.0, 0);
    check_fixed(99.95, 1);
    char n[24];
    const long long values[] = {
        0, 7, -7, 10, 4095, -100000, 9223372036854775807LL, -9223372036854775807LL - 1};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        char want[24];
        snprintf(want, sizeof(want), "%lld", values[i]);
        assert_int_equal(format_ll(n, values[i]), strlen(want));
        assert_string_equal(n, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_format_edges),
        cmocka_unit_test(test_same_as_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
