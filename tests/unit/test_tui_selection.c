/* SPDX-License-Identifier: Apache-2.0 */
/* Selection and tags of the process panel (spec §3.8): moves (the first Down selects the
 * first row, Up the last, Home/End, the rest of a move past an end goes to the screen), the
 * selection found again by identity after a refresh reorders or drops processes, tags by pid
 * forgotten with their process, and which processes a signal key would reach. */
#include "testutil.h"

#include "tui/selection.h"

#include <string.h>

#define N 4

typedef struct list {
    nvitop_device_snapshot_t dev[2];
    nvitop_gpu_process_t p[N];
    rpt_proc_t v[N];
    size_t n;
} list_t;

static void add(list_t *l, uint32_t pid, double start, int dev, const char *user)
{
    nvitop_gpu_process_t *p = &l->p[l->n];
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->host.create_time_s = (nvitop_real_t){start, NVITOP_NA_NONE};
    rpt_proc_t *v = &l->v[l->n++];
    memset(v, 0, sizeof(*v));
    v->p = p;
    v->dev = &l->dev[dev];
    v->username = user;
}

static void init(list_t *l)
{
    memset(l, 0, sizeof(*l));
    l->dev[0].physical_index = 0;
    l->dev[1].physical_index = 1;
    add(l, 100, 1.0, 0, "me");
    add(l, 200, 2.0, 0, "other");
    add(l, 100, 1.0, 1, "me"); /* the same host process on a second GPU */
    add(l, 300, 3.0, 1, "me");
}

static void moves(void **state)
{
    (void)state;
    list_t l;
    init(&l);
    selection_t s = {0};
    assert_int_equal(selection_move(&s, l.v, l.n, 1), 0);
    assert_true(s.set);
    assert_int_equal(s.index, 0);
    selection_reset(&s);
    assert_int_equal(selection_move(&s, l.v, l.n, -1), 0);
    assert_int_equal(s.index, 3);
    assert_int_equal(selection_move(&s, l.v, l.n, 1), 1); /* past the end: scroll one */
    assert_int_equal(s.index, 3);
    assert_int_equal(selection_move(&s, l.v, l.n, -2), 0);
    assert_int_equal(s.index, 1);
    assert_int_equal(selection_move(&s, l.v, l.n, SELECTION_HOME), SELECTION_HOME + 1);
    assert_int_equal(s.index, 0);
    selection_move(&s, l.v, l.n, SELECTION_END);
    assert_int_equal(s.index, 3);
    selection_reset(&s);
    selection_move(&s, l.v, l.n, SELECTION_HOME);
    assert_int_equal(s.index, 0);
    selection_reset(&s);
    selection_move(&s, l.v, l.n, SELECTION_END);
    assert_int_equal(s.index, 3);
    assert_int_equal(selection_move(&s, l.v, 0, 1), 0); /* nothing listed: cleared */
    assert_false(s.set);
    selection_fini(&s);
}

static void identity_across_refreshes(void **state)
{
    (void)state;
    list_t l;
    init(&l);
    selection_t s = {0};
    selection_select(&s, l.v, l.n, 2); /* pid 100 on GPU 1 */
    assert_true(selection_is(&s, &l.v[2]));
    assert_false(selection_is(&s, &l.v[0]));
    assert_true(selection_same_host(&s, &l.v[0]));
    /* a refresh in another order: found again at its new place */
    rpt_proc_t swapped[N] = {l.v[3], l.v[2], l.v[1], l.v[0]};
    selection_refind(&s, swapped, N);
    assert_true(s.set);
    assert_int_equal(s.index, 1);
    /* the pid reused by a new process (another start time) is not the same process */
    l.p[2].host.create_time_s.value = 9.0;
    selection_refind(&s, l.v, l.n);
    assert_false(s.set);
    selection_fini(&s);
}

static void tags(void **state)
{
    (void)state;
    list_t l;
    init(&l);
    selection_t s = {0};
    selection_select(&s, l.v, l.n, 3);
    assert_int_equal(selection_toggle_tag(&s), 0);
    selection_select(&s, l.v, l.n, 0);
    assert_int_equal(selection_toggle_tag(&s), 0);
    assert_true(selection_tagged(&s, 100) && selection_tagged(&s, 300));
    assert_int_equal(s.tag_count, 2);
    assert_int_equal(s.tags[0], 100); /* kept in pid order */
    signal_target_t t[8];
    assert_int_equal(selection_targets(&s, l.v, l.n, "me", false, t, 8), 2);
    assert_int_equal(t[0].pid, 100);
    assert_int_equal(t[1].pid, 300);
    selection_toggle_tag(&s); /* untag 100 */
    assert_false(selection_tagged(&s, 100));
    /* a refresh without pid 300 forgets its tag */
    selection_refind(&s, l.v, 2);
    assert_int_equal(s.tag_count, 0);
    selection_fini(&s);
}

static void signal_targets(void **state)
{
    (void)state;
    list_t l;
    init(&l);
    selection_t s = {0};
    signal_target_t t[4];
    assert_int_equal(selection_targets(&s, l.v, l.n, "me", true, t, 4), 0);
    selection_select(&s, l.v, l.n, 1); /* another user's */
    assert_int_equal(selection_targets(&s, l.v, l.n, "me", true, t, 4), 0);
    assert_int_equal(selection_targets(&s, l.v, l.n, "root", true, t, 4), 1);
    selection_select(&s, l.v, l.n, 3);
    assert_int_equal(selection_targets(&s, l.v, l.n, "me", false, t, 4), 0); /* off screen */
    assert_int_equal(selection_targets(&s, l.v, l.n, "me", true, t, 4), 1);
    assert_int_equal(t[0].pid, 300);
    assert_string_equal(t[0].username, "me");
    /* a tagged process of another user is left out: the kernel would refuse */
    selection_select(&s, l.v, l.n, 1);
    selection_toggle_tag(&s);
    assert_int_equal(selection_targets(&s, l.v, l.n, "me", true, t, 4), 0);
    selection_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moves),
        cmocka_unit_test(identity_across_refreshes),
        cmocka_unit_test(tags),
        cmocka_unit_test(signal_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
