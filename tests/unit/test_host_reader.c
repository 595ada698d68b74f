/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the proc-root I/O (src/host/reader.c) on the fixture trees, on temporary trees
 * (unreadable files, big files) and on the real /proc (a live, a zombie and a reaped child). */
#include "testutil.h"

#include "host/host_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void open_fixture(host_reader_t *r, const char *tree)
{
    char rel[256], path[4096];
    snprintf(rel, sizeof(rel), "proc/%s", tree);
    assert_int_equal(host_reader_open(r, test_path(path, sizeof(path), "NVITOP_FIXTURES", rel)), 0);
}

static void test_open_and_read(void **state)
{
    (void)state;
    host_reader_t r;
    open_fixture(&r, "basic");
    assert_true(r.clk_tck > 0 && r.page_size > 0);
    const char *data;
    size_t len;
    assert_int_equal(host_read(&r, "sys/kernel/hostname", &data, &len), 0);
    assert_int_equal(len, 3);
    assert_string_equal(data, "vm\n");
    /* Leading slashes cannot escape the root. */
    assert_int_equal(host_read(&r, "/loadavg", &data, &len), 0);
    assert_memory_equal(data, "0.66 0.24 0.09", 14);
    assert_int_equal(host_read(&r, "no/such/file", &data, &len), -ENOENT);
    assert_int_equal(host_read(&r, "net", &data, &len), -EISDIR);
    host_reader_close(&r);
    host_reader_close(&r); /* twice is harmless */

    assert_int_equal(host_reader_open(&r, "/nonexistent/proc"), -ENOENT);
    char path[4096];
    test_path(path, sizeof(path), "NVITOP_FIXTURES", "proc/basic/meminfo");
    assert_int_equal(host_reader_open(&r, path), -ENOTDIR);
}

static void test_read_pid_basic(void **state)
{
    (void)state;
    host_reader_t r;
    open_fixture(&r, "basic");
    host_pid_info_t info;
    assert_int_equal(host_read_pid(&r, 1045, &info), 0);
    assert_string_equal(info.stat.comm, "python3");
    assert_int_equal(info.stat.state, 'R');
    assert_int_equal(info.stat.ppid, 1018);
    assert_int_equal(info.stat.utime + info.stat.stime, 6091);
    assert_int_equal(info.stat.starttime, 13140);
    assert_int_equal(info.stat.rss_pages, 165120);
    assert_true(info.have_uid);
    assert_int_equal(info.uid, 0);
    assert_int_equal(info.cmdline_error, 0);
    assert_int_equal(info.argc, 5);
    assert_string_equal(info.argv[1], "bench/mm.py");
    assert_string_equal(info.argv[4], "2147483648");
    host_pid_info_fini(&info);
    host_pid_info_fini(&info); /* idempotent */

    assert_int_equal(host_read_pid(&r, 2000, &info), 0); /* zombie: empty cmdline */
    assert_int_equal(info.stat.state, 'Z');
    assert_int_equal(info.argc, 0);
    assert_null(info.argv);
    assert_int_equal(info.cmdline_error, 0);
    host_pid_info_fini(&info);

    assert_int_equal(host_read_pid(&r, 2001, &info), 0);
    assert_int_equal(info.uid, 4242);
    assert_string_equal(info.stat.comm, "evil) (comm");
    host_pid_info_fini(&info);

    assert_int_equal(host_read_pid(&r, 4194000, &info), -ENOENT);
    assert_null(info.argv);
    assert_int_equal(host_read_pid(&r, 0, &info), -ENOENT);

    char *cwd = NULL;
    assert_int_equal(host_readlink(&r, "1045/cwd", &cwd), 0);
    assert_string_equal(cwd, "/root/work");
    free(cwd);
    assert_int_equal(host_readlink(&r, "2000/cwd", &cwd), -ENOENT);
    assert_int_equal(host_readlink(&r, "1045/stat", &cwd), -EINVAL);
    host_reader_close(&r);
}

