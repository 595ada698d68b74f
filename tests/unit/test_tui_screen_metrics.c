/* SPDX-License-Identifier: Apache-2.0 */
/* The process metrics screen without a terminal or a sampler: the sizes, the dynamic bound
 * and the y-axis ticks of nvitop's graphs (values checked against nvitop's get_yticks), the
 * frame at 160x50 against the capture shared/reference/h100/nvitop-python/tui-metrics.txt
 * (the rows without graph glyphs, and the ticks), the ended process, the keys that open and
 * leave the screen, and the environment opened from it. */
#include "testutil.h"

#include "tui/tui_internal.h"
#include "tui_testutil.h"
#include "util/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void sizes(void **state)
{
    (void)state;
    metrics_size_t s = metrics_size(50, 160);
    assert_int_equal(s.left, 78);
    assert_int_equal(s.right, 79);
    assert_int_equal(s.upper, 21);
    assert_int_equal(s.lower, 21);
    s = metrics_size(50, 140); /* spec's capture */
    assert_int_equal(s.left + s.right + 3, 140);
    s = metrics_size(10, 79); /* never below 5 rows and 20 columns */
    assert_int_equal(s.upper, 5);
    assert_int_equal(s.lower, 5);
    assert_int_equal(s.left, 38);
    s = metrics_size(10, 30);
    assert_int_equal(s.left, 20);
}

static void bounds(void **state)
{
    (void)state;
    const float none[] = {NAN, NAN};
    assert_true(metrics_bound(none, 2, 10, 1000, 100) == 100); /* no point: the initial one */
    assert_true(metrics_bound(none, 0, 10, 1000, 100) == 100);
    const float cpu[] = {96.8f, NAN, 103.3f, 50};
    assert_float_equal(metrics_bound(cpu, 4, 10, 1000, 100), 1.25 * 103.3f, 1e-9);
    const float low[] = {1, 2};
    assert_true(metrics_bound(low, 2, 10, 1000, 100) == 10); /* the least bound */
    const float high[] = {990};
    assert_true(metrics_bound(high, 1, 10, 1000, 100) == 1000); /* the largest */
}

typedef struct tick_case {
    int height;
    double bound, max, scale;
    bool down;
    int n;
    metrics_tick_t want[3];
} tick_case_t;

static void yticks(void **state)
{
    (void)state;
    const double host = 135148564480.0, gpu = 85520809984.0;
    /* what nvitop's get_yticks returns for these (computed with its code) */
    const tick_case_t cases[] = {
        {21, 1.25 * 103.3, 1000, 0.1, false, 2, {{5, 100}, {13, 50}}},
        {21, 0.1 * host, host, 1, true, 2, {{16, 8}, {8, 4}}},
        {21, 100, 100, 1, true, 2, {{16, 80}, {8, 40}}},
        {21, 0.1 * gpu, gpu, 1, false, 2, {{4, 8}, {12, 4}}},
        {5, 100, 1000, 0.1, false, 1, {{2, 50}}},
        {8, 10, 1000, 0.1, false, 1, {{2, 8}}},
        {16, 10, 1000, 0.1, false, 2, {{3, 8}, {9, 4}}},
        {30, 60, 100, 1, true, 2, {{24, 50}, {12, 25}}},
        {12, 33, 100, 1, false, 2, {{5, 20}, {8, 10}}},
        {5, 10, 100, 1, true, 1, {{2, 5}}},
        {3, 10, 100, 1, false, 1, {{2, 1}}},
        {40, 1000, 1000, 0.1, false, 2, {{8, 800}, {24, 400}}},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const tick_case_t *c = &cases[i];
        metrics_tick_t got[3];
        int n = metrics_yticks(c->height, c->bound, c->max, c->scale, c->down, got);
        if (n != c->n) fail_msg("case %zu: %d ticks, want %d", i, n, c->n);
        for (int k = 0; k < n; k++)
            if (got[k].row != c->want[k].row || got[k].percent != c->want[k].percent)
                fail_msg("case %zu tick %d: row %d %d%%, want row %d %d%%", i, k, got[k].row,
                         got[k].percent, c->want[k].row, c->want[k].percent);
    }
    metrics_tick_t got[3];
    assert_int_equal(metrics_yticks(1, 100, 100, 1, false, got), 0);
    assert_int_equal(metrics_yticks(10, 0, 100, 1, false, got), 0);
}

/* ---- the screen ---- */

typedef struct fixture {
    nvitop_snapshot_t snap;
    nvitop_device_snapshot_t dev[1];
    nvitop_gpu_process_t p[1];
    sampler_watched_t w;
    tui_t t;
} fixture_t;

