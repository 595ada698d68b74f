/* SPDX-License-Identifier: Apache-2.0 */
/* Styled text (render/styled.h): spans, their ANSI form, and the sticky error it shares with
 * strbuf_t, so a panel is a plain sequence of appends checked once. */
#include "testutil.h"

#include "render/cells.h"
#include "render/styled.h"

#include <stdint.h>
#include <string.h>

static void spans_and_ansi(void **state)
{
    (void)state;
    styled_t s = {0};
    strbuf_t part = {0}, ansi = {0};
    sty_puts(&s, "a ");
    sty_colored(&s, "red", 3, RPT_RED, RPT_BOLD);
    strbuf_puts(&part, "cyan");
    sty_colored_buf(&s, &part, RPT_CYAN, 0);
    sty_put_buf(&s, &part);
    assert_int_equal(sty_error(&s), 0);
    assert_string_equal(strbuf_str(&s.text), "a redcyancyan");
    assert_int_equal(s.count, 2);
    assert_int_equal(sty_to_ansi(&s, true, &ansi), 0);
    assert_string_equal(ansi.data, "a \033[1m\033[31mred\033[0m\033[36mcyan\033[0mcyan");
    strbuf_reset(&ansi);
    assert_int_equal(sty_to_ansi(&s, false, &ansi), 0);
    assert_string_equal(ansi.data, "a redcyancyan");
    sty_reset(&s);
    assert_int_equal(s.count, 0);
    assert_string_equal(strbuf_str(&s.text), "");
    sty_fini(&s);
    strbuf_fini(&part);
    strbuf_fini(&ansi);
}

static void first_error_sticks(void **state)
{
    (void)state;
    styled_t s = {0};
    strbuf_t ansi = {0};
    sty_puts(&s, "kept");
    assert_int_equal(sty_append(&s, "x", SIZE_MAX), -1);
    assert_int_equal(sty_colored(&s, "red", 3, RPT_RED, 0), -1);
    assert_int_equal(sty_puts(&s, "lost"), -1);
    assert_int_equal(sty_printf(&s, "%d", 1), -1);
    assert_int_equal(sty_putc(&s, 'c'), -1);
    assert_int_equal(s.count, 0); /* no span for text that was not written */
    assert_string_equal(strbuf_str(&s.text), "kept");
    assert_int_equal(sty_error(&s), -1);
    /* the ANSI form of a failed text is refused, and the failure travels on */
    assert_int_equal(sty_to_ansi(&s, true, &ansi), -1);
    assert_int_equal(strbuf_error(&ansi), -1);
    /* a layout written into it stops at once and reports the first error */
    nvitop_host_snapshot_t host;
    memset(&host, 0, sizeof(host));
    assert_int_equal(rpt_host_lines(&s, &host, 100), -1);
    assert_string_equal(strbuf_str(&s.text), "kept");
    sty_reset(&s);
    assert_int_equal(sty_error(&s), 0);
    assert_int_equal(rpt_host_lines(&s, &host, 100), 0);
    assert_true(s.text.len > 0);
    sty_fini(&s);
    strbuf_fini(&ansi);
}

static void failed_part_fails_the_whole(void **state)
{
    (void)state;
    styled_t s = {0};
    strbuf_t part = {0};
    strbuf_puts(&part, "half");
    strbuf_reserve(&part, SIZE_MAX);
    assert_int_equal(sty_colored_buf(&s, &part, RPT_GREEN, 0), -1);
    assert_int_equal(sty_error(&s), -1);
    sty_reset(&s);
    assert_int_equal(sty_put_buf(&s, &part), -1);
    assert_int_equal(sty_error(&s), -1);
    sty_fini(&s);
    strbuf_fini(&part);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spans_and_ansi),
        cmocka_unit_test(first_error_sticks),
        cmocka_unit_test(failed_part_fails_the_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
