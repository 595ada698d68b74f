/* SPDX-License-Identifier: Apache-2.0 */
/* The main screen drawn into a frame (no terminal): a snapshot built by hand with the values
 * of the capture shared/reference/h100/nvitop-python/tui-auto-80x24.txt, laid out at 80x24
 * (every panel compact, as nvitop's auto mode picks) and 160x50 (full, bars, graphs), then the
 * selection's attributes, the sort indicator, the horizontal scroll, the signal hint, the box
 * with the rest dimmed, ASCII, the hidden host panel and the box shown below 79 columns. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t dev[1];
    nvitop_gpu_process_t p[3];
    tui_t t;
} fixture_t;

static const char *const argv1045[] = {"python3", "gpu/load.py", "--size", "8192"};

static void process(nvitop_gpu_process_t *p, uint32_t pid, const char *user, int64_t mib, int sm,
                    double cpu)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->type = NVITOP_PROCESS_COMPUTE;
    p->gpu_memory_bytes = I(mib << 20);
    p->gpu_sm_utilization_percent = I(sm);
    p->gpu_memory_utilization_percent = I(sm / 3);
    p->host.pid = pid;
    p->host.username = S(user);
    p->host.cpu_percent = R(cpu);
    p->host.memory_percent = R(0.5);
    p->host.running_time_s = R(60);
    p->host.create_time_s = R(1000.0 + pid);
    p->host.command = S("python3 gpu/load.py --size 8192 --steps 1000000 --log-every 100");
    p->host.argv = argv1045;
    p->host.argc = 4;
}

static void setup(fixture_t *f, int lines, int cols, const char *me)
{
    memset(f, 0, sizeof(*f));
    nvitop_device_snapshot_t *d = &f->dev[0];
    h100_device(d);
    d->temperature_c = I(63);
    d->power_usage_mw = I(689000);
    d->power_percent = R(98.4);
    d->gpu_utilization_percent = I(100);
    f->snap.devices = f->dev;
    f->snap.device_count = 1;
    capture_host(&f->snap);
    process(&f->p[0], 1045, "root", 3178, 99, 100.2);
    process(&f->p[1], 1046, "root", 7274, 0, 40.9);
    process(&f->p[2], 2000, "alice", 100, 1, 0.0);
    f->snap.processes = f->p;
    f->snap.process_count = 3;
    tui_test_init(&f->t, &f->snap, TUI_MODE_AUTO, lines, cols);
    f->t.me = me;
    f->t.superuser = strcmp(me, "root") == 0;
    tui_test_draw(&f->t);
}

static void compact_80x24(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 80, "root");
    tui_t *t = &f.t;
    /* the device and host panels compact, the processes full (it fits, with one GPU) */
    assert_true(t->layout.device_compact && t->layout.host_compact);
    assert_false(t->layout.process_compact);
    /* the capture's rows, but the date line and the values that move */
    expect_row(t, 1,
               "╒═════════════════════════════════════════════════════════════════════════════╕");
    expect_row(t, 2,
               "│ NVITOP 1.7.0      Driver Version: 580.159.04      CUDA Driver Version: 13.0 │");
    expect_row(t, 4,
               "│ GPU Fan Temp Perf Pwr:Usg/Cap │         Memory-Usage │ GPU-Util  Compute M. │");
    expect_row(t, 6,
               "│   0 N/A  63C  P0  689W / 700W │  10466MiB / 79.65GiB │    100%      Default │");
    expect_row(t, 7,
               "╘═══════════════════════════════╧══════════════════════╧══════════════════════╛");
    expect_row(t, 8,
               "[ CPU: ██▋ 8.7%              UPTIME: 3:12 ]  ( Load Average:  1.23  0.44  0.17 )");
    expect_row(t, 9,
               "[ MEM: ▍ 1.2%               USED: 1.51GiB ]  [ SWP: ▏ 0.0%                     ]");
    expect_row(t, 10, " !CAUTION: SUPERUSER LOGGED-IN.");
    expect_row(t, 12,
               "│ Processes:                                                           root@vm │");
    expect_row(t, 13,
               "│ GPU     PID      USER  GPU-MEM %SM %GMBW  %CPU  %MEM  TIME  COMMAND          │");
    expect_row(t, 15,
               "│   0    2000 C   alice 100.0MiB   1     0   0.0   0.5  1:00  python3 gpu/lo.. │");
    expect_row(t, 16,
               "│   0    1045 C    root  3178MiB  99    33 100.2   0.5  1:00  python3 gpu/lo.. │");
    expect_row(t, 17,
               "│   0    1046 C    root  7274MiB   0     0  40.9   0.5  1:00  python3 gpu/lo.. │");
    expect_row(t, 18,
               "╘══════════════════════════════════════════════════════════════════════════════╛");
    const tcell_t *h = frame_cell(&t->frame, 0, 55);
    assert_int_equal(h->cp, 'h');
    assert_int_equal(h->style, TC_MAGENTA | TS_BOLD | TS_ITALIC);
    assert_int_equal(frame_cell(&t->frame, 6, 5)->style & TS_FG_MASK, TC_RED); /* heavy load */
    tui_state_fini(t);
}