static void process(nvitop_gpu_process_t *p)
{
    memset(p, 0, sizeof(*p));
    p->pid = 1045;
    p->type = NVITOP_PROCESS_COMPUTE;
    p->gpu_memory_bytes = I(3332374528LL);
    p->gpu_sm_utilization_percent = I(99);
    p->gpu_memory_utilization_percent = I(33);
    p->gpu_encoder_utilization_percent = I(0);
    p->gpu_decoder_utilization_percent = I(0);
    p->host.pid = 1045;
    p->host.username = S("root");
    p->host.cpu_percent = R(99.0);
    p->host.memory_percent = R(0.5);
    p->host.running_time_s = R(41);
    p->host.create_time_s = R(1795421674.4);
    p->host.command = S("python3 bench/mm.py 120 1.0 2147483648");
}

static void points(metrics_graph_t *g, double last, double max)
{
    g->points[0] = (float)last;
    g->points[1] = (float)max;
    g->points[2] = (float)last;
    g->count = 3;
    g->last = last;
}

static void setup(fixture_t *f, int lines, int cols)
{
    memset(f, 0, sizeof(*f));
    nvitop_device_snapshot_t *d = &f->dev[0];
    nvitop_device_snapshot_clear(d);
    d->physical_index = 0;
    d->memory_total_bytes = I(85520809984LL);
    d->memory_percent = R(3.9);
    d->gpu_utilization_percent = I(99);
    f->snap.devices = f->dev;
    f->snap.device_count = 1;
    f->snap.host.memory_total_bytes = I(135148564480LL);
    process(&f->p[0]);
    f->snap.processes = f->p;
    f->snap.process_count = 1;
    tui_test_init(&f->t, &f->snap, TUI_MODE_AUTO, lines, cols);
    tui_t *t = &f->t;
    assert_int_equal(tui_procs_update(t), 0);
    tui_layout(t);
    tui_key(t, TK_DOWN); /* selects the process */
    tui_key(t, TK_ENTER);
    assert_int_equal(t->screen, SCREEN_METRICS);
    assert_true(t->metrics.on);
    assert_int_equal(t->metrics.target.pid, 1045);
    /* the sampler's part: a sample and the graphs' points */
    f->w.target = t->metrics.target;
    f->w.process = f->p[0];
    f->w.listed = true;
    f->w.samples = 3;
    t->metrics.watched = &f->w;
    points(&t->metrics.graph[M_CPU], 96.8, 103.3);
    points(&t->metrics.graph[M_HOST_MEM], 742607667, 742607667);
    points(&t->metrics.graph[M_GPU_MEM], 3332374528.0, 3332374528.0);
    points(&t->metrics.graph[M_GPU_SM], 69.5, 80.0);
    tui_layout(t);
    tui_draw(t);
}

static void teardown(fixture_t *f)
{
    f->t.metrics.watched = NULL; /* not the sampler's */
    tui_state_fini(&f->t);
}

/* The text from column x on of row y starts with `want`. */
static void expect_at(const tui_t *t, int y, int x, const char *want)
{
    strbuf_t sb = {0};
    for (int c = x; c < t->cols && sb.len < strlen(want) + 8; c++) {
        char buf[4];
        const tcell_t *cell = frame_cell(&t->frame, y, c);
        if (cell->cp) strbuf_append(&sb, buf, utf8_encode(cell->cp, buf));
    }
    if (!sb.data || strncmp(sb.data, want, strlen(want)) != 0)
        fail_msg("row %d col %d:\n got  '%s'\n want '%s'", y, x, sb.data ? sb.data : "", want);
    strbuf_fini(&sb);
}

