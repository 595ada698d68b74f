/* SPDX-License-Identifier: Apache-2.0 */
/* The tree view's process tree (core/proc_tree.h): members (GPU processes, every ancestor,
 * direct children, not a recycled pid's "parent", a gone process alone), the depth-first order
 * (roots by pid, children by gone, user, pid) with depth and is_last, and the whole tree from
 * a hand-built process snapshot over the fixture proc root: one node for a process on two
 * GPUs, ancestors read from /proc, the GPU processes' records copied. */
#include "testutil.h"

#include "core/proc_tree.h"

#include <stdlib.h>
#include <string.h>

/* The family of tests/fixtures/proc/basic plus a child and a grandchild of 1045. */
static const ptree_link_t links[] = {
    {1, 0, 24},          {2, 0, 24},          {1012, 1, 13052},    {1016, 1012, 13061},
    {1017, 1016, 13068}, {1018, 1017, 13075}, {1045, 1018, 13080}, {1046, 1018, 13081},
    {2000, 1, 12001},    {3000, 1045, 14000}, {3001, 3000, 14001}, {5000, 4000, 10},
};

static const ptree_member_t *member(const ptree_member_t *m, size_t n, uint32_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].pid == pid) return &m[i];
    return NULL;
}

/* The parent of a member that must be there. */
static uint32_t parent_of(const ptree_member_t *m, size_t n, uint32_t pid)
{
    const ptree_member_t *x = member(m, n, pid);
    if (!x) fail_msg("pid %u is not a member", pid);
    return x ? x->parent_pid : 0;
}

static void collect_family(void **state)
{
    (void)state;
    const uint32_t gpu[] = {1046, 1045, 1046, 4194000};
    ptree_member_t *m = NULL;
    size_t n = 0;
    assert_int_equal(ptree_collect(links, ARRAY_LEN(links), gpu, ARRAY_LEN(gpu), &m, &n), 0);
    static const struct {
        uint32_t pid, parent;
        bool gpu;
    } want[] = {{1, 0, false},       {1012, 1, false},    {1016, 1012, false},
                {1017, 1016, false}, {1018, 1017, false}, {1045, 1018, true},
                {1046, 1018, true},  {3000, 1045, false}, {4194000, 0, true}};
    assert_int_equal(n, ARRAY_LEN(want));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(m[i].pid, want[i].pid); /* sorted by pid */
        assert_int_equal(m[i].parent_pid, want[i].parent);
        assert_int_equal(m[i].gpu, want[i].gpu);
    }
    assert_null(member(m, n, 2));    /* not an ancestor */
    assert_null(member(m, n, 2000)); /* a sibling of an ancestor */
    assert_null(member(m, n, 3001)); /* a grandchild */
    free(m);
}

