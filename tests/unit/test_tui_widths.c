/* SPDX-License-Identifier: Apache-2.0 */
/* The main screen at every width: the box shown below 79 columns (nvitop's characters and
 * word wrap, placed where nvitop places it), the host panel's time axis with the marks nvitop
 * draws left whole by our power graph's column, and a sweep of widths 79..220 at a few heights
 * in each mode: every line within the width, every framed line closed, only nvitop's box
 * characters. Values of a loaded H100 with two processes, built by hand. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t dev[1];
    nvitop_gpu_process_t p[2];
    tui_t t;
} fixture_t;

static void process(nvitop_gpu_process_t *p, uint32_t pid, int64_t mib)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->type = NVITOP_PROCESS_COMPUTE;
    p->gpu_memory_bytes = I(mib << 20);
    p->gpu_sm_utilization_percent = I(50);
    p->gpu_memory_utilization_percent = I(16);
    p->host.pid = pid;
    p->host.username = S("root");
    p->host.cpu_percent = R(99.5);
    p->host.memory_percent = R(0.5);
    p->host.running_time_s = R(60);
    p->host.create_time_s = R(1000.0 + pid);
    p->host.command = S("python3 bench/mm.py 120 1.0 2147483648");
}

static void setup(fixture_t *f, int lines, int cols, tui_mode_t mode)
{
    memset(f, 0, sizeof(*f));
    h100_device(&f->dev[0]);
    f->snap.devices = f->dev;
    f->snap.device_count = 1;
    capture_host(&f->snap);
    process(&f->p[0], 1045, 3178);
    process(&f->p[1], 1046, 7274);
    f->snap.processes = f->p;
    f->snap.process_count = 2;
    tui_test_init(&f->t, &f->snap, mode, lines, cols);
    tui_test_draw(&f->t);
}

static uint32_t cp_at(const tui_t *t, int y, int x)
{
    const tcell_t *c = frame_cell(&t->frame, y, x);
    return c ? c->cp : 0;
}

/* Does row y read `text` from column x on? */
static bool reads(const tui_t *t, int y, int x, const char *text)
{
    for (size_t i = 0; text[i];) {
        uint32_t cp;
        i += utf8_decode(text + i, &cp);
        if (cp_at(t, y, x++) != cp) return false;
    }
    return true;
}

/* Below 79 columns: nvitop's box (╒═╕ │ ╘═╛), its greedy word wrap at
 * min(max(cols, 40), cols, 60) - 10 (a word longer than that stands alone) and its place
 * ((lines - height) / 2, (cols - width) / 2). Wanted: nvitop 1.7's TUI.draw. */
static void narrow_box(void **state)
{
    (void)state;
    static const struct {
        int lines, cols, y, x;
        const char *rows[18];
    } cases[] = {
        {24,
         70,
         9,
         8,
         {"╒════════════════════════════════════════════════════╕",
          "│                                                    │",
          "│ nvitop needs at least a width of 79 to render, the │",
          "│ current width is 70.                               │",
          "│                                                    │",
          "╘════════════════════════════════════════════════════╛"}},
        {24,
         30,
         8,
         3,
         {"╒══════════════════════╕", "│                      │", "│ nvitop needs at      │",
          "│ least a width of 79  │", "│ to render, the       │", "│ current width is 30. │",
          "│                      │", "╘══════════════════════╛"}},
        {24,
         15,
         3,
         2,
         {"╒═════════╕", "│         │", "│ nvitop  │", "│ needs   │", "│ at      │", "│ least   │",
          "│ a       │", "│ width   │", "│ of 79   │", "│ to      │", "│ render, │", "│ the     │",
          "│ current │", "│ width   │", "│ is      │", "│ 15.     │", "│         │",
          "╘═════════╛"}},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        fixture_t f;
        setup(&f, cases[c].lines, cases[c].cols, TUI_MODE_AUTO);
        tui_t *t = &f.t;
        int n = 0;
        for (; n < 18 && cases[c].rows[n]; n++)
            if (!reads(t, cases[c].y + n, cases[c].x, cases[c].rows[n])) {
                char *got = row(t, cases[c].y + n);
                fail_msg("%dx%d row %d: '%s', want '%s' at column %d", cases[c].cols,
                         cases[c].lines, cases[c].y + n, got, cases[c].rows[n], cases[c].x);
            }
        /* nothing else on the screen */
        for (int y = 0; y < t->lines; y++)
            if (y < cases[c].y || y >= cases[c].y + n) {
                char *got = row(t, y);
                assert_string_equal(got, "");
                free(got);
            }
        tui_state_fini(t);
    }
    fixture_t f; /* -U: the same box in nvitop's ASCII stand-ins */
    setup(&f, 24, 70, TUI_MODE_AUTO);
    f.t.opt.ascii = f.t.frame.ascii = true;
    tui_draw(&f.t);
    assert_true(reads(&f.t, 9, 8, "+====================================================+"));
    assert_true(reads(&f.t, 11, 8, "| nvitop needs at least a width of 79 to render, the |"));
    assert_true(reads(&f.t, 14, 8, "+====================================================+"));
    tui_state_fini(&f.t);
}

