/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet screen's state and frames (src/tui/fleet_view.c) on a hand-made fleet: rows grouped
 * by node, orders, the filter, the selection by keys and clicks and across refreshes, the
 * process screen and its orders, help, a stale node, the error line, a narrow terminal. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet.h"
#include "tui/fleet_view.h"
#include "tui/keys.h"

#define T(inst) "\"job\":\"n\",\"instance\":\"" inst "\""
#define VEC(...)                                                                                   \
    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" __VA_ARGS__ "]}}"
#define S(labels, value) "{\"metric\":{" labels "},\"value\":[100," value "]}"

static const char *const answers[FF_COUNT] = {
    [FF_INFO] = VEC(S(T("a:1") ",\"hostname\":\"alpha\",\"device_count\":\"2\"", "\"1\"") "," S(
        T("b:1") ",\"hostname\":\"bravo\",\"device_count\":\"1\"",
        "\"1\"") "," S(T("c:1") ",\"hostname\":\"charlie\",\"device_count\":\"1\"", "\"1\"")),
    [FF_UP] = VEC(S(T("a:1"), "\"1\"") "," S(T("b:1"), "\"1\"") "," S(T("c:1"), "\"0\"")),
    [FF_UP_TIME] = VEC(S(T("a:1"), "\"99\"") "," S(T("b:1"), "\"99\"") "," S(T("c:1"), "\"99\"")),
    [FF_GPU_MEM_TOTAL] =
        VEC(S(T("a:1") ",\"index\":\"0\",\"devicename\":\"Alpha GPU\"", "\"1000\"") "," S(
            T("a:1") ",\"index\":\"1\",\"devicename\":\"Alpha GPU\"",
            "\"1000\"") "," S(T("b:1") ",\"index\":\"0\",\"devicename\":\"Bravo GPU\"",
                              "\"1000\"")),
    [FF_GPU_MEM_USED] = VEC(S(T("a:1") ",\"index\":\"0\"", "\"900\"") "," S(
        T("a:1") ",\"index\":\"1\"", "\"100\"") "," S(T("b:1") ",\"index\":\"0\"", "\"500\"")),
    [FF_GPU_UTIL] = VEC(S(T("a:1") ",\"index\":\"0\"", "\"10\"") "," S(
        T("a:1") ",\"index\":\"1\"", "\"50\"") "," S(T("b:1") ",\"index\":\"0\"", "\"90\"")),
    [FF_PROC_INFO] =
        VEC(S(T("a:1") ",\"index\":\"0\",\"pid\":\"7\",\"username\":\"ann\",\"command\":\"x\"",
              "\"1\"") "," S(T("a:1") ",\"index\":\"1\",\"pid\":\"8\",\"username\":\"bob\","
                                      "\"command\":\"y\"",
                             "\"1\"")),
    [FF_PROC_WORKLOAD] =
        VEC(S(T("a:1") ",\"index\":\"0\",\"pid\":\"7\",\"workload\":\"pod a/x\"", "\"1\"")),
    [FF_PROC_GPU_MEM] = VEC(S(T("a:1") ",\"index\":\"0\",\"pid\":\"7\"",
                              "\"10\"") "," S(T("a:1") ",\"index\":\"1\",\"pid\":\"8\"", "\"20\"")),
};

static const fleet_rules_t rules = {.stale_after_s = 60, .busy_util_percent = 10};
static const int th[2] = {10, 80};

static void make_fleet(fleet_t *f)
{
    prom_vector_t v[FF_COUNT];
    strbuf_t why = {0};
    for (int i = 0; i < FF_COUNT; i++) {
        const char *text = answers[i] ? answers[i] : VEC();
        assert_int_equal(prom_reply_parse(text, strlen(text), &v[i], &why), 0);
    }
    assert_int_equal(fleet_build(v, &rules, f), 0);
    for (int i = 0; i < FF_COUNT; i++)
        prom_vector_fini(&v[i]);
    strbuf_fini(&why);
}

static void start(fleet_view_t *v, int lines, int cols)
{
    fleet_view_init(v, "http://p:9090", &rules, th, th, false);
    v->lines = lines;
    v->cols = cols;
    fleet_t f;
    make_fleet(&f);
    fleet_view_update(v, &f, true, "", 100 * 1000000000LL);
    v->now_ns = 101 * 1000000000LL;
}

