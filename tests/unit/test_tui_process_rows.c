/* SPDX-License-Identifier: Apache-2.0 */
/* The process list's row model (process_rows.h): rules only in the natural order's full form
 * (either direction, as nvitop's ProcessPanel.compact), one above each process whose physical
 * GPU differs from the row above (MIG devices of one GPU share it), and the rows of entries
 * and of clicks counted alike. */
#include "testutil.h"

#include "tui/process_rows.h"

#include <string.h>

#define N 6

typedef struct list {
    nvitop_device_snapshot_t dev[4];
    nvitop_gpu_process_t p[N];
    rpt_proc_t v[N];
} list_t;

/* Devices: 0 = GPU 0, 1 = GPU 1, 2 = MIG 1:0, 3 = GPU 3. Entries as given, device per entry
 * (-1: none). */
static void fill(list_t *l, const int devs[N])
{
    memset(l, 0, sizeof(*l));
    l->dev[0].physical_index = 0;
    l->dev[1].physical_index = 1;
    l->dev[2].physical_index = 1;
    l->dev[2].is_mig = true;
    l->dev[3].physical_index = 3;
    for (int i = 0; i < N; i++) {
        l->p[i].pid = (uint32_t)(100 + i);
        l->v[i].p = &l->p[i];
        l->v[i].dev = devs[i] < 0 ? NULL : &l->dev[devs[i]];
    }
}

static void ruled_only_natural_full(void **state)
{
    (void)state;
    assert_true(process_rows_ruled(SORT_NATURAL, false));
    assert_false(process_rows_ruled(SORT_NATURAL, true));
    for (int o = SORT_NATURAL + 1; o < SORT__COUNT; o++) {
        assert_false(process_rows_ruled((sort_order_t)o, false));
        assert_false(process_rows_ruled((sort_order_t)o, true));
    }
}

static void rules_between_physical_gpus(void **state)
{
    (void)state;
    list_t l;
    fill(&l, (const int[N]){0, 0, 1, 2, 3, -1}); /* natural: GPU 0, GPU 1 and its MIG, 3, none */
    const bool want[N] = {false, false, true, false, true, true};
    for (int i = 0; i < N; i++)
        assert_int_equal(process_rows_rule_above(l.v, N, (size_t)i), want[i]);
    assert_false(process_rows_rule_above(l.v, N, N)); /* past the end */
    assert_int_equal(process_rows_rules(l.v, N), 3);
    /* rows: 0 1 | rule 2 3 | rule 4 | rule 5 */
    const int rows[N] = {0, 1, 3, 4, 6, 8};
    for (int i = 0; i < N; i++) {
        assert_int_equal(process_rows_offset(l.v, N, (size_t)i, true), rows[i]);
        assert_int_equal(process_rows_offset(l.v, N, (size_t)i, false), i);
        assert_int_equal(process_rows_entry(l.v, N, rows[i], true), i);
        assert_int_equal(process_rows_entry(l.v, N, i, false), i);
    }
    assert_int_equal(process_rows_entry(l.v, N, 2, true), -1); /* the rules */
    assert_int_equal(process_rows_entry(l.v, N, 5, true), -1);
    assert_int_equal(process_rows_entry(l.v, N, 7, true), -1);
    assert_int_equal(process_rows_entry(l.v, N, 9, true), -1); /* below, above */
    assert_int_equal(process_rows_entry(l.v, N, N, false), -1);
    assert_int_equal(process_rows_entry(l.v, N, -1, true), -1);
}

/* Sorted otherwise the GPUs alternate: a ruled list would draw a rule nearly every row, which
 * is why only the natural order draws them. */
static void alternating_gpus(void **state)
{
    (void)state;
    list_t l;
    fill(&l, (const int[N]){0, 1, 0, 3, 0, 1});
    assert_int_equal(process_rows_rules(l.v, N), 5);
    assert_int_equal(process_rows_offset(l.v, N, N - 1, true), 2 * N - 2);
    assert_int_equal(process_rows_offset(l.v, N, N - 1, false), N - 1);
    assert_int_equal(process_rows_rules(l.v, 0), 0);
    assert_int_equal(process_rows_rules(l.v, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ruled_only_natural_full),
        cmocka_unit_test(rules_between_physical_gpus),
        cmocka_unit_test(alternating_gpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