/* Every pid of basic/ as tests/fixtures/proc/README.md documents it. */
static void test_basic_table(void **state)
{
    (void)state;
    static const struct {
        uint32_t pid;
        const char *comm;
        char state;
        int64_t ppid;
        uint32_t uid;
        uint64_t utime, stime;
        int64_t threads;
        uint64_t starttime;
        int64_t rss;
        size_t argc;
    } rows[] = {
        {1, "systemd", 'S', 0, 0, 52, 231, 25, 24, 2818, 1},
        {2, "kthreadd", 'S', 0, 0, 0, 1, 1, 24, 0, 0},
        {1012, "bash", 'S', 1, 0, 3, 2, 1, 13052, 1104, 1},
        {1016, "bash", 'S', 1012, 0, 1, 0, 1, 13061, 1096, 1},
        {1017, "bash", 'S', 1016, 0, 1, 1, 1, 13068, 1100, 1},
        {1018, "bash", 'S', 1017, 0, 2, 1, 1, 13075, 1180, 2},
        {1045, "python3", 'R', 1018, 0, 4389, 1702, 18, 13140, 165120, 5},
        {1046, "python3", 'R', 1018, 0, 5102, 2061, 18, 13140, 166400, 5},
        {2000, "python3", 'Z', 1, 0, 7, 3, 1, 12001, 0, 0},
        {2001, "evil) (comm", 'S', 1, 4242, 11, 5, 2, 12500, 512, 1},
        {2002, "python3", 'S', 1, 0, 20, 4, 1, 12600, 2048, 13},
        {2003, "nginx", 'S', 1, 0, 1, 1, 1, 12700, 900, 1},
    };
    host_reader_t r;
    open_fixture(&r, "basic");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        host_pid_info_t info;
        assert_int_equal(host_read_pid(&r, rows[i].pid, &info), 0);
        assert_string_equal(info.stat.comm, rows[i].comm);
        assert_int_equal(info.stat.state, rows[i].state);
        assert_int_equal(info.stat.ppid, rows[i].ppid);
        assert_true(info.have_uid);
        assert_int_equal(info.uid, rows[i].uid);
        assert_int_equal(info.stat.utime, rows[i].utime);
        assert_int_equal(info.stat.stime, rows[i].stime);
        assert_int_equal(info.stat.num_threads, rows[i].threads);
        assert_int_equal(info.stat.starttime, rows[i].starttime);
        assert_int_equal(info.stat.rss_pages, rows[i].rss);
        assert_int_equal(info.cmdline_error, 0);
        assert_int_equal(info.argc, rows[i].argc);
        host_pid_info_fini(&info);
    }
    host_reader_close(&r);
}

static void test_read_pid_broken(void **state)
{
    (void)state;
    host_reader_t r;
    open_fixture(&r, "broken");
    host_pid_info_t info;
    assert_int_equal(host_read_pid(&r, 3000, &info), -EIO);    /* truncated */
    assert_int_equal(host_read_pid(&r, 3001, &info), -ENOENT); /* no stat */
    assert_int_equal(host_read_pid(&r, 3002, &info), -EIO);    /* garbage */
    assert_int_equal(host_read_pid(&r, 3004, &info), -ENOENT); /* not a directory */
    assert_int_equal(host_read_pid(&r, 3005, &info), -EIO);    /* 2^64 */
    /* stat alone is enough; the rest is best effort. */
    assert_int_equal(host_read_pid(&r, 3003, &info), 0);
    assert_false(info.have_uid);
    assert_int_equal(info.cmdline_error, -ENOENT);
    assert_null(info.argv);
    host_pid_info_fini(&info);
    host_reader_close(&r);
}

