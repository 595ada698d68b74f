/* SPDX-License-Identifier: Apache-2.0 */
/* The signal confirmation box (spec §3.8): the 62-column rendering exactly as nvitop 1.7
 * draws it, the list form for several processes, user names cut to 24 columns, where the box
 * lands on the screen with the highlighted button, and a choice by key (at once when it is
 * already highlighted, else 0.25 s later). */
#include "testutil.h"

#include "tui/confirm.h"

#include <string.h>

static void one_process(void **state)
{
    (void)state;
    signal_target_t t = {11655, "root"};
    confirm_t c;
    assert_int_equal(confirm_open(&c, &t, 1, CONFIRM_TERM), 0);
    strbuf_t text = {0};
    assert_int_equal(confirm_text(&c, &text), 0);
    assert_string_equal(text.data,
                        " ╒══════════════════════════════════════════════════════════╕ \n"
                        " │                                                          │ \n"
                        " │           Send signal to process 11655(root)?            │ \n"
                        " │                                                          │ \n"
                        " │  ┌──────────┐  ┌──────────┐  ┌──────────┐  ┌──────────┐  │ \n"
                        " │  │ SIGTERM  │  │ SIGKILL  │  │  SIGINT  │  │  Cancel  │  │ \n"
                        " │  └──────────┘  └──────────┘  └──────────┘  └──────────┘  │ \n"
                        " ╘══════════════════════════════════════════════════════════╛ \n");
    strbuf_fini(&text);
    confirm_close(&c);
}

static void several_processes(void **state)
{
    (void)state;
    signal_target_t t[6] = {
        {1045, "root"}, {1046, "root"},  {20001, "a-very-long-user-name-over-24"},
        {7, "x"},       {123456, "bob"}, {99, "carol"}};
    confirm_t c;
    assert_int_equal(confirm_open(&c, t, 6, CONFIRM_KILL), 0);
    strbuf_t text = {0};
    assert_int_equal(confirm_text(&c, &text), 0);
    assert_non_null(strstr(text.data,
                           " │ Send signal to the following processes?                  │ \n"
                           " │                                                          │ \n"
                           " │ 1045(root) 1046(root) 20001(a-very-long-user-name-o+)    │ \n"
                           " │ 7(x) 123456(bob) 99(carol)                               │ \n"));
    strbuf_fini(&text);
    confirm_close(&c);
}

static void drawn_centred(void **state)
{
    (void)state;
    signal_target_t t = {1045, "root"};
    confirm_t c;
    confirm_open(&c, &t, 1, CONFIRM_INT);
    frame_t f = {0};
    assert_int_equal(frame_resize(&f, 50, 160), 0);
    confirm_draw(&c, &f, 50, 160);
    /* 8 lines: rows 21..28, columns 49..110 (the capture's tui-kill-confirm.txt) */
    strbuf_t row = {0};
    frame_row_text(&f, 21, &row);
    assert_non_null(strstr(row.data, " ╒═══"));
    assert_int_equal((int)(strstr(row.data, "╒") - row.data), 50);
    /* SIGINT highlighted: its button stands out; its name red with the I underlined */
    const tcell_t *name = frame_cell(&f, 26, 49 + 6 + 2 * 14 + 1);
    assert_int_equal(name->cp, 'S');
    assert_true(name->style & TS_STANDOUT);
    assert_int_equal(name->style & TS_FG_MASK, TC_RED);
    const tcell_t *i = frame_cell(&f, 26, 49 + 6 + 2 * 14 + 1 + 3);
    assert_int_equal(i->cp, 'I');
    assert_true(i->style & TS_UNDERLINE);
    const tcell_t *term = frame_cell(&f, 26, 49 + 6);
    assert_false(term->style & TS_STANDOUT);
    strbuf_fini(&row);
    frame_fini(&f);
    confirm_close(&c);
}

static void choices(void **state)
{
    (void)state;
    signal_target_t t = {1, "me"};
    confirm_t c;
    confirm_open(&c, &t, 1, CONFIRM_KILL);
    assert_true(confirm_choose(&c, CONFIRM_KILL, 100)); /* highlighted: now */
    assert_int_equal(c.pending_at, 0);
    assert_false(confirm_choose(&c, CONFIRM_CANCEL, 100)); /* moves, then applies later */
    assert_int_equal(c.current, CONFIRM_CANCEL);
    assert_int_equal(c.pending_at, 100 + CONFIRM_DELAY_NS);
    confirm_close(&c);
}

/* Clicks: each drawn button's cells (its edges too) hit its option; the rest of the box, the
 * gaps between buttons and outside the box hit none. */
static void hits(void **state)
{
    (void)state;
    signal_target_t t = {1045, "root"};
    confirm_t c;
    confirm_open(&c, &t, 1, CONFIRM_INT);
    frame_t f = {0};
    assert_int_equal(frame_resize(&f, 50, 160), 0);
    confirm_draw(&c, &f, 50, 160);
    for (int i = 0; i < CONFIRM__COUNT; i++) {
        int left = 49 + 4 + i * 14; /* the button's ┌ */
        assert_int_equal(frame_cell(&f, 25, left)->cp, 0x250C);
        assert_int_equal(confirm_hit(&c, 50, 160, 25, left), i);
        assert_int_equal(confirm_hit(&c, 50, 160, 26, left + 5), i);
        assert_int_equal(confirm_hit(&c, 50, 160, 27, left + 11), i);
        assert_int_equal(confirm_hit(&c, 50, 160, 26, left + 12), -1); /* the gap */
    }
    assert_int_equal(confirm_hit(&c, 50, 160, 24, 60), -1); /* above the buttons */
    assert_int_equal(confirm_hit(&c, 50, 160, 28, 60), -1); /* the bottom border */
    assert_int_equal(confirm_hit(&c, 50, 160, 26, 10), -1); /* outside */
    frame_fini(&f);
    confirm_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_process),   cmocka_unit_test(several_processes),
        cmocka_unit_test(drawn_centred), cmocka_unit_test(choices),
        cmocka_unit_test(hits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
