/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_process_ppid_map() and nvitop_process_children() (src/core/host_links.c) on the
 * proc fixture and on a generated proc root with a recycled pid and a cycle. */
#include "testutil.h"

#include <nvitop.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static nvitop_ctx_t *fixture_ctx(void)
{
    static char root[512];
    test_path(root, sizeof(root), "NVITOP_FIXTURES", "proc/basic");
    nvitop_options_t opts = {.proc_root = root};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
    assert_non_null(ctx);
    return ctx;
}

static void ppid_map_of_fixture(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = fixture_ctx();
    uint32_t *pids = NULL, *ppids = NULL;
    size_t n = 0;
    assert_int_equal(nvitop_process_ppid_map(ctx, &pids, &ppids, &n), 0);
    static const uint32_t want_pid[] = {1, 2, 1012, 1016, 1017, 1018, 1045, 1046, 2000, 2001, 2002, 2003};
    static const uint32_t want_ppid[] = {0, 0, 1, 1012, 1016, 1017, 1018, 1018, 1, 1, 1, 1};
    assert_int_equal(n, 12);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(pids[i], want_pid[i]);
        assert_int_equal(ppids[i], want_ppid[i]);
    }
    nvitop_free(pids);
    nvitop_free(ppids);
    nvitop_ctx_free(ctx);
}

static void expect_children(nvitop_ctx_t *ctx, uint32_t pid, bool recursive, const uint32_t *want,
                            size_t nwant)
{
    uint32_t *kids = NULL;
    size_t n = 99;
    assert_int_equal(nvitop_process_children(ctx, pid, recursive, &kids, &n), 0);
    if (n != nwant) fail_msg("children of %u (recursive %d): %zu, want %zu", pid, recursive, n, nwant);
    for (size_t i = 0; i < n; i++)
        if (kids[i] != want[i]) fail_msg("child %zu of %u: %u, want %u", i, pid, kids[i], want[i]);
    nvitop_free(kids);
}

static void children_of_fixture(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = fixture_ctx();
    static const uint32_t direct[] = {1012, 2000, 2001, 2002, 2003};
    expect_children(ctx, 1, false, direct, 5);
    /* psutil's stack: the last child found is walked first */
    static const uint32_t all[] = {1012, 2000, 2001, 2002, 2003, 1016, 1017, 1018, 1045, 1046};
    expect_children(ctx, 1, true, all, 10);
    static const uint32_t of_1018[] = {1045, 1046};
    expect_children(ctx, 1018, true, of_1018, 2);
    expect_children(ctx, 1045, true, NULL, 0);
    uint32_t *kids = NULL;
    size_t n = 0;
    assert_int_equal(nvitop_process_children(ctx, 4242, false, &kids, &n), NVITOP_ENOTFOUND);
    assert_null(kids);
    nvitop_ctx_free(ctx);
}

static void write_stat(const char *root, uint32_t pid, uint32_t ppid, unsigned start)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%u", root, pid);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/%u/stat", root, pid);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%u (p%u) S %u %u %u 0 -1 4194304 0 0 0 0 1 1 0 0 20 0 1 0 %u 9244672 1104 0\n",
            pid, pid, ppid, pid, pid, start);
    fclose(f);
}

static void remove_root(const char *root, const uint32_t *pids, size_t n)
{
    char path[600];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%u/stat", root, pids[i]);
        unlink(path);
        snprintf(path, sizeof(path), "%s/%u", root, pids[i]);
        rmdir(path);
    }
    rmdir(root);
}

static void recycled_pid_and_cycle(void **state)
{
    (void)state;
    char root[] = "/tmp/nvitop-links-XXXXXX";
    assert_non_null(mkdtemp(root));
    /* 10 started at 500; 11 claims 10 as parent but started before it (a recycled pid);
     * 12 is a real child; 20 and 21 are each other's parent (read while pids were reused) */
    static const uint32_t pids[] = {10, 11, 12, 13, 20, 21};
    write_stat(root, 10, 1, 500);
    write_stat(root, 11, 10, 400);
    write_stat(root, 12, 10, 600);
    write_stat(root, 13, 12, 700);
    write_stat(root, 20, 21, 800);
    write_stat(root, 21, 20, 800);
    nvitop_options_t opts = {.proc_root = root};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
    assert_non_null(ctx);
    static const uint32_t of_10[] = {12, 13};
    expect_children(ctx, 10, true, of_10, 2);
    expect_children(ctx, 10, false, of_10, 1);
    static const uint32_t of_20[] = {21, 20}; /* psutil lists the root again, then stops */
    expect_children(ctx, 20, true, of_20, 2);
    nvitop_ctx_free(ctx);
    remove_root(root, pids, sizeof(pids) / sizeof(pids[0]));
}

static void invalid_arguments(void **state)
{
    (void)state;
    uint32_t *a = NULL, *b = NULL;
    size_t n = 0;
    assert_int_equal(nvitop_process_ppid_map(NULL, &a, &b, &n), NVITOP_EINVAL);
    assert_int_equal(nvitop_process_children(NULL, 1, false, &a, &n), NVITOP_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ppid_map_of_fixture),
        cmocka_unit_test(children_of_fixture),
        cmocka_unit_test(recycled_pid_and_cycle),
        cmocka_unit_test(invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