static void test_list_pids(void **state)
{
    (void)state;
    host_reader_t r;
    open_fixture(&r, "basic");
    uint32_t *pids = NULL;
    size_t n = 0;
    assert_int_equal(host_list_pids(&r, &pids, &n), 0);
    const uint32_t want[] = {1, 2, 1012, 1016, 1017, 1018, 1045, 1046, 2000, 2001, 2002, 2003};
    assert_int_equal(n, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pids[i], want[i]);
    free(pids);
    host_reader_close(&r);
}

/* Writes dir/name with `text` and mode. */
static void put(const char *dir, const char *name, const char *text, mode_t mode)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(chmod(path, mode), 0);
}

/* The EACCES checks; returns a description of the first failure or NULL. */
static const char *unreadable_checks(const char *root)
{
    host_reader_t r;
    if (host_reader_open(&r, root) != 0) return "open";
    const char *fail = NULL;
    host_pid_info_t info;
    const char *data;
    size_t len;
    if (host_read_pid(&r, 77, &info) != 0)
        fail = "pid 77 should read (stat is readable)";
    else if (info.cmdline_error != -EACCES || info.argv)
        fail = "cmdline_error should be -EACCES";
    else if (!info.have_uid || info.uid != 1234)
        fail = "uid 1234";
    host_pid_info_fini(&info);
    if (!fail && host_read(&r, "77/environ", &data, &len) != -EACCES)
        fail = "environ should give -EACCES";
    if (!fail && host_read_pid(&r, 78, &info) != -EACCES) fail = "pid 78 should give -EACCES";
    host_reader_close(&r);
    return fail;
}

static void test_unreadable(void **state)
{
    (void)state;
    char root[] = "/tmp/nvitop-host-XXXXXX";
    assert_non_null(mkdtemp(root));
    assert_int_equal(chmod(root, 0755), 0);
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/77", root);
    assert_int_equal(mkdir(dir, 0755), 0);
    put(dir, "stat", "77 (secret) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 50 1000 10 0\n", 0444);
    put(dir, "status", "Name:\tsecret\nUid:\t1234\t1234\t1234\t1234\n", 0444);
    put(dir, "cmdline", "secret\0", 0);
    put(dir, "environ", "A=1", 0);
    snprintf(dir, sizeof(dir), "%s/78", root);
    assert_int_equal(mkdir(dir, 0755), 0);
    put(dir, "stat", "78 (x) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 50 1000 10 0\n", 0);

    const char *fail = NULL;
    bool skipped = false;
    if (geteuid() != 0) {
        fail = unreadable_checks(root);
    } else {
        /* Root reads everything: check as nobody in a child instead. */
        pid_t child = fork();
        assert_true(child >= 0);
        if (child == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) _exit(77);
            _exit(unreadable_checks(root) ? 1 : 0);
        }
        int status = 0;
        assert_int_equal(waitpid(child, &status, 0), child);
        assert_true(WIFEXITED(status));
        skipped = WEXITSTATUS(status) == 77;
        if (WEXITSTATUS(status) == 1)
            fail = "a check failed as uid 65534 (rerun without root to see which)";
    }
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    if (fail) fail_msg("%s", fail);
    if (skipped) skip();
}

