/* SPDX-License-Identifier: Apache-2.0 */
/* round_digits is Python's round(x, n): its fast path must give the double that printing the
 * exact binary value to n decimals and reading it back gives, on every input. */
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

static void check(double x, int digits)
{
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_same_as_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
