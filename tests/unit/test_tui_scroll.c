/* SPDX-License-Identifier: Apache-2.0 */
/* Every process reachable in every sort order and display mode (issue 13): 45 processes on 8
 * GPUs in a 30-line terminal, sorted by each key in both directions, in auto, full and compact
 * mode. End selects the last process and shows it, End again scrolls to the panel's bottom
 * rule on the last line (the panel is as tall as the rows drawn), as PageDown repeated does;
 * Down and the wheel reach it too, Up and Home come back; rules between GPUs are drawn in the
 * natural order's full form only (nvitop's ProcessPanel.compact), and a click selects the process
 * under it. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GPUS 8
#define PROCS 45
#define LINES 30
#define COLS 100

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t dev[GPUS];
    nvitop_gpu_process_t p[PROCS];
    tui_t t;
} fixture_t;

static const char *const users[] = {"alice", "bob", "root"};

/* Values spread so that every order is a different permutation; more processes on GPU 0. */
static void process(nvitop_gpu_process_t *p, int i)
{
    memset(p, 0, sizeof(*p));
    p->pid = (uint32_t)(1000 + (i * 7919) % 9973);
    p->device = i < 10 ? 0 : i % GPUS;
    p->type = NVITOP_PROCESS_COMPUTE;
    p->gpu_memory_bytes = I((int64_t)(1 + (i * 37) % 89) << 20);
    p->gpu_sm_utilization_percent = I((i * 13) % 101);
    p->gpu_memory_utilization_percent = I((i * 29) % 61);
    p->host.pid = p->pid;
    p->host.username = S(users[(i * 5) % 3]);
    p->host.cpu_percent = R((double)((i * 17) % 43));
    p->host.memory_percent = R((double)((i * 11) % 47) / 10.0);
    p->host.running_time_s = R(60.0 * ((i * 23) % 53));
    p->host.create_time_s = R(1000.0 + i);
    p->host.command = S("python3 train.py");
}

static void setup(fixture_t *f, tui_mode_t mode)
{
    memset(f, 0, sizeof(*f));
    for (int g = 0; g < GPUS; g++) {
        nvitop_device_snapshot_clear(&f->dev[g]);
        f->dev[g].physical_index = g;
        f->dev[g].name = S("NVIDIA H100 80GB HBM3");
    }
    for (int i = 0; i < PROCS; i++)
        process(&f->p[i], i);
    f->snap.devices = f->dev;
    f->snap.device_count = GPUS;
    f->snap.processes = f->p;
    f->snap.process_count = PROCS;
    tui_test_init(&f->t, &f->snap, mode, LINES, COLS);
    f->t.hostname = "node";
    f->t.superuser = false; /* no caution line above the table */
    tui_test_draw(&f->t);
}

static void press(tui_t *t, int key, int times)
{
    for (int i = 0; i < times; i++)
        tui_key(t, key);
    tui_draw(t);
}

/* The screen row showing process `pid` (its PID column), or -1. */
static int row_of_pid(const tui_t *t, uint32_t pid)
{
    char needle[16];
    snprintf(needle, sizeof(needle), " %7u ", (unsigned)pid);
    for (int y = 0; y < t->lines; y++) {
        char *r = row(t, y);
        bool hit = strncmp(r, "│", strlen("│")) == 0 && strstr(r, needle) != NULL;
        free(r);
        if (hit) return y;
    }
    return -1;
}

static bool is_gpu_rule(const char *r)
{
    if (strncmp(r, "├─", strlen("├─")) != 0) return false;
    return strstr(r, "┼") == NULL && strstr(r, "╴") == NULL; /* not the device or host panel */
}

static int gpu_rules_shown(const tui_t *t)
{
    int n = 0;
    for (int y = 0; y < t->lines; y++) {
        char *r = row(t, y);
        n += is_gpu_rule(r);
        free(r);
    }
    return n;
}

/* The last process of the list is on the line above the panel's bottom rule, which is on the
 * terminal's last line. */
static void last_shown_at_bottom(const tui_t *t, const char *what)
{
    uint32_t last = t->procs.items[t->procs.count - 1].p->pid;
    char *bottom = row(t, t->lines - 1);
    if (strncmp(bottom, "╘", strlen("╘")) != 0)
        fail_msg("%s: the last line is '%s', not the bottom rule", what, bottom);
    free(bottom);
    if (row_of_pid(t, last) != t->lines - 2)
        fail_msg("%s: process %u is on row %d, not %d", what, (unsigned)last, row_of_pid(t, last),
                 t->lines - 2);
}

static void selected_shown(const tui_t *t, size_t index, const char *what)
{
    const rpt_proc_t *v = &t->procs.items[index];
    if (!t->sel.set || !selection_is(&t->sel, v))
        fail_msg("%s: entry %zu is not selected", what, index);
    int y = row_of_pid(t, v->p->pid);
    if (y < 0 || !t->sel_visible || !(frame_cell(&t->frame, y, 10)->style & TS_REVERSE))
        fail_msg("%s: the selected process %u is not shown (row %d)", what, (unsigned)v->p->pid, y);
}

