/* SPDX-License-Identifier: Apache-2.0 */
/* The environment screen without a terminal or a sampler: the lines of an answer (sorted by
 * key, newlines shown as one glyph, entries without a key dropped), nvitop's scrolling (keys
 * and wheel), the frame (header, rule, colours, selection, horizontal scroll), the messages
 * when the environment cannot be read, and the keys that open and close it. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static sampler_environ_t *answer(uint32_t pid, int error, const char *const *vars, size_t n)
{
    sampler_environ_t *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->pid = pid;
    e->error = error;
    e->vars = calloc(n ? n : 1, sizeof(char *));
    assert_non_null(e->vars);
    for (size_t i = 0; i < n; i++)
        e->vars[i] = strdup(vars[i]);
    e->count = n;
    return e;
}

static const char *const sample[] = {"PATH=/usr/bin:/bin", "HOME=/root", "nokey",  "=novalue",
                                     "MSG=a\nb",           "A=1",        "HOME2=x"};

static void lines_sorted(void **state)
{
    (void)state;
    sampler_environ_t *a = answer(1, 0, sample, ARRAY_LEN(sample));
    tui_environ_t e = {0};
    assert_int_equal(environ_set_lines(&e, a, false), 0);
    assert_int_equal(e.count, 5); /* "nokey" and "=novalue" have no key */
    assert_string_equal(e.lines[0], "A=1");
    assert_string_equal(e.lines[1], "HOME=/root"); /* by key: HOME before HOME2 */
    assert_string_equal(e.lines[2], "HOME2=x");
    assert_string_equal(e.lines[3], "MSG=a\xe2\x90\xa4"
                                    "b");
    assert_string_equal(e.lines[4], "PATH=/usr/bin:/bin");
    assert_int_equal(e.key_len[1], 4);
    assert_int_equal(e.key_len[2], 5);
    assert_int_equal(environ_set_lines(&e, a, true), 0); /* ASCII: a question mark */
    assert_string_equal(e.lines[3], "MSG=a?b");
    environ_free_lines(&e);
    sampler_environ_free(a);
}

static tui_environ_t numbered(int n, char ***storage)
{
    tui_environ_t e = {0};
    *storage = calloc((size_t)n, sizeof(char *));
    e.lines = *storage;
    e.count = (size_t)n;
    return e;
}

static void scrolling(void **state)
{
    (void)state;
    char **lines;
    tui_environ_t e = numbered(10, &lines);
    /* 4 lines shown: the selection moves, the view follows once it leaves it */
    environ_move(&e, 1, false, 4);
    assert_int_equal(e.y_offset, 1);
    assert_int_equal(e.scroll, 0);
    environ_move(&e, 3, false, 4);
    assert_int_equal(e.y_offset, 4);
    assert_int_equal(e.scroll, 1);
    environ_select(&e, 100, 4); /* End */
    assert_int_equal(e.y_offset, 9);
    assert_int_equal(e.scroll, 6);
    environ_move(&e, -1, false, 4);
    assert_int_equal(e.y_offset, 8);
    assert_int_equal(e.scroll, 6);
    environ_select(&e, -5, 4); /* Home */
    assert_int_equal(e.y_offset, 0);
    assert_int_equal(e.scroll, 0);
    /* the wheel scrolls the view, the selection stays on its row */
    environ_move(&e, 1, true, 4);
    assert_int_equal(e.scroll, 1);
    assert_int_equal(e.y_offset, 1);
    environ_move(&e, 20, true, 4); /* past the end: the view stops, the selection goes on */
    assert_int_equal(e.scroll, 6);
    assert_int_equal(e.y_offset, 9);
    /* all lines fit: no scroll */
    environ_select(&e, 3, 20);
    assert_int_equal(e.scroll, 0);
    free(lines);
    tui_environ_t empty = {0};
    environ_move(&empty, 1, true, 4);
    assert_int_equal(empty.y_offset, 0);
}

static void setup(tui_t *t, int lines, int cols)
{
    tui_options_t opt = {.mode = TUI_MODE_AUTO, .version = "1.7.0"};
    tui_state_init(t, &opt);
    t->me = "root";
    t->hostname = "vm";
    t->lines = lines;
    t->cols = cols;
}

static void draw(tui_t *t)
{
    tui_layout(t);
    tui_draw(t);
}

