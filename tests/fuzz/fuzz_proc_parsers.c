/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer harness: every /proc parser of src/host/ on the same input, and the quoting of
 * whatever NUL list the input yields. Parsers must return -1, never crash or read outside. */
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
    if (host_parse_diskstats(buf, len, &disks, &n) == 0) free(disks);
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

static void fuzz_pid(const char *buf, size_t len)
{
    host_pid_stat_t st;
    if (host_parse_pid_stat(buf, len, &st) == 0 && strlen(st.comm) >= sizeof(st.comm)) abort();
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    fuzz_system(buf, size);
    fuzz_tables(buf, size);
    fuzz_pid(buf, size);
    return 0;
}
