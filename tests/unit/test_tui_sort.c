/* SPDX-License-Identifier: Apache-2.0 */
/* The process panel's sort orders (spec §3.5): the table (keys, labels, header offsets,
 * default directions, the `,`/`.` cycle), each order's key tuple, N/A greater than any
 * number, and our fix of nvitop's QUIRK: gone processes stay last in both directions. */
#include "testutil.h"

#include "tui/sort.h"

#include <string.h>

#define N 5

typedef struct procs {
    nvitop_device_snapshot_t dev[3];
    nvitop_gpu_process_t p[N];
    rpt_proc_t v[N];
} procs_t;

static nvitop_int_t I(int64_t v)
{
    return (nvitop_int_t){v, NVITOP_NA_NONE};
}

static nvitop_real_t R(double v)
{
    return (nvitop_real_t){v, NVITOP_NA_NONE};
}

/* pid, device (0, 1, or 2 = MIG 1:0), user, GPU memory MiB (-1: N/A), SM, CPU %, gone */
static void add(procs_t *s, int i, uint32_t pid, int dev, const char *user, int mem, int sm,
                double cpu, bool gone)
{
    nvitop_gpu_process_t *p = &s->p[i];
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->gpu_memory_bytes =
        mem < 0 ? (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED} : I((int64_t)mem << 20);
    p->gpu_sm_utilization_percent = I(sm);
    p->gpu_memory_utilization_percent = I(sm / 2);
    p->host.cpu_percent = R(cpu);
    p->host.memory_percent = R(cpu / 10);
    p->host.running_time_s = R(1000.0 - pid);
    p->host.na = gone ? NVITOP_NA_NO_SUCH_PROCESS : NVITOP_NA_NONE;
    rpt_proc_t *v = &s->v[i];
    memset(v, 0, sizeof(*v));
    v->p = p;
    v->dev = &s->dev[dev];
    v->username = gone ? "N/A" : user;
    v->gone = gone;
}

static void fill(procs_t *s)
{
    memset(s, 0, sizeof(*s));
    s->dev[0].physical_index = 0;
    s->dev[1].physical_index = 1;
    s->dev[2].physical_index = 1;
    s->dev[2].is_mig = true;
    s->dev[2].mig_index = 0;
    add(s, 0, 30, 1, "bob", 100, 5, 50.0, false);
    add(s, 1, 10, 0, "bob", 300, 90, 1.0, false);
    add(s, 2, 20, 0, "alice", -1, 10, 20.0, false);
    add(s, 3, 5, 0, "zed", 50, 0, 0.0, true);
    add(s, 4, 40, 2, "alice", 200, 50, 99.0, false);
}

static void order_is(procs_t *s, sort_order_t order, bool reverse, const uint32_t want[N])
{
    sort_processes(s->v, N, order, reverse);
    for (int i = 0; i < N; i++)
        if (s->v[i].p->pid != want[i])
            fail_msg("%s%s: position %d is pid %u, expected %u", sort_info(order)->name,
                     reverse ? " reversed" : "", i, s->v[i].p->pid, want[i]);
}

static void table(void **state)
{
    (void)state;
    assert_int_equal(sort_by_key('g'), SORT_GPU_MEMORY);
    assert_int_equal(sort_by_key('G'), SORT_GPU_MEMORY);
    assert_int_equal(sort_by_key('b'), SORT_GMBW);
    assert_int_equal(sort_by_key('x'), -1);
    assert_int_equal(sort_next(SORT_TIME), SORT_NATURAL);
    assert_int_equal(sort_prev(SORT_NATURAL), SORT_TIME);
    assert_int_equal(sort_next(SORT_PID), SORT_USERNAME);
    static const int offsets[SORT__COUNT] = {3, 10, 19, 25, 34, 38, 44, 50, 56};
    for (int i = 0; i < SORT__COUNT; i++)
        assert_int_equal(sort_info((sort_order_t)i)->offset, offsets[i]);
    assert_false(sort_descending(SORT_PID, false)); /* op is ascending (README says otherwise) */
    assert_true(sort_descending(SORT_GPU_MEMORY, false));
    assert_false(sort_descending(SORT_GPU_MEMORY, true));
}

static void orders(void **state)
{
    (void)state;
    procs_t s;
    fill(&s);
    /* natural: device (0 before 1 before 1:0), gone last within it, user, pid */
    order_is(&s, SORT_NATURAL, false, (const uint32_t[]){20, 10, 5, 30, 40});
    order_is(&s, SORT_PID, false, (const uint32_t[]){10, 20, 30, 40, 5});
    order_is(&s, SORT_PID, true, (const uint32_t[]){40, 30, 20, 10, 5});
    order_is(&s, SORT_USERNAME, false, (const uint32_t[]){20, 40, 10, 30, 5});
    /* GPU memory descending: N/A is greater than any number, so it comes first */
    order_is(&s, SORT_GPU_MEMORY, false, (const uint32_t[]){20, 10, 40, 30, 5});
    order_is(&s, SORT_GPU_MEMORY, true, (const uint32_t[]){30, 40, 10, 20, 5});
    order_is(&s, SORT_SM, false, (const uint32_t[]){10, 40, 20, 30, 5});
    order_is(&s, SORT_CPU, false, (const uint32_t[]){40, 30, 20, 10, 5});
    order_is(&s, SORT_MEMORY, true, (const uint32_t[]){10, 20, 30, 40, 5});
    /* running time 1000 - pid: the oldest is the smallest pid */
    order_is(&s, SORT_TIME, false, (const uint32_t[]){10, 20, 30, 40, 5});
    order_is(&s, SORT_NATURAL, true, (const uint32_t[]){40, 30, 10, 20, 5});
}

static void ties_are_stable_and_tuples_go_on(void **state)
{
    (void)state;
    procs_t s;
    fill(&s);
    /* same SM: the next key (GPU memory) decides */
    s.p[0].gpu_sm_utilization_percent = I(50);
    order_is(&s, SORT_SM, false, (const uint32_t[]){10, 40, 30, 20, 5});
    assert_true(sort_compare(SORT_SM, &s.v[0], &s.v[0]) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(orders),
        cmocka_unit_test(ties_are_stable_and_tuples_go_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