/* Screen line y as text. */
static char *line(fleet_view_t *v, int y)
{
    static char text[1024];
    strbuf_t out = {0};
    fleet_view_draw(v);
    frame_row_text(&v->frame, y, &out);
    snprintf(text, sizeof(text), "%s", strbuf_str(&out));
    strbuf_fini(&out);
    return text;
}

static bool shown(fleet_view_t *v, const char *what)
{
    fleet_view_draw(v);
    for (int y = 0; y < v->lines; y++)
        if (strstr(line(v, y), what)) return true;
    return false;
}

/* The rows as "node" or "node/index". */
static void expect_rows(const fleet_view_t *v, const char *want)
{
    strbuf_t got = {0};
    for (size_t i = 0; i < v->row_count; i++) {
        const fleet_row_t *r = &v->rows[i];
        strbuf_printf(&got, "%s%s%s%s", i ? " " : "", v->fleet.nodes[r->node].hostname,
                      r->gpu >= 0 ? "/" : "", r->gpu >= 0 ? v->fleet.gpus[r->gpu].index : "");
    }
    if (strcmp(strbuf_str(&got), want) != 0)
        fail_msg("rows \"%s\", expected \"%s\"", got.data, want);
    strbuf_fini(&got);
}

static void rows_and_orders(void **state)
{
    (void)state;
    fleet_view_t v;
    start(&v, 30, 100);
    expect_rows(&v, "alpha alpha/0 alpha/1 bravo bravo/0 charlie");
    fleet_view_key(&v, '.'); /* utilisation: bravo's 90 % first, alpha's 50 % before 10 % */
    expect_rows(&v, "bravo bravo/0 alpha alpha/1 alpha/0 charlie");
    fleet_view_key(&v, '.'); /* free memory: alpha/1 (900 free) */
    expect_rows(&v, "alpha alpha/1 alpha/0 bravo bravo/0 charlie");
    fleet_view_key(&v, 'r');
    expect_rows(&v, "charlie bravo bravo/0 alpha alpha/0 alpha/1");
    fleet_view_key(&v, 'r');
    fleet_view_key(&v, ',');
    fleet_view_key(&v, ',');
    assert_int_equal(v.order, FORD_NODE);
    fleet_view_fini(&v);
}

static void frame_of_the_fleet(void **state)
{
    (void)state;
    fleet_view_t v;
    start(&v, 30, 100);
    assert_non_null(
        strstr(line(&v, 0), "Fleet of http://p:9090: 3 nodes (1 stale), 3 GPUs: 3 busy"));
    assert_non_null(strstr(line(&v, 1), "sort: node"));
    assert_non_null(strstr(line(&v, 1), "data 1 s ago"));
    assert_non_null(strstr(line(&v, 3), "▪ alpha (a:1)  CPU N/A"));
    assert_non_null(strstr(line(&v, 4), "  0     Alpha GPU"));
    assert_non_null(strstr(line(&v, 4), "900/1000MiB █"));
    assert_non_null(
        strstr(line(&v, 8), "× charlie (c:1)  STALE: exporter down, last scrape 2 s ago"));
    assert_int_equal(frame_cell(&v.frame, 3, 0)->style & TS_REVERSE, TS_REVERSE); /* selected */
    /* a refresh that failed: the error on top, the data's age in red */
    fleet_view_update(&v, NULL, false, "Prometheus at http://p:9090: cannot connect", 0);
    v.now_ns += 5 * 1000000000LL;
    assert_non_null(strstr(line(&v, 0), "ERROR: Prometheus at http://p:9090: cannot connect"));
    assert_non_null(strstr(line(&v, 1), "last good data 6 s ago"));
    assert_true(shown(&v, "Alpha GPU"));
    assert_non_null(strstr(line(&v, 3), "scraped 7 s ago")); /* ages go on */
    assert_int_equal(frame_cell(&v.frame, 4, 2)->style & TS_DIM, TS_DIM);
    /* narrow: the rows still fit */
    v.cols = 79;
    assert_true(strlen(line(&v, 4)) <= 79 * 3);
    assert_true(shown(&v, "Bravo GPU"));
    fleet_view_fini(&v);
}

