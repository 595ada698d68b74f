/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: every /proc parser of src/host/ on the same input, the quoting of
 * whatever NUL list the input yields, and the core's combinations (disk usage: mounts against
 * the file systems table; byte figures from pages and sectors). Parsers must return -1, never
 * crash or read outside.
 *
 * Each parser gets a heap copy of exactly the input's bytes and its exact length, as the
 * reader hands them over: no terminator after them, so ASan sees any read past the end, and
 * NUL bytes inside are data (a file is never cut at a NUL and then scanned to its length). An
 * input holding a 0xFF byte is also split there: the part before is read as self/mounts, the
 * part after as filesystems. */
#include "host/host_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Quotes argv both ways and checks the result is a string. */
static void fuzz_quote(char **argv, size_t argc)
{
    for (int single = 0; single < 2; single++) {
        char *out = NULL;
        if (host_quote_command((const char *const *)argv, argc, single != 0, &out) == 0) {
            if (strlen(out) > 4 * 1024 * 1024)
                abort(); /* at most doubled, plus quotes: a runaway would show here */
            free(out);
        }
    }
}

static void fuzz_system(const char *buf, size_t len)
{
    host_cpu_times_t t;
    unsigned n;
    uint64_t btime;
    if (host_parse_proc_stat(buf, len, &t, &n, &btime) == 0) {
        host_cpu_times_t zero = {0};
        double pct = host_cpu_percent(&zero, &t);
        if (!isnan(pct) && (pct < 0.0 || pct > 100.0)) abort();
        pct = host_cpu_percent(&t, &zero);
        if (!isnan(pct) && (pct < 0.0 || pct > 100.0)) abort();
    }
    host_meminfo_t mi;
    if (host_parse_meminfo(buf, len, &mi) == 0) {
        host_memory_figures_t f;
        host_memory_figures(&mi, &f);
        if (f.used > f.total && f.total >= f.free) abort();
        if (f.available > f.total && f.available != f.free) abort();
    }
    double load[3], up;
    host_parse_loadavg(buf, len, load);
    host_parse_uptime(buf, len, &up);
}

/* Bytes from pages and sectors, as the core computes them: never negative (UBSan stops on an
 * overflowing product). */
static void fuzz_bytes(const host_pid_stat_t *st, const host_disk_stat_t *disks, size_t n)
{
    static const uint64_t pages[] = {4096, 16384, 65536};
    for (size_t i = 0; st && st->rss_pages > 0 && i < sizeof(pages) / sizeof(pages[0]); i++)
        if (host_bytes((uint64_t)st->rss_pages, pages[i]) < 0) abort();
    for (size_t i = 0; i < n; i++)
        if (host_bytes(disks[i].read_sectors, 512) < 0 ||
            host_bytes(disks[i].write_sectors, 512) < 0)
            abort();
}

static void fuzz_tables(const char *buf, size_t len)
{
    host_net_dev_t *devs;
    size_t n;
    if (host_parse_net_dev(buf, len, &devs, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            if (strlen(devs[i].name) == 0) abort();
        free(devs);
    }
    host_disk_stat_t *disks;
    if (host_parse_diskstats(buf, len, &disks, &n) == 0) {
        fuzz_bytes(NULL, disks, n);
        free(disks);
    }
    host_mount_t *mounts;
    if (host_parse_mounts(buf, len, &mounts, &n) == 0) {
        for (size_t i = 0; i < n; i++)
            if (!mounts[i].device || !mounts[i].mountpoint || !mounts[i].fstype) abort();
        host_mounts_free(mounts, n);
    }
    static const char *const fstypes[] = {"ext4", "zfs", "nodev", "tmpfs", "x"};
    for (size_t i = 0; i < sizeof(fstypes) / sizeof(fstypes[0]); i++)
        host_fs_is_physical(buf, len, fstypes[i]);
}

/* As the core's disk usage: the mounts parsed (copied) from one file, each type looked up in
 * the file systems table used in place. */
static void fuzz_disk_usage(const char *mounts_buf, size_t mounts_len, const char *fs_buf,
                            size_t fs_len)
{
    host_mount_t *mounts;
    size_t n;
    if (host_parse_mounts(mounts_buf, mounts_len, &mounts, &n) != 0) return;
    for (size_t i = 0; i < n; i++)
        host_fs_is_physical(fs_buf, fs_len, mounts[i].fstype);
    host_mounts_free(mounts, n);
}

static void fuzz_pid(const char *buf, size_t len)
{
    host_pid_stat_t st;
    if (host_parse_pid_stat(buf, len, &st) == 0) {
        if (strnlen(st.comm, sizeof(st.comm)) >= sizeof(st.comm)) abort();
        fuzz_bytes(&st, NULL, 0);
    }
    uint32_t uid;
    host_parse_status_uid(buf, len, &uid);
    char **list;
    size_t n;
    if (host_parse_nul_list(buf, len, &list, &n) == 0) {
        if ((n == 0) != (list == NULL) || (n > 0 && list[n] != NULL)) abort();
        if (n > 0 && list[n - 1][0] == '\0') abort(); /* trailing empty entries are dropped */
        fuzz_quote(list, n);
        free(list);
    }
}

/* A heap block of exactly len bytes of src (one byte when len is 0, never read then). */
static char *exact_copy(const uint8_t *src, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy) abort();
    if (len) memcpy(copy, src, len);
    return copy;
}

/* Workloads: the cgroup and environ parsers, NSpid, and the runtime metadata readers. Every
 * string they fill must stay terminated within its array. */
static void fuzz_workload(const char *buf, size_t len)
{
    host_workload_t w;
    if (host_parse_cgroup_workload(buf, len, &w) == 0 && w.kind > HOST_WL_POD) abort();
    if (strlen(w.container_id) >= sizeof(w.container_id) || strlen(w.unit) >= sizeof(w.unit))
        abort();
    host_parse_environ_workload(buf, len, &w);
    uint32_t ids[8];
    size_t n;
    if (host_parse_status_nspid(buf, len, ids, 8, &n) == 0 && (n == 0 || n > 8)) abort();
    host_workload_init(&w);
    host_workload_from_config(buf, len, &w);
    if (strlen(w.container_name) >= sizeof(w.container_name)) abort();
    strcpy(w.container_id, "0123456789abcdef");
    host_workload_from_podman_list(buf, len, &w);
    strcpy(w.pod_uid, "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
    char name[300];
    size_t k = len < sizeof(name) - 1 ? len : sizeof(name) - 1;
    memcpy(name, buf, k);
    name[k] = '\0';
    host_workload_from_pod_dir(name, &w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = exact_copy(data, size);
    fuzz_system(buf, size);
    fuzz_tables(buf, size);
    fuzz_pid(buf, size);
    fuzz_disk_usage(buf, size, buf, size);
    fuzz_workload(buf, size);
    free(buf);
    const uint8_t *split = memchr(data, 0xFF, size);
    if (split) {
        size_t mounts_len = (size_t)(split - data), fs_len = size - mounts_len - 1;
        char *mounts = exact_copy(data, mounts_len), *fs = exact_copy(split + 1, fs_len);
        fuzz_disk_usage(mounts, mounts_len, fs, fs_len);
        free(mounts);
        free(fs);
    }
    return 0;
}
