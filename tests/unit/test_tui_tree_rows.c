/* SPDX-License-Identifier: Apache-2.0 */
/* The tree view's text (tui/tree_rows.h) from hand-built trees: the header and the columns as
 * wide as their widest value, the device column (Host, one GPU, two GPUs, a MIG device), the
 * prefixes of nested and last children, the rows of processes that are gone, refused or
 * zombies, an empty tree, and finding a pid's row. */
#include "testutil.h"

#include "core/proc_tree.h"
#include "render/words.h"
#include "tui/tree_rows.h"

#include <string.h>

static const ptree_device_t gpu0[] = {{0, -1}}, gpu01[] = {{0, -1}, {1, -1}}, mig[] = {{2, 0}};

static ptree_node_t node(uint32_t pid, uint32_t parent, const char *user, const char *command,
                         double cpu, const ptree_device_t *devices, size_t ndev)
{
    ptree_node_t n;
    memset(&n, 0, sizeof(n));
    n.host.pid = pid;
    n.host.username = (nvitop_str_t){user, NVITOP_NA_NONE};
    n.host.command = (nvitop_str_t){command, NVITOP_NA_NONE};
    n.host.num_threads = (nvitop_int_t){.value = 1, .na = NVITOP_NA_NONE};
    n.host.cpu_percent = (nvitop_real_t){.value = cpu, .na = NVITOP_NA_NONE};
    n.host.memory_percent = (nvitop_real_t){.value = 0.1, .na = NVITOP_NA_NONE};
    n.host.running_time_s = (nvitop_real_t){.value = 42, .na = NVITOP_NA_NONE};
    n.parent_pid = parent;
    n.devices = devices;
    n.device_count = ndev;
    return n;
}

static void family(void **state)
{
    (void)state;
    ptree_node_t in[] = {
        node(1, 0, "root", "/sbin/init", 0.5, NULL, 0),
        node(11655, 1, "root", "sleep 900", 0, gpu0, 1),
        node(11656, 1, "root", "python3 train.py", 98.76, gpu01, 2),
        node(11700, 11656, "root", "python3 -c worker", 1234.5, NULL, 0),
        node(11657, 1, "root", "sleep 901", 0, mig, 1),
        node(4194000, 0, NULL, NULL, 0, gpu0, 1),
    };
    in[0].host.num_threads.value = 13;
    in[0].host.running_time_s.value = 385;
    in[5].gone = true;
    in[5].host.na = NVITOP_NA_NO_SUCH_PROCESS;
    ptree_t tree = {0};
    assert_int_equal(ptree_order(&tree, in, ARRAY_LEN(in)), 0);
    tree_rows_t r;
    assert_int_equal(tree_rows_build(&tree, &r), 0);
    assert_string_equal(r.header, "    PID  USER   DEVICE  NLWP  %CPU  %MEM  TIME  COMMAND");
    assert_int_equal(r.command_at, (int)strlen(r.header) - 7);
    static const char *const want[] = {
        "      1  root     Host    13   0.5   0.1  6:25  /sbin/init",
        "  11655  root    GPU 0     1   0.0   0.1  0:42  ├─ sleep 900",
        "  11656  root  GPU 0,1     1  98.8   0.1  0:42  ├─ python3 train.py",
        "  11700  root     Host     1  1234   0.1  0:42  │  └─ python3 -c worker",
        "  11657  root  GPU 2:0     1   0.0   0.1  0:42  └─ sleep 901",
        "4194000  N/A     GPU 0   N/A   N/A   N/A   N/A  No Such Process",
    };
    assert_int_equal(r.count, ARRAY_LEN(want));
    for (size_t i = 0; i < r.count; i++)
        assert_string_equal(r.rows[i].text, want[i]);
    assert_int_equal(r.rows[0].prefix_width, 0);
    assert_int_equal(r.rows[3].prefix_at, r.command_at);
    assert_int_equal(r.rows[3].prefix_width, 6);
    assert_string_equal(r.rows[5].username, "N/A");
    assert_true(r.rows[5].gone);
    assert_int_equal(tree_rows_find(&r, 11700), 3);
    assert_int_equal(tree_rows_find(&r, 99), -1);
    tree_rows_free(&r);
    arena_fini(&tree.arena);
}

static void special_rows(void **state)
{
    (void)state;
    ptree_node_t in[] = {node(5, 0, "alice", "x", 0, gpu0, 1), node(6, 0, "bob", "y", 0, gpu0, 1)};
    in[0].host.na = NVITOP_NA_NO_PERMISSION;
    in[1].host.is_zombie = true;
    ptree_t tree = {0};
    assert_int_equal(ptree_order(&tree, in, ARRAY_LEN(in)), 0);
    tree_rows_t r;
    assert_int_equal(tree_rows_build(&tree, &r), 0);
    assert_string_equal(r.rows[0].text,
                        "  5  alice   GPU 0   N/A   N/A   N/A   N/A  No Permissions");
    assert_string_equal(r.rows[1].text,
                        "  6  bob     GPU 0     1   0.0   0.1  0:42  Zombie Process");
    tree_rows_free(&r);
    arena_fini(&tree.arena);
}

/* The COMMAND column says what the report and the exporter say (render/words.h), for every
 * reason the host gives. */
static void command_follows_shared_rule(void **state)
{
    (void)state;
    const nvitop_na_t reasons[] = {
        NVITOP_NA_NONE,     NVITOP_NA_NO_PERMISSION, NVITOP_NA_NO_SUCH_PROCESS,
        NVITOP_NA_IO_ERROR, NVITOP_NA_NOT_SAMPLED,   NVITOP_NA_UNAVAILABLE};
    for (int zombie = 0; zombie < 2; zombie++)
        for (size_t i = 0; i < ARRAY_LEN(reasons); i++) {
            ptree_node_t in[] = {node(7, 0, "carol", "cmd", 0, gpu0, 1)};
            in[0].host.na = reasons[i];
            in[0].host.is_zombie = zombie;
            /* as proc_tree.c marks a node the host does not show */
            in[0].gone = reasons[i] != NVITOP_NA_NONE && reasons[i] != NVITOP_NA_NO_PERMISSION;
            ptree_t tree = {0};
            assert_int_equal(ptree_order(&tree, in, ARRAY_LEN(in)), 0);
            tree_rows_t r;
            assert_int_equal(tree_rows_build(&tree, &r), 0);
            const char *want = rpt_process_command(&in[0].host);
            size_t n = strlen(r.rows[0].text), w = strlen(want);
            assert_true(n >= w);
            assert_string_equal(r.rows[0].text + n - w, want);
            tree_rows_free(&r);
            arena_fini(&tree.arena);
        }
}

static void empty(void **state)
{
    (void)state;
    tree_rows_t r;
    assert_int_equal(tree_rows_build(NULL, &r), 0);
    assert_int_equal(r.count, 0);
    assert_string_equal(r.header, "PID  USER  DEVICE  NLWP  %CPU  %MEM  TIME  COMMAND");
    tree_rows_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(family),
        cmocka_unit_test(special_rows),
        cmocka_unit_test(command_follows_shared_rule),
        cmocka_unit_test(empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
