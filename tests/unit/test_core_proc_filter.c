/* SPDX-License-Identifier: Apache-2.0 */
/* The command line's process filter as a value (src/core/proc_filter.c): nvitop's type rules
 * (--compute, --only-compute, --graphics, --only-graphics), --user with "N/A" for a process
 * whose user is unknown, --pid, the conditions ANDed, a repeated option replacing the earlier
 * list, and copies that own their lists. */
#include "testutil.h"

#include "core/proc_filter.h"

#include <stdlib.h>
#include <string.h>

static nvitop_gpu_process_t process(uint32_t pid, unsigned type, const char *user)
{
    nvitop_gpu_process_t p;
    memset(&p, 0, sizeof(p));
    p.pid = pid;
    p.type = type;
    p.host.username.value = user;
    p.host.username.na = user ? NVITOP_NA_NONE : NVITOP_NA_NO_SUCH_PROCESS;
    return p;
}

#define C NVITOP_PROCESS_COMPUTE
#define G NVITOP_PROCESS_GRAPHICS

static void test_nothing_set_keeps_all(void **state)
{
    (void)state;
    proc_filter_t f = {0};
    nvitop_gpu_process_t p = process(1, C, "root"), q = process(2, 0, NULL);
    assert_true(proc_filter_match(&f, &p));
    assert_true(proc_filter_match(&f, &q));
    assert_true(proc_filter_match(NULL, &p));
    assert_true(proc_filter_keep(NULL, &q));
}

/* Which of C, G, C+G and an unknown type each type option keeps (spec §1.1). */
static void test_types(void **state)
{
    (void)state;
    static const struct {
        unsigned bit;
        bool keeps[4]; /* C, G, C+G, neither */
    } rules[] = {
        {PROC_FILTER_COMPUTE, {true, false, true, false}},
        {PROC_FILTER_ONLY_COMPUTE, {true, false, false, true}},
        {PROC_FILTER_GRAPHICS, {false, true, true, false}},
        {PROC_FILTER_ONLY_GRAPHICS, {false, true, false, true}},
    };
    static const unsigned types[4] = {C, G, C | G, 0};
    for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
        proc_filter_t f = {.types = rules[r].bit};
        for (size_t t = 0; t < 4; t++) {
            nvitop_gpu_process_t p = process(7, types[t], "u");
            assert_int_equal(proc_filter_match(&f, &p), rules[r].keeps[t]);
        }
    }
    /* ANDed: --compute --graphics keeps C+G only */
    proc_filter_t both = {.types = PROC_FILTER_COMPUTE | PROC_FILTER_GRAPHICS};
    nvitop_gpu_process_t cg = process(1, C | G, "u"), c = process(2, C, "u");
    assert_true(proc_filter_match(&both, &cg));
    assert_false(proc_filter_match(&both, &c));
}

static void test_users(void **state)
{
    (void)state;
    proc_filter_t f = {0};
    const char *users[] = {"alice", "N/A"};
    assert_int_equal(proc_filter_set_users(&f, users, 2), 0);
    nvitop_gpu_process_t a = process(1, C, "alice"), b = process(2, C, "bob"),
                         unknown = process(3, C, NULL);
    assert_true(proc_filter_match(&f, &a));
    assert_false(proc_filter_match(&f, &b));
    assert_true(proc_filter_match(&f, &unknown)); /* "N/A" names it */
    /* a repeated option replaces the list */
    const char *bob[] = {"bob"};
    assert_int_equal(proc_filter_set_users(&f, bob, 1), 0);
    assert_false(proc_filter_match(&f, &a));
    assert_true(proc_filter_match(&f, &b));
    assert_false(proc_filter_match(&f, &unknown));
    /* an empty list keeps none */
    assert_int_equal(proc_filter_set_users(&f, NULL, 0), 0);
    assert_true(f.by_user);
    assert_false(proc_filter_match(&f, &b));
    proc_filter_fini(&f);
    assert_false(f.by_user);
    assert_true(proc_filter_match(&f, &b));
}

static void test_pids_and_all_together(void **state)
{
    (void)state;
    proc_filter_t f = {0};
    const long pids[] = {-1, 42, 4294967338L}; /* 4294967338 is not 42 cut to 32 bits */
    assert_int_equal(proc_filter_set_pids(&f, pids, 3), 0);
    nvitop_gpu_process_t p42 = process(42, C, "alice"), p43 = process(43, C, "alice");
    assert_true(proc_filter_match(&f, &p42));
    assert_false(proc_filter_match(&f, &p43));
    nvitop_gpu_process_t big = process(4294967295U, C, "alice");
    assert_false(proc_filter_match(&f, &big));
    const char *users[] = {"alice"};
    assert_int_equal(proc_filter_set_users(&f, users, 1), 0);
    f.types = PROC_FILTER_ONLY_GRAPHICS;
    assert_false(proc_filter_match(&f, &p42)); /* right pid and user, wrong type */
    nvitop_gpu_process_t g42 = process(42, G, "alice"), g42b = process(42, G, "bob");
    assert_true(proc_filter_match(&f, &g42));
    assert_false(proc_filter_match(&f, &g42b));
    proc_filter_fini(&f);
}

/* A copy owns its lists: it outlives the original and changes to it. */
static void test_copy(void **state)
{
    (void)state;
    proc_filter_t f = {.types = PROC_FILTER_COMPUTE};
    char name[] = "alice";
    const char *users[] = {name};
    const long pids[] = {42};
    assert_int_equal(proc_filter_set_users(&f, users, 1), 0);
    name[0] = 'X'; /* the filter copied the name too */
    assert_int_equal(proc_filter_set_pids(&f, pids, 1), 0);
    proc_filter_t copy;
    assert_int_equal(proc_filter_copy(&copy, &f), 0);
    proc_filter_fini(&f);
    nvitop_gpu_process_t p = process(42, C, "alice"), g = process(42, G, "alice");
    assert_true(proc_filter_match(&copy, &p));
    assert_false(proc_filter_match(&copy, &g));
    assert_true(proc_filter_keep(&copy, &p));
    assert_ptr_not_equal(copy.users, NULL);
    proc_filter_fini(&copy);
    assert_int_equal(proc_filter_copy(&copy, NULL), 0);
    assert_true(proc_filter_match(&copy, &g));
    proc_filter_fini(&copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_set_keeps_all),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_pids_and_all_together),
        cmocka_unit_test(test_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
