/* SPDX-License-Identifier: Apache-2.0 */
/* The Prometheus text primitives of the exporter: numbers exactly as prometheus_client writes
 * them (every expected string below is what Python 3 + prometheus_client's floatToGoString
 * give), label values escaped and made valid UTF-8, and the ready-page store's references. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter/exporter_internal.h"

static void expect_number(double v, const char *want)
{
    char buf[PROM_NUMBER_MAX];
    size_t n = prom_format_number(v, buf);
    assert_int_equal(n, strlen(buf));
    if (strcmp(buf, want) != 0) fail_msg("%.17g: expected \"%s\", got \"%s\"", v, want, buf);
    /* Prometheus (Go's ParseFloat) and C read every form back to the same value. */
    if (!isnan(v)) assert_true(strtod(buf, NULL) == v || (isinf(v) && isinf(strtod(buf, NULL))));
}

static void test_integers(void **state)
{
    (void)state;
    expect_number(0.0, "0.0");
    expect_number(-0.0, "-0.0");
    expect_number(1.0, "1.0");
    expect_number(100.0, "100.0");
    expect_number(81559.0, "81559.0");
    expect_number(999999.0, "999999.0");
    expect_number(-42.0, "-42.0");
    expect_number(1000000.0, "1e+06"); /* 7 integer digits: Go's form */
    expect_number(394285056.0, "3.94285056e+08");
    expect_number(20000.0 * 1000000.0, "2e+010"); /* prometheus_client writes "e+0" + digits */
    expect_number(-1234567.0, "-1234567.0");      /* negative values keep Python's repr */
    expect_number(1e15, "1e+015");
    expect_number(1e16, "1e+16"); /* repr is already in exponent form */
    expect_number(123456789012345678.0, "1.2345678901234568e+17");
}

static void test_fractions(void **state)
{
    (void)state;
    expect_number(0.5, "0.5");
    expect_number(12.8, "12.8");
    expect_number(697.081, "697.081");
    expect_number(0.1, "0.1");
    expect_number(0.3, "0.3");
    expect_number(1.0 / 3.0, "0.3333333333333333");
    expect_number(2.0 / 3.0, "0.6666666666666666");
    expect_number(0.5492638259652789, "0.5492638259652789");
    expect_number(227.40133261680603, "227.40133261680603");
    expect_number(128887.71484375, "128887.71484375");
    expect_number(0.0014047622680664062, "0.0014047622680664062");
    expect_number(0.0001, "0.0001");
    expect_number(0.00001, "1e-05");
    expect_number(1.5e-7, "1.5e-07");
    expect_number(-2.5, "-2.5");
    expect_number(1795421765.06, "1.79542176506e+09");
    expect_number(1234567.5, "1.2345675e+06");
    expect_number(5e-324, "5e-324");
    expect_number(1.7976931348623157e308, "1.7976931348623157e+308");
}

/* The significant digits of a written number: no sign, point, exponent, leading or trailing
 * zeros. */
static int significant_digits(const char *s)
{
    char digits[64];
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && (n || *s != '0') && n < 63) digits[n++] = *s;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    return n;
}

/* Python's repr has the fewest digits that read back: the first %.{p}g that does. Values of up
 * to 15 digits take the fast path, longer ones the printf one; both must agree with the rule. */
static void test_shortest_digits(void **state)
{
    (void)state;
    unsigned seed = 20;
    for (int i = 0; i < 40000; i++) {
        double r = (double)rand_r(&seed) / RAND_MAX;
        double values[] = {
            r * 100.0, round(r * 1e5) / 10.0, round(r * 1e7) / 1e4, r * 81559.0 / 1024.0,
            r * 1e-3,  round(r * 1e9) / 1e12, 1.0 / (r + 0.01)};
        for (size_t j = 0; j < sizeof(values) / sizeof(values[0]); j++) {
            double v = values[j];
            if (v == trunc(v)) continue;
            char want[40], got[PROM_NUMBER_MAX];
            int p = 1;
            for (; p < 17; p++) {
                snprintf(want, sizeof(want), "%.*g", p, v);
                if (strtod(want, NULL) == v) break;
            }
            prom_format_number(v, got);
            if (strtod(got, NULL) != v || significant_digits(got) != p)
                fail_msg("%.17g: \"%s\", the shortest form has %d digits", v, got, p);
        }
    }
}

static void test_special(void **state)
{
    (void)state;
    expect_number(NAN, "NaN");
    expect_number(INFINITY, "+Inf");
    expect_number(-INFINITY, "-Inf");
}

static void expect_label(const char *value, const char *want)
{
    strbuf_t sb = {0};
    assert_int_equal(prom_append_label_value(&sb, value), 0);
    assert_string_equal(sb.data ? sb.data : "", want);
    strbuf_fini(&sb);
}

static void test_label_escaping(void **state)
{
    (void)state;
    expect_label("", "");
    expect_label("python3 train.py", "python3 train.py");
    expect_label("a\\b", "a\\\\b");
    expect_label("say \"hi\"", "say \\\"hi\\\"");
    expect_label("two\nlines", "two\\nlines");
    expect_label("tab\tand\rcr", "tab\tand\rcr"); /* allowed as they are */
    expect_label("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80",
                 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80");
    /* Not UTF-8: stray, truncated, overlong, surrogate bytes become U+FFFD each. */
    expect_label("a\xff"
                 "b",
                 "a\xef\xbf\xbd"
                 "b");
    expect_label("x\xc3", "x\xef\xbf\xbd");
    expect_label("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
    expect_label("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_page_references(void **state)
{
    (void)state;
    page_store_t store;
    assert_int_equal(page_store_init(&store), 0);
    assert_null(page_store_acquire(&store));
    page_t *first = page_new(&store, strdup("first"), 5, NULL);
    page_store_publish(&store, first);
    page_t *held = page_store_acquire(&store); /* a response in flight */
    assert_ptr_equal(held, first);
    assert_int_equal(atomic_load(&store.retired_bytes), 0);
    page_store_publish(&store, page_new(&store, strdup("second!"), 7, NULL));
    /* the first page is replaced but still held: counted, not freed */
    assert_int_equal(atomic_load(&store.live_pages), 2);
    assert_int_equal(atomic_load(&store.retired_bytes), 5);
    assert_memory_equal(held->data, "first", 5);
    page_release(held);
    assert_int_equal(atomic_load(&store.live_pages), 1);
    assert_int_equal(atomic_load(&store.retired_bytes), 0);
    page_t *now = page_store_acquire(&store);
    assert_int_equal(now->len, 7);
    page_release(now);
    page_store_fini(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),        cmocka_unit_test(test_fractions),
        cmocka_unit_test(test_special),         cmocka_unit_test(test_label_escaping),
        cmocka_unit_test(test_page_references), cmocka_unit_test(test_shortest_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
