/* SPDX-License-Identifier: Apache-2.0 */
/* The monitor's history buffer (1 s aggregation, interpolation of gaps, the label value) and
 * the braille graph drawn from it (glyph choice, heights, upside-down graphs, N/A points). The
 * expected glyphs follow nvitop 1.7's VALUE2SYMBOL tables and the captures in
 * shared/reference/h100/nvitop-python/tui-main-full.txt. */
#include "testutil.h"

#include "core/history.h"
#include "render/graph.h"

#include <math.h>
#include <string.h>

#define S NS_PER_SEC
#define MS (NS_PER_SEC / 1000)

static void one_point_per_second(void **state)
{
    (void)state;
    history_t h;
    history_init(&h, 10 * S, S);
    assert_true(isnan(history_last(&h)));
    history_add(&h, 10.0, 10 * S + 100 * MS);
    assert_int_equal(h.count, 0);
    assert_true(fabs(history_last(&h) - 10.0) < 1e-9); /* the buffer's mean stands in */
    history_add(&h, 20.0, 10 * S + 600 * MS);
    assert_int_equal(h.count, 0);
    history_add(&h, 90.0, 11 * S + 100 * MS); /* a second passed: mean of 10 and 20 */
    assert_int_equal(h.count, 1);
    float p[4];
    assert_int_equal(history_recent(&h, p, 4), 1);
    assert_true(fabs(p[0] - 15.0) < 1e-6);
    assert_true(fabs(history_last(&h) - 15.0) < 1e-6);
    assert_int_equal(h.last_update_ns, 11 * S);
    history_fini(&h);
}

static void gaps_are_interpolated(void **state)
{
    (void)state;
    history_t h;
    history_init(&h, 0, S);
    history_add(&h, 0.0, 100 * MS);
    history_add(&h, 40.0, 1100 * MS); /* point 0 */
    history_add(&h, 40.0, 5200 * MS); /* 4 intervals later: 10, 20, 30 then 40 */
    float p[8];
    size_t n = history_recent(&h, p, 8);
    assert_int_equal(n, 5);
    const float want[] = {40, 30, 20, 10, 0};
    for (size_t i = 0; i < n; i++)
        assert_true(fabs(p[i] - want[i]) < 1e-4);
    assert_int_equal(h.last_update_ns, 5 * S);
    history_fini(&h);
}

static void na_points(void **state)
{
    (void)state;
    history_t h;
    history_init(&h, 0, S);
    history_add(&h, NAN, 100 * MS);
    history_add(&h, NAN, 1100 * MS);
    float p[2];
    assert_int_equal(history_recent(&h, p, 2), 1);
    assert_true(isnan(p[0]));
    /* no interpolation from an N/A point */
    history_add(&h, 50.0, 3500 * MS);
    assert_int_equal(history_recent(&h, p, 2), 2);
    assert_true(isnan(p[0]));
    assert_true(fabs(history_last(&h) - 50.0) < 1e-9);
    history_add(&h, 70.0, 4600 * MS);
    assert_int_equal(history_recent(&h, p, 2), 2);
    assert_true(fabs(p[0] - 50.0) < 1e-6);
    history_fini(&h);
}

static void capacity_is_2049(void **state)
{
    (void)state;
    history_t h;
    history_init(&h, 0, S);
    static float p[HISTORY_CAPACITY];
    for (uint64_t t = 0; t < 3000; t++) {
        history_add(&h, (double)t, t * S + 1);
        if (t != 200) continue; /* the ring grew on demand: the points so far are all there */
        assert_int_equal(history_recent(&h, p, HISTORY_CAPACITY), 200);
        for (size_t i = 0; i < 200; i++)
            assert_true(fabs(p[i] - (199.0 - (double)i)) < 1e-3);
    }
    assert_int_equal(h.count, HISTORY_CAPACITY);
    /* every point kept through the ring's growth and wrap, in order */
    assert_int_equal(history_recent(&h, p, HISTORY_CAPACITY), HISTORY_CAPACITY);
    for (size_t i = 0; i < HISTORY_CAPACITY; i++)
        assert_true(fabs(p[i] - (2998.0 - (double)i)) < 1e-3);
    history_fini(&h);
}

