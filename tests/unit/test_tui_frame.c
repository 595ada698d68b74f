/* SPDX-License-Identifier: Apache-2.0 */
/* Text put on the monitor's frame follows render/printable.h: a control takes the two cells of
 * its ^X / ~X form (what curses would have written, now counted), bytes that are not UTF-8 one
 * U+FFFD cell, so nothing reaches the terminal as a control and the columns stay true. */
#include "testutil.h"

#include "tui/frame.h"

#include <string.h>

static void controls_take_their_cells(void **state)
{
    (void)state;
    frame_t f = {0};
    assert_int_equal(frame_resize(&f, 1, 40), 0);
    int end = frame_put(&f, 0, 0, "\033]0;t\a \xc2\x9b\xff|", 0);
    strbuf_t row = {0};
    assert_int_equal(frame_row_text(&f, 0, &row), 0);
    const char *want = "^[]0;t^G ~[\xef\xbf\xbd|";
    assert_int_equal(strncmp(row.data, want, strlen(want)), 0);
    assert_int_equal(end, 13); /* ^[ ] 0 ; t ^G ' ' ~[ U+FFFD | */
    for (int x = 0; x < f.cols; x++) {
        uint32_t cp = frame_cell(&f, 0, x)->cp;
        assert_false(cp < 0x20 || (cp >= 0x7F && cp <= 0x9F));
    }
    strbuf_fini(&row);
    frame_fini(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(controls_take_their_cells)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
