/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the per-process parsers (src/host/parse_pid.c): /proc/<pid>/stat, the Uid line of
 * /proc/<pid>/status and NUL-separated lists. */
#include "testutil.h"

#include "host/host_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *fixture(const char *rel, size_t *len)
{
    char path[4096];
    return test_read_file(test_path(path, sizeof(path), "NVITOP_FIXTURES", rel), len);
}

/* The fields after the comm of a plausible stat line, from the state on. */
#define STAT_TAIL                                                                                  \
    "S 1018 1018 1012 34816 1018 4194304 402113 0 312 0 4389 1702 0 0 20 0 18 0 13140 "            \
    "40120098816 165120 18446744073709551615 1 2 3 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n"

static int parse_stat_str(const char *s, host_pid_stat_t *st)
{
    return host_parse_pid_stat(s, strlen(s), st);
}

static void test_stat_fixture(void **state)
{
    (void)state;
    size_t len;
    char *buf = fixture("proc/basic/1045/stat", &len);
    host_pid_stat_t st;
    assert_int_equal(host_parse_pid_stat(buf, len, &st), 0);
    free(buf);
    assert_string_equal(st.comm, "python3");
    assert_int_equal(st.state, 'R');
    assert_int_equal(st.ppid, 1018);
    assert_int_equal(st.utime, 4389);
    assert_int_equal(st.stime, 1702);
    assert_int_equal(st.num_threads, 18);
    assert_int_equal(st.starttime, 13140);
    assert_int_equal(st.rss_pages, 165120);

    buf = fixture("proc/basic/2001/stat", &len);
    assert_int_equal(host_parse_pid_stat(buf, len, &st), 0);
    free(buf);
    assert_string_equal(st.comm, "evil) (comm");
    assert_int_equal(st.state, 'S');
    assert_int_equal(st.ppid, 1);
    assert_int_equal(st.num_threads, 2);

    buf = fixture("proc/basic/2000/stat", &len);
    assert_int_equal(host_parse_pid_stat(buf, len, &st), 0);
    free(buf);
    assert_int_equal(st.state, 'Z');
    assert_int_equal(st.rss_pages, 0);

    buf = fixture("proc/basic/2/stat", &len);
    assert_int_equal(host_parse_pid_stat(buf, len, &st), 0);
    free(buf);
    assert_string_equal(st.comm, "kthreadd");
    assert_int_equal(st.ppid, 0);
}