static void test_big_file(void **state)
{
    (void)state;
    char root[] = "/tmp/nvitop-host-XXXXXX";
    assert_non_null(mkdtemp(root));
    char path[4096];
    snprintf(path, sizeof(path), "%s/big", root);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    char block[1000];
    for (size_t i = 0; i < sizeof(block); i++)
        block[i] = (char)('a' + i % 26);
    for (int i = 0; i < 300; i++)
        assert_int_equal(write(fd, block, sizeof(block)), (ssize_t)sizeof(block));
    close(fd);
    snprintf(path, sizeof(path), "%s/huge", root);
    fd = open(path, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, ((off_t)64 << 20) + 1), 0); /* sparse */
    close(fd);

    host_reader_t r;
    assert_int_equal(host_reader_open(&r, root), 0);
    const char *data;
    size_t len;
    assert_int_equal(host_read(&r, "big", &data, &len), 0);
    assert_int_equal(len, 300000);
    assert_int_equal(data[len], '\0');
    assert_int_equal(data[299999], 'a' + 999 % 26);
    assert_int_equal(host_read(&r, "huge", &data, &len), -EFBIG);
    /* The reader stays usable after a failure. */
    assert_int_equal(host_read(&r, "big", &data, &len), 0);
    host_reader_close(&r);
    char cmd[4200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

static void test_real_proc(void **state)
{
    (void)state;
    host_reader_t r;
    assert_int_equal(host_reader_open(&r, NULL), 0);
    const char *data;
    size_t len;
    assert_int_equal(host_read(&r, "stat", &data, &len), 0);
    host_cpu_times_t t;
    unsigned ncpu;
    assert_int_equal(host_parse_proc_stat(data, len, &t, &ncpu, NULL), 0);
    assert_true(ncpu >= 1);
    assert_int_equal(host_read(&r, "meminfo", &data, &len), 0);
    host_meminfo_t mi;
    assert_int_equal(host_parse_meminfo(data, len, &mi), 0);
    assert_true(mi.total > 0);

    uint32_t *pids;
    size_t n;
    assert_int_equal(host_list_pids(&r, &pids, &n), 0);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        found |= pids[i] == (uint32_t)getpid();
        if (i > 0) assert_true(pids[i - 1] < pids[i]);
    }
    assert_true(found);
    free(pids);

    host_pid_info_t info;
    assert_int_equal(host_read_pid(&r, (uint32_t)getpid(), &info), 0);
    assert_string_equal(info.stat.comm, "test_host_reade"); /* 15 bytes: TASK_COMM_LEN */
    assert_true(info.have_uid);
    assert_int_equal(info.uid, getuid());
    assert_true(info.argc >= 1);
    host_pid_info_fini(&info);
    host_reader_close(&r);
}

/* A child that exits becomes a zombie until reaped, then vanishes. */
static void test_real_zombie_and_gone(void **state)
{
    (void)state;
    host_reader_t r;
    assert_int_equal(host_reader_open(&r, NULL), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) _exit(0);
    host_pid_info_t info;
    char rel[32];
    snprintf(rel, sizeof(rel), "%d/stat", (int)child);
    for (int tries = 0; tries < 2000; tries++) { /* wait until it has exited */
        assert_int_equal(host_read_pid(&r, (uint32_t)child, &info), 0);
        char st = info.stat.state;
        host_pid_info_fini(&info);
        if (st == 'Z') break;
        usleep(1000);
    }
    assert_int_equal(host_read_pid(&r, (uint32_t)child, &info), 0);
    assert_int_equal(info.stat.state, 'Z');
    assert_int_equal(info.argc, 0); /* a zombie's cmdline is empty */
    host_pid_info_fini(&info);
    assert_int_equal(waitpid(child, NULL, 0), child);
    int rc = host_read_pid(&r, (uint32_t)child, &info);
    assert_true(rc == -ENOENT || rc == -ESRCH);
    const char *data;
    size_t len;
    assert_int_equal(host_read(&r, rel, &data, &len), -ENOENT);
    host_reader_close(&r);
}

static void test_disk_usage(void **state)
{
    (void)state;
    uint64_t total = 0, used = 0, avail = 0;
    assert_int_equal(host_disk_usage("/", &total, &used, &avail), 0);
    assert_true(total > 0);
    assert_true(used <= total);
    assert_true(avail <= total);
    assert_true(used + avail <= total); /* root's reserve is neither */
    assert_int_equal(host_disk_usage("/nonexistent/mount", &total, &used, &avail), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_and_read),
        cmocka_unit_test(test_read_pid_basic),
        cmocka_unit_test(test_basic_table),
        cmocka_unit_test(test_read_pid_broken),
        cmocka_unit_test(test_list_pids),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_big_file),
        cmocka_unit_test(test_real_proc),
        cmocka_unit_test(test_real_zombie_and_gone),
        cmocka_unit_test(test_disk_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