static void full_160x50(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 50, 160, "root");
    tui_t *t = &f.t;
    assert_false(t->layout.device_compact || t->layout.host_compact || t->layout.process_compact);
    expect_row(t, 7,
               "│   0  H100 80GB HBM3        On │ 00000000:00:06.0 Off │ Disabled           0 │ "
               "MEM: ███▋ 10466MiB              12.8% │ MBW: █████████▋ 33%          @ 2619MHz │");
    expect_row(t, 9,
               "╞═══════════════════════════════╧══════════════════════╧══════════════════════╪"
               "═══════════════════════════════════════╧════════════════════════════════════════╡");
    /* ours from 121 columns: the power graph splits the lower right graphs */
    expect_row(t, 15,
               "├────────────╴120s├─────────────────────────╴60s├──────────╴30s├──────────────┼"
               "───────────────╴120s├──────────────────┬──────╴60s├──────────╴30s├──────────────┤");
    expect_row(t, 21,
               "╘═════════════════════════════════════════════════════════════════════════════╧"
               "═══════════════════════════════════════╧════════════════════════════════════════╛");
    char *r = row(t, 10);
    assert_non_null(strstr(r, "│ Load Average:  1.23  0.44  0.17"));
    assert_non_null(strstr(r, "│ GPU MEM: N/A")); /* no points given: N/A, never a made-up 0 */
    free(r);
    r = row(t, 20);
    assert_non_null(strstr(r, "│ GPU PWR: N/A"));
    assert_non_null(strstr(r, "│ GPU UTL: N/A"));
    free(r);
    assert_int_equal(frame_cell(&t->frame, 15, 14)->style, TS_DIM); /* "120s" */
    tui_state_fini(t);
}

static void graphs_and_labels(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 50, 160, "root");
    tui_t *t = &f.t;
    for (int g = 0; g < G__COUNT; g++) {
        t->graph[g].count = 8;
        for (int i = 0; i < 8; i++)
            t->graph[g].points[i] = 100.0f;
        t->graph[g].last = 42.0;
    }
    tui_draw(t);
    char *r = row(t, 11);
    assert_non_null(strstr(r, "│ CPU: 42.0%"));
    free(r);
    r = row(t, 14); /* the bottom row of the CPU graph: four full characters at its right */
    assert_non_null(strstr(r, "⣿⣿⣿⣿│"));
    free(r);
    assert_int_equal(frame_cell(&t->frame, 14, 77)->style & TS_FG_MASK, TC_CYAN);
    r = row(t, 19);
    assert_non_null(strstr(r, "│ MEM: 1.51GiB (42.0%)"));
    free(r);
    tui_state_fini(t);
}

static void selection_attributes(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 80, "bob");
    tui_t *t = &f.t;
    int y = find_row(t, "   2000 C");
    assert_true(y > 0);
    /* not our processes: dim */
    assert_true(frame_cell(&t->frame, y, 10)->style & TS_DIM);
    tui_key(t, TK_DOWN); /* the first row in natural order: alice's (user names sort) */
    tui_draw(t);
    int first = find_row(t, "   2000 C");
    assert_int_equal(first, 15);
    assert_true(frame_cell(&t->frame, first, 10)->style & TS_REVERSE);
    assert_int_equal(frame_cell(&t->frame, first, 10)->style & TS_FG_MASK, TC_CYAN);
    /* the device row of the selection is bold */
    assert_true(frame_cell(&t->frame, 6, 5)->style & TS_BOLD);
    /* another user's process: no signal hint */
    assert_int_equal(find_row(t, "to send signals"), -1);
    tui_state_fini(t);

    setup(&f, 24, 80, "root");
    t = &f.t;
    tui_key(t, TK_DOWN);
    tui_draw(t);
    expect_row(t, 10,
               " !CAUTION: SUPERUSER LOGGED-IN.  (Press ^C(INT)/T(TERM)/K(KILL) to send signals)");
    /* Space tags and moves down; a tagged row is yellow and bold */
    tui_key(t, TK_SPACE);
    tui_draw(t);
    int tagged = find_row(t, "   2000 C");
    assert_int_equal(frame_cell(&t->frame, tagged, 10)->style, TC_YELLOW | TS_BOLD);
    tui_key(t, TK_ESC);
    assert_false(t->sel.set);
    assert_int_equal(t->sel.tag_count, 0);
    tui_state_fini(t);
}