static const struct {
    int y;
    const char *text;
} capture[] = {
    {0, "╒═══════════════════════════════════════════════════════════"
        "════════════════════════════════════════════════════════════"
        "═══════════════════════════════════════╕"},
    {1, "│ Process:                                                  "
        "                                                            "
        "                               root@vm │"},
    {2, "│ GPU  PID   USER  GPU-MEM  %SM %GMBW %ENC %DEC   %CPU  %MEM"
        "  TIME  COMMAND                                             "
        "                                       │"},
    {3, "╞═══════════════════════════════════════════════════════════"
        "════════════════════════════════════════════════════════════"
        "═══════════════════════════════════════╡"},
    {4, "│   0 1045 C root  3178MiB   99    33    0    0  99.0%  0.5%"
        "  0:41  python3 bench/mm.py 120 1.0 2147483648              "
        "                                       │"},
    {5, "╞═══════════════════════════════════════════════════════════"
        "═══════════════════╤════════════════════════════════════════"
        "═══════════════════════════════════════╡"},
    {6, "│ MAX CPU: 103.3%                                           "
        "                   │ MAX GPU-MEM: 3178MiB (3.9%) / 79.65GiB "
        "                                       │"},
    {7, "│     CPU: 96.8%                                            "
        "                   │     GPU-MEM: 3178MiB (3.9%)            "
        "                                       │"},
    {27, "├─────────────╴120s├─────────────────────────╴60s├──────────"
         "╴30s├──────────────┼──────────────╴120s├────────────────────"
         "─────╴60s├──────────╴30s├──────────────┤"},
    {47, "│     HOST-MEM: 708.2MiB (0.5%)                             "
         "                   │     GPU-SM: 69.5%                      "
         "                                       │"},
    {48, "│ MAX HOST-MEM: 708.2MiB (0.5%) / 125.9GiB                  "
         "                   │ MAX GPU-SM: 80.0%                      "
         "                                       │"},
    {49, "╘═══════════════════════════════════════════════════════════"
         "═══════════════════╧════════════════════════════════════════"
         "═══════════════════════════════════════╛"},
};

static void frame_160x50(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 50, 160);
    tui_t *t = &f.t;
    for (size_t i = 0; i < ARRAY_LEN(capture); i++)
        expect_row(t, capture[i].y, capture[i].text);
    /* the ticks: CPU 100% and 50%, host memory 4% and 8%, GPU memory 8% and 4%, SM 40% 80% */
    expect_at(t, 11, 0, "├╴100% ");
    expect_at(t, 19, 0, "├╴50% ");
    expect_at(t, 36, 0, "├╴4% ");
    expect_at(t, 44, 0, "├╴8% ");
    expect_at(t, 10, 79, "├╴8% ");
    expect_at(t, 18, 79, "├╴4% ");
    expect_at(t, 36, 79, "├╴40% ");
    expect_at(t, 44, 79, "├╴80% ");
    assert_int_equal(frame_cell(&t->frame, 11, 0)->style, 0); /* "├╴" plain, the rest dim */
    assert_int_equal(frame_cell(&t->frame, 11, 2)->style, TS_DIM);
    /* the graphs: CPU's newest points reach above the 100% tick, cyan; SM hangs from the top */
    const tcell_t *cpu = frame_cell(&t->frame, 10, 78);
    assert_true(cpu->cp >= 0x2800 && cpu->cp <= 0x28FF && cpu->cp != 0x2800);
    assert_int_equal(cpu->style, TC_CYAN);
    assert_true(frame_cell(&t->frame, 28, 158)->cp == 0x28FF);
    assert_int_equal(frame_cell(&t->frame, 47, 158)->cp, ' ');
    /* the user context: the superuser yellow, the host green */
    assert_int_equal(frame_cell(&t->frame, 1, 151)->style, TC_YELLOW | TS_BOLD);
    assert_int_equal(frame_cell(&t->frame, 1, 156)->style, TC_GREEN | TS_BOLD);
    teardown(&f);
}

/* The command and its colour are the ones the report and the exporter give (render/words.h),
 * for every reason the host gives. */
static void command_follows_shared_rule(void **state)
{
    (void)state;
    const nvitop_na_t reasons[] = {
        NVITOP_NA_NONE,     NVITOP_NA_NO_PERMISSION, NVITOP_NA_NO_SUCH_PROCESS,
        NVITOP_NA_IO_ERROR, NVITOP_NA_NOT_SAMPLED,   NVITOP_NA_UNAVAILABLE};
    for (int zombie = 0; zombie < 2; zombie++)
        for (size_t i = 0; i < ARRAY_LEN(reasons); i++) {
            fixture_t f;
            setup(&f, 24, 100);
            tui_t *t = &f.t;
            f.w.process.host.na = reasons[i];
            f.w.process.host.is_zombie = zombie;
            f.w.process.host.command = S("cmd");
            tui_draw(t);
            const char *want = rpt_process_command(&f.w.process.host);
            char *r = row(t, 4);
            const char *hit = strstr(r, want);
            assert_non_null(hit);
            int x = (int)rpt_width(r) - (int)rpt_width(hit);
            free(r);
            tstyle_t style =
                ts_from_rpt(rpt_unreadable_color(rpt_unreadable(&f.w.process.host)), 0);
            assert_int_equal(frame_cell(&t->frame, 4, x)->style, style);
            teardown(&f);
        }
}