static void to_top(tui_t *t)
{
    press(t, 'r', 1); /* selection cleared, scrolled to the top */
    assert_int_equal(t->scroll, 0);
}

static void check_order(tui_t *t, const char *what)
{
    size_t last = t->procs.count - 1;
    char step[96];

    to_top(t);
    press(t, TK_END, 1);
    snprintf(step, sizeof(step), "%s, End", what);
    selected_shown(t, last, step);
    press(t, TK_END, 1); /* at the last already: the screen scrolls to its end */
    snprintf(step, sizeof(step), "%s, End End", what);
    selected_shown(t, last, step);
    last_shown_at_bottom(t, step);
    bool ruled = t->order == SORT_NATURAL && !t->layout.process_compact; /* nvitop's rule */
    if (!ruled && gpu_rules_shown(t) != 0) fail_msg("%s: a rule between GPUs is drawn", step);
    if (ruled && gpu_rules_shown(t) == 0) fail_msg("%s: no rule between GPUs", step);
    press(t, TK_HOME, 1);
    snprintf(step, sizeof(step), "%s, Home", what);
    selected_shown(t, 0, step);

    to_top(t);
    press(t, TK_PAGE_DOWN, 400); /* past the end: the scroll stops with the last line shown */
    snprintf(step, sizeof(step), "%s, PageDown", what);
    last_shown_at_bottom(t, step);

    to_top(t);
    for (size_t i = 0; i <= last; i++) {
        press(t, TK_DOWN, 1);
        snprintf(step, sizeof(step), "%s, Down %zu", what, i + 1);
        selected_shown(t, i, step);
    }
    for (size_t i = last; i-- > 0;) {
        press(t, TK_UP, 1);
        snprintf(step, sizeof(step), "%s, Up to %zu", what, i);
        selected_shown(t, i, step);
    }

    to_top(t);
    for (size_t i = 0; i <= last; i++)
        tui_mouse(t, 20, 10, 5); /* wheel down */
    tui_draw(t);
    snprintf(step, sizeof(step), "%s, wheel", what);
    selected_shown(t, last, step);
}

/* Every order, both directions, by the keys a user types (o + letter, upper case reversed). */
static void every_order(tui_mode_t mode, const char *mode_name)
{
    fixture_t f;
    setup(&f, mode);
    tui_t *t = &f.t;
    for (int o = 0; o < SORT__COUNT; o++)
        for (int reversed = 0; reversed < 2; reversed++) {
            char letter = sort_info((sort_order_t)o)->key;
            press(t, 'o', 1);
            press(t, reversed ? letter - 'a' + 'A' : letter, 1);
            assert_int_equal(t->order, o);
            assert_int_equal(t->reverse, reversed);
            char what[64];
            snprintf(what, sizeof(what), "%s, o%c", mode_name,
                     reversed ? letter - 'a' + 'A' : letter);
            check_order(t, what);
        }
    tui_state_fini(t);
}

static void auto_mode(void **state)
{
    (void)state;
    every_order(TUI_MODE_AUTO, "auto");
}

static void full_mode(void **state)
{
    (void)state;
    every_order(TUI_MODE_FULL, "full");
}

static void compact_mode(void **state)
{
    (void)state;
    every_order(TUI_MODE_COMPACT, "compact");
}

/* In the natural order's full form the panel is as tall as the rows drawn: 45 processes and a
 * rule between each two of the 8 GPUs; sorted otherwise no rule, and the panel 7 rows shorter. */
static void height_counts_rules(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, TUI_MODE_FULL);
    tui_t *t = &f.t;
    assert_int_equal(t->layout.process_height, 1 + 5 + PROCS + GPUS - 1);
    press(t, 'o', 1);
    press(t, 'g', 1);
    assert_int_equal(t->layout.process_height, 1 + 5 + PROCS);
    assert_int_equal(tui_procs_update(t), 0); /* a new sample while sorted otherwise */
    press(t, 'o', 1); /* and back: the rules count again at once, not after the next sample */
    press(t, 'n', 1);
    assert_int_equal(t->layout.process_height, 1 + 5 + PROCS + GPUS - 1);
    tui_state_fini(t);
}

/* A click selects the process on its row, never one next to a rule. */
static void click_selects_the_row(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, TUI_MODE_FULL);
    tui_t *t = &f.t;
    press(t, TK_END, 1);
    for (size_t i = t->procs.count; i-- > t->procs.count - 12;) {
        uint32_t pid = t->procs.items[i].p->pid;
        int y = row_of_pid(t, pid);
        assert_true(y > 0);
        tui_mouse(t, y, 10, 1);
        tui_draw(t);
        selected_shown(t, i, "click");
    }
    for (int y = 0; y < t->lines; y++) {
        char *r = row(t, y);
        bool rule = is_gpu_rule(r);
        free(r);
        if (!rule) continue;
        tui_mouse(t, y, 10, 1);
        assert_false(t->sel.set);
    }
    tui_state_fini(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(auto_mode),
        cmocka_unit_test(full_mode),
        cmocka_unit_test(compact_mode),
        cmocka_unit_test(height_counts_rules),
        cmocka_unit_test(click_selects_the_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