static void sorting_and_scrolling(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 30, 100, "root");
    tui_t *t = &f.t;
    tui_key(t, 'o');
    tui_key(t, 'g');
    tui_draw(t);
    assert_int_equal(t->order, SORT_GPU_MEMORY);
    int y = find_row(t, "GPU-MEM▼");
    assert_true(y > 0);
    expect_row(t, y + 2,
               "│   0    1046 C    root  7274MiB   0     0  40.9   0.5  1:00  python3 gpu/load.py "
               "--size 8192 --.. │");
    tui_key(t, '/');
    tui_draw(t);
    assert_true(find_row(t, "GPU-MEM▲") > 0);
    tui_key(t, '.');
    tui_draw(t);
    assert_true(find_row(t, "SM▼") > 0);
    /* $: the command scrolled to its end; the header shows only COMMAND */
    tui_key(t, '$');
    tui_draw(t);
    assert_true(t->host_offset > 0);
    y = find_row(t, "%GMBW  COMMAND");
    assert_true(y > 0);
    assert_true(find_row(t, "--log-every 100") > 0);
    tui_key(t, TK_CTRL_A);
    assert_int_equal(t->host_offset, -1);
    tui_key(t, TK_RIGHT);
    assert_int_equal(t->host_offset, 1);
    tui_state_fini(t);
}

static void box_dims_the_rest(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 80, "root");
    tui_t *t = &f.t;
    tui_key(t, TK_DOWN);
    tui_draw(t);
    tui_key(t, 'K');
    assert_int_equal(t->screen, SCREEN_CONFIRM);
    assert_int_equal(t->box.current, CONFIRM_KILL);
    tui_draw(t);
    assert_true(find_row(t, "Send signal to process 2000(alice)?") > 0);
    assert_true(frame_cell(&t->frame, 1, 0)->style & TS_DIM);
    tui_key(t, TK_ESC);
    assert_int_equal(t->screen, SCREEN_MAIN);
    assert_int_equal(t->signals_sent, 0);
    tui_state_fini(t);
    /* read-only: no box at all */
    setup(&f, 24, 80, "root");
    t = &f.t;
    t->opt.readonly = true;
    tui_key(t, TK_DOWN);
    tui_key(t, 'K');
    tui_key(t, 'T');
    tui_key(t, 'I');
    assert_int_equal(t->screen, SCREEN_MAIN);
    tui_draw(t);
    assert_int_equal(find_row(t, "to send signals"), -1);
    tui_state_fini(t);
}

static void ascii_hidden_host_narrow(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 50, 160, "root");
    tui_t *t = &f.t;
    t->opt.ascii = t->frame.ascii = true;
    tui_layout(t);
    tui_draw(t);
    assert_true(t->layout.host_compact); /* no graphs in ASCII */
    expect_row(t, 1,
               "+=============================================================================+");
    assert_true(find_row(t, "[ CPU: ||") > 0);
    tui_state_fini(t);

    setup(&f, 24, 80, "root");
    t = &f.t;
    tui_key(t, 'H');
    tui_draw(t);
    assert_int_equal(t->layout.host_height, 0);
    assert_int_equal(find_row(t, "[ CPU:"), -1);
    /* the room goes to the others: the device panel is full again, processes right below */
    assert_false(t->layout.device_compact);
    expect_row(t, 10, " !CAUTION: SUPERUSER LOGGED-IN.");
    tui_key(t, 'H');
    tui_draw(t);
    assert_true(find_row(t, "[ CPU:") > 0);
    tui_state_fini(t);

    setup(&f, 24, 70, "root");
    t = &f.t;
    assert_true(find_row(t, "nvitop needs at least a width of 79 to render") > 0 ||
                find_row(t, "nvitop needs at least a width") > 0);
    assert_true(find_row(t, "width is 70.") > 0);
    assert_int_equal(find_row(t, "NVITOP 1.7.0"), -1);
    tui_state_fini(t);
}

static void modes_and_screen_scroll(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 80, "root");
    tui_t *t = &f.t;
    tui_key(t, 'f'); /* full in 24 lines: 10 + 12 + 9 = 31 lines, scrolled */
    tui_draw(t);
    assert_false(t->layout.device_compact);
    assert_int_equal(t->layout.total, 31);
    tui_key(t, ']');
    tui_key(t, ']');
    assert_int_equal(t->scroll, -2);
    tui_key(t, TK_PAGE_DOWN);
    tui_key(t, TK_PAGE_DOWN);
    tui_key(t, TK_PAGE_DOWN);
    tui_key(t, TK_PAGE_DOWN);
    tui_key(t, TK_PAGE_DOWN);
    assert_int_equal(t->scroll, -7); /* the last line on the last row */
    tui_key(t, '[');
    assert_int_equal(t->scroll, -6);
    tui_key(t, 'r');
    assert_int_equal(t->scroll, 0);
    tui_key(t, 'c');
    assert_true(t->layout.device_compact && t->layout.process_compact);
    tui_key(t, 'a');
    assert_int_equal(t->mode, TUI_MODE_AUTO);
    tui_state_fini(t);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compact_80x24),
        cmocka_unit_test(full_160x50),
        cmocka_unit_test(graphs_and_labels),
        cmocka_unit_test(selection_attributes),
        cmocka_unit_test(sorting_and_scrolling),
        cmocka_unit_test(box_dims_the_rest),
        cmocka_unit_test(ascii_hidden_host_narrow),
        cmocka_unit_test(modes_and_screen_scroll),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
