/* SPDX-License-Identifier: Apache-2.0 */
/* The growable string (util/util.h strbuf_t): growth, its limits, and the sticky error that
 * lets a layout be a plain sequence of appends checked once at the end. */
#include "testutil.h"

#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A size the buffer refuses before allocating anything (sizes past SIZE_MAX). */
#define TOO_BIG SIZE_MAX

static void zeroed_is_empty(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    assert_string_equal(strbuf_str(&sb), "");
    assert_int_equal(strbuf_error(&sb), 0);
    char *s = strbuf_take(&sb);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void grows_and_keeps_text(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    for (int i = 0; i < 1000; i++)
        assert_int_equal(strbuf_printf(&sb, "%03d,", i), 0);
    assert_int_equal(sb.len, 4000);
    assert_true(sb.cap > sb.len);
    assert_int_equal(strlen(sb.data), sb.len);
    assert_memory_equal(sb.data, "000,001,", 8);
    assert_string_equal(sb.data + 3996, "999,");
    /* a format result larger than the spare room is formatted again, whole */
    char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(strbuf_printf(&sb, "[%s]", big), 0);
    assert_int_equal(sb.len, 4000 + 3001);
    assert_int_equal(sb.data[sb.len - 1], ']');
    assert_int_equal(strbuf_putc(&sb, '!'), 0);
    assert_int_equal(strbuf_append(&sb, "abc", 2), 0);
    assert_string_equal(sb.data + sb.len - 3, "!ab");
    strbuf_fini(&sb);
    assert_null(sb.data);
    assert_int_equal(sb.len + sb.cap, 0);
}

static void limits_refused(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    assert_int_equal(strbuf_puts(&sb, "head"), 0);
    /* past SIZE_MAX, and past what doubling can reach: refused without allocating */
    assert_int_equal(strbuf_reserve(&sb, TOO_BIG), -1);
    strbuf_reset(&sb);
    assert_int_equal(strbuf_puts(&sb, "head"), 0);
    assert_int_equal(strbuf_reserve(&sb, SIZE_MAX / 2 + 2), -1);
    assert_string_equal(strbuf_str(&sb), "head"); /* the text before stays whole */
    strbuf_fini(&sb);
}

/* The exporter sizes its page by the last one: the capacity is what was asked, not a power of
 * two (a 5 MiB page must not hold 8 MiB), and a smaller request leaves it alone. */
static void reserve_exact_is_exact(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    assert_int_equal(strbuf_puts(&sb, "head"), 0);
    assert_int_equal(strbuf_reserve_exact(&sb, 5000), 0);
    assert_int_equal(sb.cap, 4 + 5000 + 1);
    assert_int_equal(strbuf_reserve_exact(&sb, 10), 0);
    assert_int_equal(sb.cap, 4 + 5000 + 1);
    assert_string_equal(strbuf_str(&sb), "head");
    assert_int_equal(strbuf_reserve_exact(&sb, TOO_BIG), -1);
    assert_int_equal(strbuf_error(&sb), -1);
    strbuf_fini(&sb);
}

static void first_error_sticks(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    strbuf_puts(&sb, "before ");
    assert_int_equal(strbuf_append(&sb, "x", TOO_BIG), -1);
    /* every later append is a no-op that reports the error */
    assert_int_equal(strbuf_puts(&sb, "after"), -1);
    assert_int_equal(strbuf_putc(&sb, 'c'), -1);
    assert_int_equal(strbuf_printf(&sb, "%d", 42), -1);
    assert_int_equal(strbuf_append(&sb, "ab", 2), -1);
    assert_int_equal(strbuf_reserve(&sb, 1), -1);
    assert_string_equal(strbuf_str(&sb), "before ");
    assert_int_equal(sb.len, 7);
    assert_int_equal(strbuf_error(&sb), -1);
    /* the whole text is refused: no half layout reaches a caller */
    assert_null(strbuf_take(&sb));
    assert_null(sb.data);
    assert_int_equal(strbuf_error(&sb), 0);
    /* reset forgets the error: the buffer can be used again */
    strbuf_puts(&sb, "x");
    strbuf_reserve(&sb, TOO_BIG);
    strbuf_reset(&sb);
    assert_int_equal(strbuf_error(&sb), 0);
    assert_int_equal(strbuf_puts(&sb, "again"), 0);
    assert_string_equal(strbuf_str(&sb), "again");
    strbuf_fini(&sb);
}

static void parts_pass_their_error_on(void **state)
{
    (void)state;
    strbuf_t whole = {0}, part = {0}, other = {0};
    strbuf_puts(&part, "part");
    assert_int_equal(strbuf_put_buf(&whole, &part), 0);
    assert_string_equal(whole.data, "part");
    strbuf_reserve(&part, TOO_BIG);
    assert_int_equal(strbuf_put_buf(&whole, &part), -1);
    assert_int_equal(strbuf_error(&whole), -1);
    assert_string_equal(whole.data, "part");
    /* an error kept from a part whose text went in another way */
    strbuf_puts(&other, "ok");
    strbuf_keep_error(&other, &whole);
    assert_int_equal(strbuf_error(&other), -1);
    assert_int_equal(strbuf_puts(&other, "more"), -1);
    assert_string_equal(strbuf_str(&other), "ok");
    /* a healthy part leaves the error alone */
    strbuf_reset(&part);
    strbuf_keep_error(&other, &part);
    assert_int_equal(strbuf_error(&other), -1);
    strbuf_fini(&whole);
    strbuf_fini(&part);
    strbuf_fini(&other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zeroed_is_empty),    cmocka_unit_test(grows_and_keeps_text),
        cmocka_unit_test(limits_refused),     cmocka_unit_test(reserve_exact_is_exact),
        cmocka_unit_test(first_error_sticks), cmocka_unit_test(parts_pass_their_error_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
