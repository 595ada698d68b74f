/* SPDX-License-Identifier: Apache-2.0 */
/* Proc roots built to hurt (what a red-team run found): a NUL byte inside `filesystems`, an rss
 * that overflows when turned into bytes, FIFOs where files should be. Each tree lives in a
 * temporary directory; each answer must be a value or an error, never a crash or a hang. */
#include "testutil.h"

#include "host/host_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A FIFO that nobody writes blocks a plain open() forever: a test that hangs fails this way. */
#define HANG_LIMIT_S 10

static char root[] = "/tmp/nvitop-hostile-XXXXXX";

static int make_root(void **state)
{
    (void)state;
    strcpy(root + sizeof(root) - 7, "XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes root/rel with exactly len bytes (NULs included), creating root/dir first if given. */
static void put(const char *rel, const char *bytes, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0755); /* the parent; may exist */
    *slash = '/';
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void put_fifo(const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    assert_int_equal(mkfifo(path, 0644), 0);
}

static nvitop_ctx_t *ctx_on_root(void)
{
    nvitop_options_t opts = {0};
    opts.proc_root = root;
    int err = 0;
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, &err);
    assert_non_null(ctx);
    return ctx;
}

/* A NUL inside /proc/filesystems is one more byte: the types listed after it still count, and
 * nothing reads past the file's end (the table was once copied up to the NUL, then scanned to
 * the file's length: a heap overflow). */
static void test_filesystems_with_nul(void **state)
{
    (void)state;
    static const char filesystems[] = "nodev\tsysfs\n\0nodev\tproc\n\text4\n";
    put("filesystems", filesystems, sizeof(filesystems) - 1);
    static const char mounts[] = "/dev/vda / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\n";
    put("self/mounts", mounts, sizeof(mounts) - 1);
    nvitop_ctx_t *ctx = ctx_on_root();
    nvitop_host_snapshot_t *snap = NULL;
    assert_int_equal(nvitop_host_query(ctx, NVITOP_HQ_DISK_USAGE, &snap), NVITOP_OK);
    assert_int_equal(snap->disk_usage_count, 1);
    assert_string_equal(snap->disk_usage[0].mountpoint, "/");
    assert_string_equal(snap->disk_usage[0].fstype, "ext4");
    nvitop_host_snapshot_free(snap);
    nvitop_ctx_free(ctx);
}

static void put_stat_with_rss(const char *rss)
{
    char stat[512];
    int n = snprintf(stat, sizeof(stat),
                     "77 (big) S 1 77 77 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 4096 %s 0\n", rss);
    put("77/stat", stat, (size_t)n);
    static const char meminfo[] = "MemTotal: 1000 kB\nMemFree: 500 kB\nMemAvailable: 600 kB\n";
    put("meminfo", meminfo, sizeof(meminfo) - 1);
}

/* rss (pages) times the page size must not overflow (UBSan stops on it): the bytes saturate. */
static void test_huge_rss(void **state)
{
    (void)state;
    put_stat_with_rss("9223372036854775807");
    nvitop_ctx_t *ctx = ctx_on_root();
    nvitop_host_process_t *p = NULL;
    assert_int_equal(nvitop_host_process_get(ctx, 77, &p), NVITOP_OK);
    assert_int_equal(p->na, NVITOP_NA_NONE);
    assert_int_equal(p->rss_bytes.na, NVITOP_NA_NONE);
    assert_true(p->rss_bytes.value == INT64_MAX);
    assert_true(isfinite(p->memory_percent.value) && p->memory_percent.value > 0.0);
    nvitop_host_process_free(p);
    /* Just below the limit still multiplies exactly. */
    put_stat_with_rss("1024");
    assert_int_equal(nvitop_host_process_get(ctx, 77, &p), NVITOP_OK);
    assert_true(p->rss_bytes.value == 1024 * (int64_t)sysconf(_SC_PAGESIZE));
    nvitop_host_process_free(p);
    nvitop_ctx_free(ctx);
}

/* A FIFO (or any non-regular file) in the proc root is refused at once, never waited on. */
static void test_fifo_never_blocks(void **state)
{
    (void)state;
    put_fifo("loadavg");
    put("77/status", "Uid:\t0\t0\t0\t0\n", 13);
    put_fifo("77/stat");
    put_fifo("78"); /* where a pid directory should be */
    alarm(HANG_LIMIT_S);
    host_reader_t r;
    assert_int_equal(host_reader_open(&r, root), 0);
    const char *data;
    size_t len;
    assert_int_equal(host_read(&r, "loadavg", &data, &len), -EINVAL);
    host_pid_info_t info;
    assert_int_equal(host_read_pid(&r, 77, &info), -EINVAL);
    assert_int_equal(host_read_pid(&r, 78, &info), -ENOENT);
    assert_int_equal(host_read(&r, "77/status", &data, &len), 0); /* still usable */
    host_reader_close(&r);

    nvitop_ctx_t *ctx = ctx_on_root();
    nvitop_host_snapshot_t *snap = NULL;
    assert_int_equal(nvitop_host_query(ctx, NVITOP_HQ_LOAD, &snap), NVITOP_OK);
    assert_int_equal(snap->load_average_1m.na, NVITOP_NA_IO_ERROR);
    nvitop_host_snapshot_free(snap);
    nvitop_ctx_free(ctx);
    alarm(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_filesystems_with_nul, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_huge_rss, make_root, remove_root),
        cmocka_unit_test_setup_teardown(test_fifo_never_blocks, make_root, remove_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