static void ended(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 100);
    tui_t *t = &f.t;
    f.w.ended = true;
    f.w.process.host.na = NVITOP_NA_NO_SUCH_PROCESS;
    f.w.process.host.cpu_percent = (nvitop_real_t){0, NVITOP_NA_NO_SUCH_PROCESS};
    tui_draw(t);
    expect_at(t, 1, 2, "Process: (ended: the graphs keep its last samples)");
    int x = -1;
    char *r = row(t, 4);
    const char *hit = strstr(r, "No Such Process");
    assert_non_null(hit);
    free(r);
    for (int c = 0; c < t->cols && x < 0; c++)
        if (frame_cell(&t->frame, 4, c)->cp == 'N' && frame_cell(&t->frame, 4, c + 1)->cp == 'o')
            x = c;
    assert_true(x > 0);
    assert_int_equal(frame_cell(&t->frame, 4, x)->style, TC_RED);
    expect_at(t, 4, 1, "   0 1045 C  N/A  3178MiB   99    33    0    0    N/A"); /* no user */
    /* the graphs keep what they had */
    expect_at(t, 7, 5, " CPU: 96.8% ");
    teardown(&f);
}

static void narrow_columns(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 79); /* the command cut to what is left */
    tui_t *t = &f.t;
    expect_row(t, 2,
               "│ GPU  PID   USER  GPU-MEM  %SM %GMBW %ENC %DEC   %CPU  %MEM  TIME  COMMAND   │");
    expect_row(t, 4,
               "│   0 1045 C root  3178MiB   99    33    0    0  99.0%  0.5%  0:41  python3.. │");
    teardown(&f);
    setup(&f, 24, 60); /* below 79 columns: nvitop's box only */
    char *r = row(&f.t, 11);
    assert_non_null(strstr(r, "nvitop needs at least a width of 79"));
    free(r);
    teardown(&f);
}

/* Leaves a non-NUL pattern where the next call's locals will live, so a read of a local that
 * was never written shows up as garbage instead of an accidental empty string. */
static void __attribute__((noinline)) scribble_stack(void)
{
    volatile char junk[16384];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = 'Z';
}

/* GPU memory, %SM, %GMBW and the encoder all N/A: each column says N/A (the %ENC and %DEC
 * texts were read from a buffer nothing had written). */
static void all_na(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, 24, 100);
    tui_t *t = &f.t;
    nvitop_gpu_process_t *p = &f.w.process;
    p->gpu_memory_bytes = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    p->gpu_sm_utilization_percent = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    p->gpu_memory_utilization_percent = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    p->gpu_encoder_utilization_percent = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    p->gpu_decoder_utilization_percent = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    scribble_stack();
    tui_draw(t);
    expect_at(t, 4, 1,
              "   0 1045 C root      N/A  N/A   N/A  N/A  N/A  99.0%  0.5%  0:41  python3");
    teardown(&f);
}

static void keys(void **state)
{
    (void)state;
    static const int back[] = {TK_ENTER, TK_ESC, 'q', 'Q'};
    for (size_t i = 0; i < ARRAY_LEN(back); i++) {
        fixture_t f;
        setup(&f, 24, 100);
        tui_t *t = &f.t;
        f.t.metrics.watched = NULL;
        tui_key(t, back[i]);
        assert_int_equal(t->screen, SCREEN_MAIN);
        assert_false(t->metrics.on);
        assert_false(t->quit);
        teardown(&f);
    }
    fixture_t f;
    setup(&f, 24, 100);
    tui_t *t = &f.t;
    tui_key(t, 'e'); /* the environment of the watched process, then back here */
    assert_int_equal(t->screen, SCREEN_ENVIRON);
    assert_int_equal(t->env.pid, 1045);
    assert_string_equal(t->env.kind, "GPU: Compute");
    assert_string_equal(t->env.command, "python3 bench/mm.py 120 1.0 2147483648");
    tui_key(t, 'q');
    assert_int_equal(t->screen, SCREEN_METRICS);
    assert_true(t->metrics.on);
    tui_mouse(t, 10, 10, 1); /* nothing to click */
    assert_int_equal(t->screen, SCREEN_METRICS);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sizes),
        cmocka_unit_test(bounds),
        cmocka_unit_test(yticks),
        cmocka_unit_test(frame_160x50),
        cmocka_unit_test(ended),
        cmocka_unit_test(narrow_columns),
        cmocka_unit_test(command_follows_shared_rule),
        cmocka_unit_test(keys),
        cmocka_unit_test(all_na),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
