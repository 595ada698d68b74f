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

/* A run of one-cell characters is put as if one character at a time (frame.c puts runs at
 * once): where it starts or ends on half of a wide character, the other half becomes a blank;
 * clipped at either edge of the frame. */
static void put_one_by_one(frame_t *f, int x, const char *text)
{
    for (size_t i = 0; text[i];) {
        size_t n = (unsigned char)text[i] < 0x80 ? 1 : 3; /* ASCII or a three-byte glyph */
        char one[4] = {0};
        memcpy(one, text + i, n);
        x = frame_put(f, 0, x, one, TS_BOLD);
        i += n;
    }
}

static void runs_put_like_single_characters(void **state)
{
    (void)state;
    const char *under = "a中b中cde中"; /* wide characters at columns 1-2, 4-5 and 9-10 */
    const char *runs[] = {"ab", "x", "a═b", "═─", "abcdefghijklmn"};
    for (size_t r = 0; r < sizeof(runs) / sizeof(runs[0]); r++) {
        for (int x = -4; x <= 12; x++) {
            frame_t whole = {0}, single = {0};
            assert_int_equal(frame_resize(&whole, 1, 11), 0);
            assert_int_equal(frame_resize(&single, 1, 11), 0);
            frame_put(&whole, 0, 0, under, TC_RED);
            frame_put(&single, 0, 0, under, TC_RED);
            frame_put(&whole, 0, x, runs[r], TS_BOLD);
            put_one_by_one(&single, x, runs[r]);
            for (int c = 0; c < 11; c++) {
                assert_int_equal(frame_cell(&whole, 0, c)->cp, frame_cell(&single, 0, c)->cp);
                assert_int_equal(frame_cell(&whole, 0, c)->style, frame_cell(&single, 0, c)->style);
            }
            frame_fini(&whole);
            frame_fini(&single);
        }
    }
    /* and as curses does: the half a run covers takes the other half's place as a blank */
    const struct {
        int x;
        const char *want;
    } cases[] = {{2, "a xy中cde中"},  /* starts on a right half */
                 {3, "a中xy cde中"},  /* ends on a left half */
                 {8, "a中b中cdxy "}}; /* ends on a left half at the edge */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        frame_t f = {0};
        strbuf_t row = {0};
        assert_int_equal(frame_resize(&f, 1, 11), 0);
        frame_put(&f, 0, 0, under, 0);
        frame_put(&f, 0, cases[i].x, "xy", 0);
        assert_int_equal(frame_row_text(&f, 0, &row), 0);
        assert_string_equal(strbuf_str(&row), cases[i].want);
        strbuf_fini(&row);
        frame_fini(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(controls_take_their_cells),
                                       cmocka_unit_test(runs_put_like_single_characters)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
