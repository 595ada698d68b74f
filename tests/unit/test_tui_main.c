/* SPDX-License-Identifier: Apache-2.0 */
/* tui_draw_host (issue 20): after a whole frame of the main screen, a new host sample, new
 * graph points and the next second drawn over it give the very frame a whole draw of that
 * state gives, cell for cell and style for style, in each layout of the host panel. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GPUS 2

typedef struct fixture {
    nvitop_snapshot_t snap, host2;
    nvitop_device_snapshot_t dev[GPUS];
    nvitop_gpu_process_t p[3];
} fixture_t;

static void process(nvitop_gpu_process_t *p, uint32_t pid, int device)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->device = device;
    p->type = NVITOP_PROCESS_COMPUTE;
    p->gpu_memory_bytes = I(512LL << 20);
    p->host.pid = pid;
    p->host.username = S("root");
    p->host.cpu_percent = R(12.5);
    p->host.memory_percent = R(0.5);
    p->host.running_time_s = R(61);
    p->host.command = S("python3 train.py");
}

static void setup(fixture_t *f)
{
    memset(f, 0, sizeof(*f));
    for (int g = 0; g < GPUS; g++) {
        h100_device(&f->dev[g]);
        f->dev[g].physical_index = g;
    }
    f->snap.devices = f->dev;
    f->snap.device_count = GPUS;
    capture_host(&f->snap);
    for (int i = 0; i < 3; i++)
        process(&f->p[i], 100 + (uint32_t)i, i % GPUS);
    f->snap.processes = f->p;
    f->snap.process_count = 3;
    f->host2 = f->snap; /* the next host sample: other figures */
    f->host2.host.cpu_percent = R(63.2);
    f->host2.host.memory_percent = R(47.9);
    f->host2.host.swap_percent = R(5.5);
    f->host2.host.load_average_1m = R(7.77);
    f->host2.host.uptime_s = R(86400 * 3 + 7);
}

/* Graph points as the monitor's loop takes them before a frame. */
static void graphs(tui_t *t, double base)
{
    for (int g = 0; g < G__COUNT; g++) {
        size_t n = panel_host_points(t, g);
        for (size_t i = 0; i < n; i++)
            t->graph[g].points[i] = (float)fmod(base + (double)(i * 7 + (size_t)g * 13), 100.0);
        t->graph[g].count = n;
        t->graph[g].last = fmod(base + 3.0 * g, 100.0);
    }
}

static void check(int lines, int cols, tui_mode_t mode, bool colors256)
{
    fixture_t f;
    setup(&f);
    tui_t partial, whole;
    /* the frame of the first state, then the new sample, points and second drawn over it */
    tui_test_init(&partial, &f.snap, mode, lines, cols);
    partial.colors256 = colors256;
    assert_int_equal(tui_procs_update(&partial), 0);
    tui_layout(&partial);
    graphs(&partial, 10.0);
    tui_draw(&partial);
    partial.host = &f.host2;
    partial.now_unix_ns += 1000000000LL;
    tui_layout(&partial);
    graphs(&partial, 55.0);
    tui_draw_host(&partial);
    /* a whole frame of the new state */
    tui_test_init(&whole, &f.snap, mode, lines, cols);
    whole.colors256 = colors256;
    whole.host = &f.host2;
    whole.now_unix_ns += 1000000000LL;
    assert_int_equal(tui_procs_update(&whole), 0);
    tui_layout(&whole);
    graphs(&whole, 55.0);
    tui_draw(&whole);
    assert_true(whole.layout.host_height > 0);
    for (int y = 0; y < lines; y++)
        for (int x = 0; x < cols; x++) {
            const tcell_t *want = frame_cell(&whole.frame, y, x);
            const tcell_t *got = frame_cell(&partial.frame, y, x);
            if (want->cp != got->cp || want->style != got->style)
                fail_msg("%dx%d mode %d: row %d, column %d: U+%04X/%#x, a whole frame has "
                         "U+%04X/%#x",
                         lines, cols, (int)mode, y, x, (unsigned)got->cp, (unsigned)got->style,
                         (unsigned)want->cp, (unsigned)want->style);
        }
    tui_state_fini(&partial);
    tui_state_fini(&whole);
}

static void test_full_host_panel(void **state)
{
    (void)state;
    check(50, 160, TUI_MODE_FULL, true);
    check(50, 160, TUI_MODE_FULL, false);
    check(40, 100, TUI_MODE_AUTO, true);
}

static void test_compact_host_panel(void **state)
{
    (void)state;
    check(50, 160, TUI_MODE_COMPACT, true);
    check(30, 79, TUI_MODE_AUTO, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_host_panel),
        cmocka_unit_test(test_compact_host_panel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