static void collect_edges(void **state)
{
    (void)state;
    /* 7 claims 6 as parent, but 6 started later: a recycled pid, no parent */
    const ptree_link_t recycled[] = {{6, 1, 500}, {7, 6, 100}, {8, 7, 200}, {9, 9, 300}};
    const uint32_t gpu[] = {7, 9};
    ptree_member_t *m = NULL;
    size_t n = 0;
    assert_int_equal(ptree_collect(recycled, ARRAY_LEN(recycled), gpu, 2, &m, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(parent_of(m, n, 7), 0);
    assert_int_equal(parent_of(m, n, 8), 7); /* a child */
    assert_int_equal(parent_of(m, n, 9), 0); /* its own parent: ignored */
    assert_null(member(m, n, 6));
    free(m);
    /* no GPU process: an empty tree */
    assert_int_equal(ptree_collect(links, ARRAY_LEN(links), NULL, 0, &m, &n), 0);
    assert_int_equal(n, 0);
    free(m);
}

static ptree_node_t node(uint32_t pid, uint32_t parent, const char *user, bool gone)
{
    ptree_node_t n;
    memset(&n, 0, sizeof(n));
    n.host.pid = pid;
    n.host.username = user ? (nvitop_str_t){user, NVITOP_NA_NONE}
                           : (nvitop_str_t){NULL, NVITOP_NA_NO_SUCH_PROCESS};
    n.parent_pid = parent;
    n.gone = gone;
    return n;
}

static void order(void **state)
{
    (void)state;
    const ptree_node_t in[] = {
        node(1050, 1018, NULL, true),     node(4194000, 0, NULL, true),
        node(1045, 1018, "root", false),  node(1046, 1018, "alice", false),
        node(1018, 1017, "root", false),  node(3000, 1045, "root", false),
        node(1, 0, "root", false),        node(1017, 1, "root", false),
        node(1047, 1018, "alice", false), node(77, 4242, "bob", false), /* parent not here */
    };
    ptree_t tree = {0};
    assert_int_equal(ptree_order(&tree, in, ARRAY_LEN(in)), 0);
    static const struct {
        uint32_t pid;
        int parent, depth;
        bool last;
    } want[] = {
        {1, -1, 0, true},    {1017, 0, 1, true},     {1018, 1, 2, true}, {1046, 2, 3, false},
        {1047, 2, 3, false}, {1045, 2, 3, false},    {3000, 5, 4, true}, {1050, 2, 3, true},
        {77, -1, 0, true},   {4194000, -1, 0, true},
    };
    assert_int_equal(tree.count, ARRAY_LEN(want));
    for (size_t i = 0; i < tree.count; i++) {
        const ptree_node_t *n = &tree.nodes[i];
        if (n->host.pid != want[i].pid)
            fail_msg("node %zu: pid %u, want %u", i, n->host.pid, want[i].pid);
        assert_int_equal(n->parent, want[i].parent);
        assert_int_equal(n->depth, want[i].depth);
        assert_int_equal(n->is_last, want[i].last);
    }
    arena_fini(&tree.arena);
    /* a cycle (corrupt links) still shows every node, as roots */
    const ptree_node_t cycle[] = {node(10, 11, "a", false), node(11, 10, "a", false)};
    ptree_t c = {0};
    assert_int_equal(ptree_order(&c, cycle, 2), 0);
    assert_int_equal(c.count, 2);
    arena_fini(&c.arena);
}

static void links_from_fixture(void **state)
{
    (void)state;
    char root[512];
    test_path(root, sizeof(root), "NVITOP_FIXTURES", "proc/basic");
    nvitop_options_t opts = {.proc_root = root};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
    assert_non_null(ctx);
    ptree_link_t *l = NULL;
    size_t n = 0;
    assert_int_equal(ptree_links_read(ctx, &l, &n), 0);
    assert_int_equal(n, 12);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        if (i) assert_true(l[i - 1].pid < l[i].pid);
        if (l[i].pid == 1045) {
            found = true;
            assert_int_equal(l[i].ppid, 1018);
        }
        if (l[i].pid == 1) assert_int_equal(l[i].ppid, 0);
    }
    assert_true(found);
    free(l);
    nvitop_ctx_free(ctx);
}

static nvitop_gpu_process_t gpu_process(uint32_t pid, int device, const char *command)
{
    nvitop_gpu_process_t p;
    memset(&p, 0, sizeof(p));
    p.pid = pid;
    p.device = device;
    p.host.pid = pid;
    p.host.username = (nvitop_str_t){"root", NVITOP_NA_NONE};
    p.host.command = (nvitop_str_t){command, NVITOP_NA_NONE};
    p.host.num_threads = (nvitop_int_t){18, NVITOP_NA_NONE};
    return p;
}

static bool not_2001(const void *arg, const nvitop_gpu_process_t *p)
{
    (void)arg;
    return p->pid != 2001;
}

static void take_from_snapshot(void **state)
{
    (void)state;
    char root[512];
    test_path(root, sizeof(root), "NVITOP_FIXTURES", "proc/basic");
    nvitop_options_t opts = {.proc_root = root};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
    assert_non_null(ctx);
    nvitop_device_snapshot_t dev[3];
    for (int i = 0; i < 3; i++)
        nvitop_device_snapshot_clear(&dev[i]);
    dev[0].physical_index = 0;
    dev[1].physical_index = 1;
    dev[2].physical_index = 1;
    dev[2].is_mig = true;
    dev[2].mig_index = 0;
    nvitop_gpu_process_t p[5] = {gpu_process(1045, 2, "python3 a"),
                                 gpu_process(1045, 0, "python3 a"),
                                 gpu_process(1046, 0, "python3 b"), gpu_process(2001, 0, "evil"),
                                 gpu_process(4194000, 0, "x")};
    p[4].host.na = NVITOP_NA_NO_SUCH_PROCESS;
    nvitop_snapshot_t snap;
    memset(&snap, 0, sizeof(snap));
    snap.devices = dev;
    snap.device_count = 3;
    snap.processes = p;
    snap.process_count = 5;
    ptree_t *tree = NULL;
    assert_int_equal(ptree_take(ctx, &snap, not_2001, NULL, &tree), 0);
    static const uint32_t want[] = {1, 1012, 1016, 1017, 1018, 1045, 1046, 4194000};
    assert_int_equal(tree->count, ARRAY_LEN(want));
    for (size_t i = 0; i < tree->count; i++)
        assert_int_equal(tree->nodes[i].host.pid, want[i]);
    const ptree_node_t *n1045 = &tree->nodes[5];
    assert_int_equal(n1045->device_count, 2); /* one node, both devices, sorted */
    assert_int_equal(n1045->devices[0].physical, 0);
    assert_int_equal(n1045->devices[0].mig, -1);
    assert_int_equal(n1045->devices[1].physical, 1);
    assert_int_equal(n1045->devices[1].mig, 0);
    assert_string_equal(n1045->host.command.value, "python3 a");       /* the snapshot's record */
    assert_true(n1045->host.command.value != p[0].host.command.value); /* copied */
    const ptree_node_t *bash = &tree->nodes[4];
    assert_int_equal(bash->device_count, 0);
    assert_string_equal(bash->host.command.value, "bash run-experiments.sh"); /* from /proc */
    assert_int_equal(bash->host.num_threads.value, 1);
    assert_false(bash->gone);
    assert_true(tree->nodes[7].gone);
    assert_int_equal(tree->nodes[7].depth, 0);
    assert_int_equal(tree->nodes[0].depth, 0);
    assert_int_equal(tree->nodes[6].depth, 5);
    ptree_free(tree);
    nvitop_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(collect_family),
        cmocka_unit_test(collect_edges),
        cmocka_unit_test(order),
        cmocka_unit_test(links_from_fixture),
        cmocka_unit_test(take_from_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
