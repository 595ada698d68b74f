/* SPDX-License-Identifier: Apache-2.0 */
/* The main screen's layout rules: panel heights, nvitop's `auto` thresholds with the numbers
 * verified on Python nvitop 1.7 (spec §3.2: the 3-GPU example is all full at 42 lines, the
 * device panel compact at 41, the host too at 37, the processes too at 27), the forced modes,
 * ASCII, the hidden host panel and the clamps of the vertical scroll. */
#include "testutil.h"

#include "tui/layout.h"

/* The spec's example: an H100, an RTX 4090, an A100 with two MIG devices; four processes on
 * two physical GPUs. */
static layout_input_t example(int lines)
{
    layout_input_t in = {.lines = lines,
                         .mode = TUI_MODE_AUTO,
                         .devices = 3,
                         .migs = 2,
                         .mig_enabled = 1,
                         .processes = 4,
                         .process_rules = 1};
    return in;
}

static void heights(void **state)
{
    (void)state;
    layout_input_t in = example(50);
    assert_int_equal(layout_device_height(&in, true), 15); /* 4 + 2 * 4 + 2 + 1 */
    assert_int_equal(layout_device_height(&in, false), 19);
    assert_int_equal(layout_host_height(&in, false), 12);
    assert_int_equal(layout_host_height(&in, true), 2);
    assert_int_equal(layout_process_height(&in, false), 11); /* 1 + 5 + 4 + 1 rule */
    assert_int_equal(layout_process_height(&in, true), 10);
    in.process_rules = 0; /* sorted otherwise: no rules, as compact */
    assert_int_equal(layout_process_height(&in, false), 10);
    in.processes = 0;
    assert_int_equal(layout_process_height(&in, false), 7); /* "Gathering ..." */
    in.devices = in.migs = in.mig_enabled = 0;
    assert_int_equal(layout_device_height(&in, false), 6);
    assert_int_equal(layout_device_height(&in, true), 6);
    in.host_compact_only = true;
    assert_int_equal(layout_host_height(&in, false), 2);
    in.host_hidden = true;
    assert_int_equal(layout_host_height(&in, false), 0);
    assert_int_equal(layout_host_height(&in, true), 0);
}

static void check(int lines, bool dev, bool host, bool proc, int total)
{
    layout_input_t in = example(lines);
    layout_t l;
    layout_compute(&in, &l);
    assert_int_equal(l.device_compact, dev);
    assert_int_equal(l.host_compact, host);
    assert_int_equal(l.process_compact, proc);
    assert_int_equal(l.total, total);
    assert_int_equal(l.scroll, 0);
}

static void auto_thresholds(void **state)
{
    (void)state;
    check(42, false, false, false, 42);
    check(41, true, false, false, 38);
    check(38, true, false, false, 38);
    check(37, true, true, false, 28);
    check(28, true, true, false, 28);
    check(27, true, true, true, 27);
    check(10, true, true, true, 27); /* then it scrolls */
}

static void forced_modes(void **state)
{
    (void)state;
    layout_input_t in = example(10);
    layout_t l;
    in.mode = TUI_MODE_FULL;
    layout_compute(&in, &l);
    assert_false(l.device_compact || l.host_compact || l.process_compact);
    assert_int_equal(l.total, 42);
    in.lines = 100;
    in.mode = TUI_MODE_COMPACT;
    layout_compute(&in, &l);
    assert_true(l.device_compact && l.host_compact && l.process_compact);
    assert_int_equal(l.total, 27);
}

static void hidden_host(void **state)
{
    (void)state;
    /* without the host panel the room it took goes to the others: 30 lines fit all full */
    layout_input_t in = example(30);
    in.host_hidden = true;
    layout_t l;
    layout_compute(&in, &l);
    assert_false(l.device_compact);
    assert_false(l.process_compact);
    assert_int_equal(l.host_height, 0);
    assert_int_equal(l.total, 30);
}

static void scroll_clamps(void **state)
{
    (void)state;
    layout_input_t in = example(20);
    layout_t l;
    in.scroll = 5; /* never below the top */
    layout_compute(&in, &l);
    assert_int_equal(l.scroll, 0);
    in.scroll = -3; /* 27 lines of content in the compact forms on 20 */
    layout_compute(&in, &l);
    assert_int_equal(l.scroll, -3);
    /* In `auto` the height nvitop compares with is the lines plus what is scrolled away, so
     * scrolling far down shows the full forms: 42 lines, the last on the last row. */
    in.scroll = -1000;
    layout_compute(&in, &l);
    assert_int_equal(l.scroll, -22);
    assert_int_equal(l.total, 42);
    assert_int_equal(l.scroll + l.total, 20);
    in.mode = TUI_MODE_COMPACT;
    layout_compute(&in, &l);
    assert_int_equal(l.scroll, -7);
    in.mode = TUI_MODE_AUTO;
    in.lines = 60; /* everything fits: back to the top */
    in.scroll = -5;
    layout_compute(&in, &l);
    assert_int_equal(l.scroll, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(heights),       cmocka_unit_test(auto_thresholds),
        cmocka_unit_test(forced_modes),  cmocka_unit_test(hidden_host),
        cmocka_unit_test(scroll_clamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
