/* SPDX-License-Identifier: Apache-2.0 */
/* The device panel formats only the devices that reach the screen (issue 20): with 64 GPUs on
 * a 50-line terminal every cell, style included, is what the same screen cut from a frame
 * tall enough for the whole table shows, at the top and scrolled down. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"

#include <stdlib.h>
#include <string.h>

#define GPUS 64
#define TALL 400

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t dev[GPUS];
} fixture_t;

static void setup(fixture_t *f)
{
    memset(f, 0, sizeof(*f));
    for (int g = 0; g < GPUS; g++) {
        h100_device(&f->dev[g]);
        f->dev[g].physical_index = g;
        f->dev[g].gpu_utilization_percent = I(g);
        f->dev[g].memory_percent = R(g * 1.5);
    }
    f->snap.devices = f->dev;
    f->snap.device_count = GPUS;
    capture_host(&f->snap);
}

/* Draws at `lines` x 160 with the screen scrolled by `scroll` lines. */
static void draw(tui_t *t, const fixture_t *f, int lines, int scroll)
{
    tui_test_init(t, &f->snap, TUI_MODE_FULL, lines, 160);
    t->colors256 = true;
    t->scroll = -scroll;
    tui_test_draw(t);
}

static void check_same_rows(int scroll)
{
    fixture_t f;
    setup(&f);
    tui_t tall, screen;
    draw(&tall, &f, TALL, 0);
    draw(&screen, &f, 50, scroll);
    assert_int_equal(screen.scroll, -scroll);
    for (int y = 0; y < 50; y++) {
        for (int x = 0; x < 160; x++) {
            const tcell_t *want = frame_cell(&tall.frame, y + scroll, x);
            const tcell_t *got = frame_cell(&screen.frame, y, x);
            if (want->cp != got->cp || want->style != got->style)
                fail_msg("scroll %d, row %d, column %d: U+%04X/%#x, the whole table has "
                         "U+%04X/%#x",
                         scroll, y, x, (unsigned)got->cp, (unsigned)got->style, (unsigned)want->cp,
                         (unsigned)want->style);
        }
    }
    tui_state_fini(&tall);
    tui_state_fini(&screen);
}

static void test_top(void **state)
{
    (void)state;
    check_same_rows(0);
}

static void test_scrolled(void **state)
{
    (void)state;
    check_same_rows(37);
    check_same_rows(120);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top),
        cmocka_unit_test(test_scrolled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