static void glyphs(void **state)
{
    (void)state;
    /* VALUE2SYMBOL_UP and _DOWN of nvitop, spot checks over the table */
    assert_int_equal(graph_glyph(0, 0, false), ' ');
    assert_int_equal(graph_glyph(0, 1, false), 0x2880); /* ⢀ */
    assert_int_equal(graph_glyph(1, 1, false), 0x28C0); /* ⣀ */
    assert_int_equal(graph_glyph(2, 2, false), 0x28E4); /* ⣤ */
    assert_int_equal(graph_glyph(3, 4, false), 0x28FE); /* ⣾ */
    assert_int_equal(graph_glyph(4, 4, false), 0x28FF); /* ⣿ */
    assert_int_equal(graph_glyph(4, 0, false), 0x2847); /* ⡇ */
    assert_int_equal(graph_glyph(0, 4, false), 0x28B8); /* ⢸ */
    assert_int_equal(graph_glyph(1, 0, true), 0x2801);  /* ⠁ */
    assert_int_equal(graph_glyph(1, 1, true), 0x2809);  /* ⠉ */
    assert_int_equal(graph_glyph(2, 3, true), 0x283B);  /* ⠻ */
    assert_int_equal(graph_glyph(3, 4, true), 0x28BF);  /* ⢿ */
    assert_int_equal(graph_glyph(4, 3, true), 0x287F);  /* ⡿ */
    assert_int_equal(graph_glyph(0, 4, true), 0x28B8);  /* ⢸ */
}

static void render(const graph_spec_t *g, const float *p, size_t n, const char *const *want)
{
    strbuf_t rows[8] = {{0}};
    assert_int_equal(graph_render(g, p, n, rows), 0);
    for (int r = 0; r < g->height; r++) {
        assert_non_null(rows[r].data);
        assert_string_equal(rows[r].data, want[r]);
        strbuf_fini(&rows[r]);
    }
}

static void graphs(void **state)
{
    (void)state;
    /* The swap graph of the capture: one row, 0 % points after the start: "⢀⣀⣀⣀". */
    const float zeros[7] = {0, 0, 0, 0, 0, 0, 0};
    graph_spec_t swp = {5, 1, false, 0, 100};
    render(&swp, zeros, 7, (const char *const[]){" ⢀⣀⣀⣀"});
    /* 100 % utilisation hanging down five rows, then 12.8 % memory growing up five rows. */
    const float full[4] = {100, 100, 100, 100};
    graph_spec_t utl = {3, 5, true, 0, 100};
    render(&utl, full, 4, (const char *const[]){" ⣿⣿", " ⣿⣿", " ⣿⣿", " ⣿⣿", " ⣿⣿"});
    const float mem[3] = {12.8f, 12.8f, 12.8f};
    graph_spec_t up = {2, 5, false, 0, 100};
    /* 5 * 0.128 = 0.64 rows: level round(3.2) = 3 in the bottom row */
    render(&up, mem, 3, (const char *const[]){"  ", "  ", "  ", "  ", "⢰⣶"});
    /* Values above the bound are capped; N/A draws nothing; below the base nothing either. */
    const float mixed[4] = {NAN, 250, -3, 50};
    graph_spec_t two = {2, 2, false, 0, 100};
    /* left char: points 3 (50: 1 row -> full bottom row) and 2 (-3: nothing); right char:
     * points 1 (capped: two rows) and 0 (N/A) */
    render(&two, mixed, 4, (const char *const[]){" ⡇", "⡇⡇"});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_point_per_second),
        cmocka_unit_test(gaps_are_interpolated),
        cmocka_unit_test(na_points),
        cmocka_unit_test(capacity_is_2049),
        cmocka_unit_test(glyphs),
        cmocka_unit_test(graphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
