/* SPDX-License-Identifier: Apache-2.0 */
/* The one rule for outside text on a terminal (render/printable.h): controls written as curses
 * shows them, bytes that are not UTF-8 as U+FFFD, everything else kept. */
#include "testutil.h"

#include "render/cells.h"
#include "render/printable.h"

#include <stdlib.h>
#include <string.h>

static void expect(const char *in, const char *want)
{
    char *got = printable_dup(in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void controls(void **state)
{
    (void)state;
    expect("plain text, ünïcödé and 中文", "plain text, ünïcödé and 中文");
    expect("\033]0;title\a", "^[]0;title^G");             /* OSC window title */
    expect("\033]52;c;cHduZWQ=\a", "^[]52;c;cHduZWQ=^G"); /* OSC 52 clipboard */
    expect("\033[2K\r\n\t\x7f", "^[[2K^M^J^I^?");         /* CSI, CR, LF, tab, DEL */
    expect("\xc2\x9b"
           "2J \xc2\x80\xc2\x9f",
           "~[2J ~@~_"); /* C1 controls: CSI, and the first and last */
}

static void invalid_utf8(void **state)
{
    (void)state;
    expect("a\x9b"
           "b",
           "a\xef\xbf\xbd"
           "b"); /* a lone C1 byte */
    expect("\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd");
    expect("\xc0\x9b", "\xef\xbf\xbd\xef\xbf\xbd");                 /* overlong ESC */
    expect("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* a surrogate */
    expect("\xe4\xb8", "\xef\xbf\xbd\xef\xbf\xbd");                 /* cut short */
}

static void lengths_and_newlines(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    /* a length that ends inside a sequence: the partial sequence is one U+FFFD */
    assert_int_equal(printable_append(&sb, "ab\xe4\xb8\xad", 4, true), 0);
    assert_string_equal(sb.data, "ab\xef\xbf\xbd");
    strbuf_reset(&sb);
    assert_int_equal(printable_append(&sb, "a\nb\033", 4, true), 0);
    assert_string_equal(sb.data, "a\nb^["); /* the report's line breaks stay */
    strbuf_fini(&sb);
    /* the result is as wide as it is long here: no control counts as zero columns */
    char *s = printable_dup("\033[2K\xc2\x9b");
    assert_int_equal(rpt_width(s), strlen("^[[2K~["));
    free(s);
}

/* The report measures some outside text (user and host names) before it is made printable:
 * the measure must be that of what is shown, one column per U+FFFD. */
static void widths_of_invalid_utf8(void **state)
{
    (void)state;
    const char *in[] = {"a\xc0\x80", "\xed\xa0\x80z", "\xf7\xbf\xbf\xbf", "\xe4\xb8"};
    for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        char *shown = printable_dup(in[i]);
        assert_non_null(shown);
        assert_int_equal(rpt_width(in[i]), rpt_width(shown));
        assert_int_equal(rpt_codepoints(in[i]), rpt_codepoints(shown));
        free(shown);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controls),
        cmocka_unit_test(invalid_utf8),
        cmocka_unit_test(lengths_and_newlines),
        cmocka_unit_test(widths_of_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