static void frame_of_environment(void **state)
{
    (void)state;
    tui_t t;
    setup(&t, 6, 80);
    environ_open(&t, 1045, NVITOP_PROCESS_COMPUTE, "root", "python3 bench/mm.py 120", SCREEN_MAIN);
    assert_int_equal(t.screen, SCREEN_ENVIRON);
    draw(&t);
    expect_row(&t, 2, "Reading the environment..."); /* no answer yet */
    t.env.data = answer(1045, 0, sample, ARRAY_LEN(sample));
    assert_int_equal(environ_set_lines(&t.env, t.env.data, false), 0);
    draw(&t);
    expect_row(&t, 0, "Environment of process 1045 (root@GPU: Compute): python3 bench/mm.py 120");
    expect_row(&t, 1,
               "################################################################################");
    expect_row(&t, 2, "A=1");
    expect_row(&t, 5, "MSG=a␤b");
    /* colours: the prefix cyan bold, key blue bold, '=' magenta, the selection reversed */
    assert_int_equal(frame_cell(&t.frame, 0, 0)->style, TC_CYAN | TS_BOLD);
    assert_int_equal(frame_cell(&t.frame, 0, 49)->style, 0);
    assert_int_equal(frame_cell(&t.frame, 1, 0)->style, TC_GREEN | TS_BOLD);
    assert_int_equal(frame_cell(&t.frame, 2, 0)->style, TC_CYAN | TS_BOLD | TS_REVERSE);
    assert_int_equal(frame_cell(&t.frame, 3, 0)->style, TC_BLUE | TS_BOLD);
    assert_int_equal(frame_cell(&t.frame, 3, 4)->style, TC_MAGENTA);
    assert_int_equal(frame_cell(&t.frame, 3, 5)->style, 0);
    /* keys: down twice scrolls the list (4 lines shown), End shows the last */
    tui_key(&t, TK_DOWN);
    tui_key(&t, TK_DOWN);
    tui_key(&t, TK_PAGE_DOWN);
    tui_key(&t, TK_DOWN);
    draw(&t);
    expect_row(&t, 2, "HOME=/root");
    expect_row(&t, 5, "PATH=/usr/bin:/bin");
    assert_int_equal(frame_cell(&t.frame, 5, 0)->style, TC_CYAN | TS_BOLD | TS_REVERSE);
    tui_key(&t, TK_HOME);
    draw(&t);
    expect_row(&t, 2, "A=1");
    tui_state_fini(&t);
}

static void horizontal_scroll(void **state)
{
    (void)state;
    tui_t t;
    setup(&t, 5, 80);
    environ_open(&t, 7, 0, "alice", "sleep 10", SCREEN_MAIN);
    char long_var[200];
    snprintf(long_var, sizeof(long_var), "LONG=%0150d", 42);
    const char *const vars[] = {long_var, "AB=cd"};
    t.env.data = answer(7, 0, vars, 2);
    assert_int_equal(environ_set_lines(&t.env, t.env.data, false), 0);
    tui_key(&t, TK_RIGHT); /* 5 columns */
    draw(&t);
    expect_row(&t, 0, "Environment of process 7 (alice@Host): sleep 10"); /* fits: stays */
    expect_row(&t, 2, ""); /* "AB=cd" from its sixth column */
    assert_int_equal(frame_cell(&t.frame, 2, 0)->style & TS_FG_MASK, TC_CYAN); /* selected */
    char *r = row(&t, 3);
    assert_int_equal(strlen(r), 80);
    assert_int_equal(r[0], '0');
    free(r);
    for (int i = 0; i < 40; i++) /* stops at the end of the longest line */
        tui_key(&t, TK_ALT + 'l');
    assert_int_equal(t.env.x_offset, 155 - 80);
    tui_mouse(&t, 3, 0, 4 + 8); /* Shift-wheel up: 2 columns back */
    assert_int_equal(t.env.x_offset, 155 - 82);
    tui_key(&t, '^');
    assert_int_equal(t.env.x_offset, 0);
    tui_mouse(&t, 3, 10, 1); /* a click selects that line */
    assert_int_equal(t.env.y_offset, 1);
    tui_mouse(&t, 2, 10, 5); /* the wheel, with both lines shown, stays */
    assert_int_equal(t.env.scroll, 0);
    tui_state_fini(&t);
}

static void unreadable(void **state)
{
    (void)state;
    tui_t t;
    setup(&t, 6, 80);
    environ_open(&t, 1, 0, "root", "/sbin/init", SCREEN_MAIN);
    t.env.data = answer(1, NVITOP_EPERM, NULL, 0);
    draw(&t);
    expect_row(&t, 2, "Could not read process environment. (permission denied)");
    assert_int_equal(frame_cell(&t.frame, 2, 0)->style, TC_CYAN | TS_REVERSE);
    assert_int_equal(frame_cell(&t.frame, 2, 36)->style, 0);
    sampler_environ_free(t.env.data);
    t.env.data = answer(1, NVITOP_ENOTFOUND, NULL, 0);
    draw(&t);
    expect_row(&t, 2, "Could not read process environment. (the process is gone)");
    tui_key(&t, 'r'); /* asks again: the answer is dropped until the new one comes */
    assert_null(t.env.data);
    tui_state_fini(&t);
}

static void keys_back(void **state)
{
    (void)state;
    static const int back[] = {'e', 'q', 'Q', TK_ESC};
    for (size_t i = 0; i < ARRAY_LEN(back); i++) {
        tui_t t;
        setup(&t, 24, 80);
        tui_key(&t, 'e'); /* nothing selected: nvitop's own environment */
        assert_int_equal(t.screen, SCREEN_ENVIRON);
        assert_int_equal(t.env.pid, (uint32_t)getpid());
        assert_string_equal(t.env.kind, "Host");
        tui_key(&t, back[i]);
        assert_int_equal(t.screen, SCREEN_MAIN);
        assert_false(t.quit);
        assert_null(t.env.lines);
        tui_key(&t, TK_ENTER); /* metrics: nothing selected, nothing opens */
        assert_int_equal(t.screen, SCREEN_MAIN);
        tui_state_fini(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lines_sorted),         cmocka_unit_test(scrolling),
        cmocka_unit_test(frame_of_environment), cmocka_unit_test(horizontal_scroll),
        cmocka_unit_test(unreadable),           cmocka_unit_test(keys_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