static void filter_and_selection(void **state)
{
    (void)state;
    fleet_view_t v;
    start(&v, 30, 100);
    fleet_view_key(&v, '/');
    fleet_view_key(&v, 'b');
    fleet_view_key(&v, 'R');
    assert_true(shown(&v, "Filter: bR_"));
    fleet_view_key(&v, TK_ENTER);
    expect_rows(&v, "bravo bravo/0");
    fleet_view_key(&v, 127); /* not editing any more: a beep, no change */
    expect_rows(&v, "bravo bravo/0");
    fleet_view_key(&v, TK_ESC);
    expect_rows(&v, "alpha alpha/0 alpha/1 bravo bravo/0 charlie");
    /* the selection moves, stops at the ends, follows its GPU across an update */
    fleet_view_key(&v, TK_DOWN);
    fleet_view_key(&v, TK_DOWN);
    assert_int_equal(v.sel, 2);
    fleet_view_key(&v, TK_HOME);
    v.beep = false;
    fleet_view_key(&v, TK_UP);
    assert_true(v.beep);
    fleet_view_key(&v, TK_END);
    assert_int_equal(v.sel, 5);
    fleet_view_key(&v, TK_HOME);
    fleet_view_key(&v, TK_DOWN); /* alpha/0 */
    fleet_t f;
    make_fleet(&f);
    fleet_view_key(&v, '.'); /* utilisation: alpha/0 moves to row 4, after bravo/0 */
    fleet_view_update(&v, &f, true, "", 100);
    assert_int_equal(v.sel, 4);
    assert_string_equal(v.fleet.gpus[v.rows[v.sel].gpu].name, "Alpha GPU");
    /* a click selects, a second one on the same row opens its processes */
    fleet_view_mouse(&v, 3 + 3, 5, 1); /* row 3: alpha/1 */
    assert_int_equal(v.sel, 3);
    assert_int_equal(v.screen, FSCREEN_FLEET);
    fleet_view_mouse(&v, 3 + 3, 5, 1);
    assert_int_equal(v.screen, FSCREEN_PROCS);
    assert_int_equal(v.proc_count, 1);
    fleet_view_mouse(&v, 20, 5, 4); /* the wheel */
    fleet_view_fini(&v);
}

static void processes(void **state)
{
    (void)state;
    fleet_view_t v;
    start(&v, 30, 100);
    fleet_view_key(&v, TK_ENTER); /* alpha: both GPUs' processes */
    assert_int_equal(v.screen, FSCREEN_PROCS);
    assert_int_equal(v.proc_count, 2);
    assert_true(shown(&v, "Processes of alpha: 2   sort: GPU memory"));
    assert_int_equal(v.fleet.procs[v.procs[0]].pid, 8); /* 20 MiB first */
    fleet_view_key(&v, '.');
    fleet_view_key(&v, '.'); /* pid */
    assert_int_equal(v.fleet.procs[v.procs[0]].pid, 7);
    assert_true(shown(&v, "sort: pid"));
    assert_non_null(strstr(line(&v, 3), "  0     7          ann"));
    assert_non_null(strstr(line(&v, 2), "SM%  WORKLOAD                  COMMAND"));
    assert_non_null(strstr(line(&v, 3), "  pod a/x                   x"));
    assert_non_null(strstr(line(&v, 4), "  N/A                       y"));
    fleet_view_key(&v, '.');
    fleet_view_key(&v, '.'); /* workload: none first */
    assert_true(shown(&v, "sort: workload"));
    assert_int_equal(v.fleet.procs[v.procs[0]].pid, 8);
    fleet_view_key(&v, 'r');
    assert_int_equal(v.fleet.procs[v.procs[0]].pid, 7);
    fleet_view_key(&v, 'h');
    assert_true(shown(&v, "the fleet screen's keys"));
    fleet_view_key(&v, 'x');
    assert_int_equal(v.screen, FSCREEN_PROCS);
    /* the node leaves the fleet: the screen says so */
    fleet_t f = {0};
    fleet_view_update(&v, &f, true, "", 100);
    assert_true(shown(&v, "left the fleet"));
    fleet_view_key(&v, TK_ESC);
    assert_int_equal(v.screen, FSCREEN_FLEET);
    assert_true(shown(&v, "No node in Prometheus."));
    fleet_view_key(&v, 'q');
    assert_true(v.quit);
    fleet_view_fini(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_and_orders),
        cmocka_unit_test(frame_of_the_fleet),
        cmocka_unit_test(filter_and_selection),
        cmocka_unit_test(processes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