static void test_stat_tricky_comm(void **state)
{
    (void)state;
    host_pid_stat_t st;
    struct {
        const char *line, *comm;
    } cases[] = {
        {"7 (a) (b) " STAT_TAIL, "a) (b"},
        {"7 ()) " STAT_TAIL, ")"},
        {"7 (() " STAT_TAIL, "("},
        {"7 () " STAT_TAIL, ""},
        {"7 (x) S 1 2) " STAT_TAIL, "x) S 1 2"}, /* a comm that looks like fields */
        {"7 (new\nline) " STAT_TAIL, "new\nline"},
        {"7 (sp ace  ) " STAT_TAIL, "sp ace  "},
        {"7 (0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz) " STAT_TAIL,
         "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(&st, 0x5a, sizeof(st));
        if (parse_stat_str(cases[i].line, &st) != 0) fail_msg("rejected stat #%zu", i);
        if (i == 7) /* truncated to 63 bytes */
            assert_int_equal(strlen(st.comm), 63);
        else
            assert_string_equal(st.comm, cases[i].comm);
        assert_int_equal(st.state, 'S');
        assert_int_equal(st.ppid, 1018);
        assert_int_equal(st.starttime, 13140);
        assert_int_equal(st.rss_pages, 165120);
    }
}

static void test_stat_malformed(void **state)
{
    (void)state;
    host_pid_stat_t st;
    static const char *const bad[] = {
        "",
        "7",
        "7 (x",
        "7 x) " STAT_TAIL,
        "(x) " STAT_TAIL,                           /* no pid */
        "abc (x) " STAT_TAIL,                       /* pid not a number */
        "7 )x( " STAT_TAIL,                         /* parens the wrong way round */
        "7 (x) SS 1 2 3\n",                         /* state not one letter */
        "7 (x) S 1 1018 1012 34816 1018 4194304\n", /* cut short */
        "7 (x) S 1018 1018 1012 34816 1018 4194304 402113 0 312 0 -4389 1702 0 0 20 0 18 0 1 "
        "2 3\n", /* negative utime */
        "7 (x) S 1018 1018 1012 34816 1018 4194304 402113 0 312 0 4389 1702 0 0 20 0 18 0 "
        "18446744073709551616 2 3\n", /* starttime 2^64 */
        "7 (x) S 1018 1018 1012 34816 1018 4194304 402113 0 312 0 4389 1702 0 0 20 0 18 0 1 "
        "2 3x\n", /* garbage rss */
        "7 (x) S 99999999999999999999 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (parse_stat_str(bad[i], &st) != -1) fail_msg("accepted bad stat #%zu", i);
    assert_int_equal(host_parse_pid_stat(NULL, 0, &st), -1);
    /* Exactly up to rss (field 24) is enough; negative signed fields are fine. */
    const char *min = "7 (x) S -1 1 1 1 -1 1 1 1 1 1 5 6 -7 -8 -100 -20 3 0 9 1 -2";
    assert_int_equal(parse_stat_str(min, &st), 0);
    assert_true(st.ppid == -1 && st.utime == 5 && st.stime == 6 && st.num_threads == 3 &&
                st.starttime == 9 && st.rss_pages == -2);
    /* Bounded by len: a ')' beyond it is not seen. */
    assert_int_equal(host_parse_pid_stat("7 (x) S)", 5, &st), -1);
    size_t len;
    for (int pid = 3000; pid <= 3005; pid++) {
        char rel[64];
        snprintf(rel, sizeof(rel), "proc/broken/%d/stat", pid);
        if (pid == 3001 || pid == 3003 || pid == 3004) continue;
        char *buf = fixture(rel, &len);
        if (host_parse_pid_stat(buf, len, &st) != -1) fail_msg("accepted %s", rel);
        free(buf);
    }
}

static void test_status_uid(void **state)
{
    (void)state;
    size_t len;
    uint32_t uid = 7;
    char *buf = fixture("proc/basic/1045/status", &len);
    assert_int_equal(host_parse_status_uid(buf, len, &uid), 0);
    assert_int_equal(uid, 0);
    free(buf);
    buf = fixture("proc/basic/2001/status", &len);
    assert_int_equal(host_parse_status_uid(buf, len, &uid), 0);
    assert_int_equal(uid, 4242);
    free(buf);
    const char *real_first = "Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t5\n";
    assert_int_equal(host_parse_status_uid(real_first, strlen(real_first), &uid), 0);
    assert_int_equal(uid, 1000);
    const char *max = "Uid: 4294967295 0 0 0";
    assert_int_equal(host_parse_status_uid(max, strlen(max), &uid), 0);
    assert_int_equal(uid, UINT32_MAX);
    static const char *const bad[] = {"",
                                      "Name:\tx\n",
                                      "Uid:\n",
                                      "Uid:\t-1\t0\n",
                                      "Uid:\t4294967296\t0\n",
                                      "Uid:\tabc\n",
                                      "XUid:\t5\n",
                                      "Uid:x 5\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (host_parse_status_uid(bad[i], strlen(bad[i]), &uid) != -1)
            fail_msg("accepted bad status #%zu", i);
}

/* Parses `len` bytes and compares with the expected list. */
static void check_list(const char *buf, size_t len, const char *const *want, size_t n)
{
    char **list = (char **)&list;
    size_t count = 99;
    assert_int_equal(host_parse_nul_list(buf, len, &list, &count), 0);
    assert_int_equal(count, n);
    if (n == 0) {
        assert_null(list);
        return;
    }
    for (size_t i = 0; i < n; i++)
        assert_string_equal(list[i], want[i]);
    assert_null(list[n]);
    free(list);
}

static void test_nul_list(void **state)
{
    (void)state;
    const char *const ab[] = {"a", "b"};
    check_list("a\0b\0", 4, ab, 2);
    check_list("a\0b", 3, ab, 2);       /* last entry without its NUL */
    check_list("a\0b\0\0\0", 6, ab, 2); /* trailing empties dropped */
    const char *const mid[] = {"a", "", "b"};
    check_list("a\0\0b\0", 5, mid, 3); /* an empty entry inside stays */
    const char *const lead[] = {"", "a"};
    check_list("\0a\0", 3, lead, 2);
    check_list("", 0, NULL, 0);
    check_list("\0", 1, NULL, 0);
    check_list("\0\0\0", 3, NULL, 0);
    check_list(NULL, 0, NULL, 0);
    const char *const title[] = {"nginx: worker process"};
    check_list("nginx: worker process", 21, title, 1);

    size_t len;
    char *buf = fixture("proc/basic/1045/cmdline", &len);
    const char *const mm[] = {"python3", "bench/mm.py", "120", "1.0", "2147483648"};
    check_list(buf, len, mm, 5);
    free(buf);
    buf = fixture("proc/basic/2002/cmdline", &len);
    const char *const q[] = {"python3",       "train.py",   "",       "--name",     "my run",
                             "--tag",         "say \"hi\"", "--path", "$HOME/ckpt", "--note",
                             "it's \"done\"", "--msg",      "a\nb"};
    check_list(buf, len, q, 13);
    free(buf);
    buf = fixture("proc/basic/2000/cmdline", &len);
    check_list(buf, len, NULL, 0);
    free(buf);
    buf = fixture("proc/basic/1045/environ", &len);
    char **env;
    size_t n;
    assert_int_equal(host_parse_nul_list(buf, len, &env, &n), 0);
    assert_int_equal(n, 6);
    assert_string_equal(env[4], "CUDA_VISIBLE_DEVICES=0");
    free(env);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stat_fixture),   cmocka_unit_test(test_stat_tricky_comm),
        cmocka_unit_test(test_stat_malformed), cmocka_unit_test(test_status_uid),
        cmocka_unit_test(test_nul_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