/* The time marks nvitop puts on the host panel's axis from 100 columns on (counted from the
 * right edge) stay whole at every width; our power graph's column meets the axis with `┬`
 * only where the axis is a plain line. */
static void time_marks_whole(void **state)
{
    (void)state;
    static const struct {
        int offset;
        const char *mark;
    } marks[] = {{20, "╴30s├"},  {35, "╴60s├"},   {66, "╴120s├"},
                 {96, "╴180s├"}, {126, "╴240s├"}, {156, "╴300s├"}};
    for (int width = 100; width <= 280; width++) {
        fixture_t f;
        setup(&f, 60, width, TUI_MODE_FULL);
        tui_t *t = &f.t;
        int axis = find_row(t, "├────────────╴120s├");
        assert_true(axis > 0);
        for (size_t m = 0; m < sizeof(marks) / sizeof(marks[0]); m++)
            if (marks[m].offset <= width - 79 &&
                !reads(t, axis, width - marks[m].offset, marks[m].mark)) {
                char *got = row(t, axis);
                fail_msg("%d columns: '%s' broken on the axis: '%s'", width, marks[m].mark, got);
            }
        for (int x = 79; x < width - 1; x++) /* a ┬ only where the line passes */
            if (cp_at(t, axis, x) == 0x252C && cp_at(t, axis + 1, x) != 0x2502)
                fail_msg("%d columns: a ┬ at %d over no column", width, x);
        tui_state_fini(t);
    }
}

static bool is_box(uint32_t cp)
{
    return cp >= 0x2500 && cp <= 0x257F;
}

/* Every line within the width, each line that opens a frame closes it at the device header's
 * 79 columns or at the screen's edge, and only the characters nvitop draws boxes with. */
static void check_frames(const tui_t *t, const char *what)
{
    static const uint32_t foreign[] = {0x2554, 0x2557, 0x255A, 0x255D, 0x2551,
                                       0x250C, 0x2510, 0x2514, 0x2518}; /* ╔ ╗ ╚ ╝ ║ ┌ ┐ └ ┘ */
    for (int y = 0; y < t->lines; y++) {
        char *text = row(t, y);
        assert_true(rpt_width(text) <= (size_t)t->cols);
        for (int x = 0; x < t->cols; x++)
            for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
                if (cp_at(t, y, x) == foreign[i]) fail_msg("%s row %d: '%s'", what, y, text);
        if (is_box(cp_at(t, y, 0))) {
            int last = t->cols - 1;
            while (last > 0 && cp_at(t, y, last) == ' ')
                last--;
            if (!is_box(cp_at(t, y, last)) || (last != 78 && last != t->cols - 1))
                fail_msg("%s row %d not closed: '%s'", what, y, text);
        }
        free(text);
    }
}

static void width_sweep(void **state)
{
    (void)state;
    static const int heights[] = {24, 40, 60};
    static const tui_mode_t modes[] = {TUI_MODE_AUTO, TUI_MODE_FULL, TUI_MODE_COMPACT};
    for (size_t h = 0; h < sizeof(heights) / sizeof(heights[0]); h++)
        for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
            for (int width = 79; width <= 220; width++) {
                fixture_t f;
                setup(&f, heights[h], width, modes[m]);
                char what[64];
                snprintf(what, sizeof(what), "%dx%d mode %d", width, heights[h], (int)modes[m]);
                check_frames(&f.t, what);
                /* the bars from 100 columns, split in two from 123 */
                bool bars =
                    find_row(&f.t, "0 │ MEM: ") > 0 || find_row(&f.t, "Default │ MEM: ") > 0;
                bool mbw = find_row(&f.t, "│ MBW: ") > 0;
                if (bars != (width >= 100)) fail_msg("%s: bars %d", what, bars);
                if (!f.t.layout.device_compact && mbw != (width >= 123))
                    fail_msg("%s: MBW %d", what, mbw);
                tui_state_fini(&f.t);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(narrow_box),
        cmocka_unit_test(time_marks_whole),
        cmocka_unit_test(width_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
