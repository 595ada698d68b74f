/* SPDX-License-Identifier: Apache-2.0 */
/* The host snapshot: CPU, memory, swap, load, uptime, network, disks and identity, each part
 * read only when asked for, unreadable parts marked with their reason. */
#include "core/core_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void clear(nvitop_host_snapshot_t *out)
{
    memset(out, 0, sizeof(*out));
    nvitop_na_t na = NVITOP_NA_NOT_SAMPLED;
    out->hostname = out->username = na_str(na);
    out->cpu_count = out->memory_total_bytes = out->memory_used_bytes = na_int(na);
    out->memory_free_bytes = out->memory_available_bytes = na_int(na);
    out->swap_total_bytes = out->swap_used_bytes = out->swap_free_bytes = na_int(na);
    out->cpu_percent = out->memory_percent = out->swap_percent = na_real(na);
    out->load_average_1m = out->load_average_5m = out->load_average_15m = na_real(na);
    out->uptime_s = out->boot_time_s = na_real(na);
}

static double round1(double v)
{
    return round(v * 10.0) / 10.0;
}

static void read_cpu(nvitop_ctx_t *ctx, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    host_cpu_times_t times;
    unsigned cpus = 0;
    uint64_t btime = 0;
    if (host_read(&ctx->host, "stat", &data, &len) < 0 ||
        host_parse_proc_stat(data, len, &times, &cpus, &btime) < 0) {
        out->cpu_count = na_int(NVITOP_NA_IO_ERROR);
        out->cpu_percent = na_real(NVITOP_NA_IO_ERROR);
        return;
    }
    if (btime) ctx->boot_time_s = btime;
    out->cpu_count = cpus ? some_int(cpus) : na_int(NVITOP_NA_IO_ERROR);
    double pct = host_cpu_tracker_update(&ctx->cpu, &times);
    if (isnan(pct)) { /* first sample, or no tick since the last: the average since boot */
        host_cpu_times_t boot;
        memset(&boot, 0, sizeof(boot));
        pct = host_cpu_percent(&boot, &times);
    }
    out->cpu_percent = isnan(pct) ? na_real(NVITOP_NA_IO_ERROR) : some_real(round1(pct));
}

static void read_memory(nvitop_ctx_t *ctx, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    host_meminfo_t mi;
    if (host_read(&ctx->host, "meminfo", &data, &len) < 0 ||
        host_parse_meminfo(data, len, &mi) < 0 || mi.total == 0) {
        nvitop_int_t e = na_int(NVITOP_NA_IO_ERROR);
        out->memory_total_bytes = out->memory_used_bytes = out->memory_free_bytes = e;
        out->memory_available_bytes = out->swap_total_bytes = out->swap_used_bytes = e;
        out->swap_free_bytes = e;
        out->memory_percent = out->swap_percent = na_real(NVITOP_NA_IO_ERROR);
        return;
    }
    host_memory_figures_t f;
    host_memory_figures(&mi, &f);
    out->memory_total_bytes = some_int((int64_t)f.total);
    out->memory_used_bytes = some_int((int64_t)f.used);
    out->memory_free_bytes = some_int((int64_t)f.free);
    out->memory_available_bytes = some_int((int64_t)f.available);
    out->memory_percent = some_real(round1(f.percent));
    out->swap_total_bytes = some_int((int64_t)f.swap_total);
    out->swap_used_bytes = some_int((int64_t)f.swap_used);
    out->swap_free_bytes = some_int((int64_t)f.swap_free);
    out->swap_percent = some_real(round1(f.swap_percent));
}

static void read_load(nvitop_ctx_t *ctx, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    double load[3];
    if (host_read(&ctx->host, "loadavg", &data, &len) < 0 ||
        host_parse_loadavg(data, len, load) < 0) {
        out->load_average_1m = out->load_average_5m = out->load_average_15m =
            na_real(NVITOP_NA_IO_ERROR);
        return;
    }
    out->load_average_1m = some_real(load[0]);
    out->load_average_5m = some_real(load[1]);
    out->load_average_15m = some_real(load[2]);
}

static void read_uptime(nvitop_ctx_t *ctx, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    double uptime;
    if (host_read(&ctx->host, "uptime", &data, &len) < 0 ||
        host_parse_uptime(data, len, &uptime) < 0)
        out->uptime_s = na_real(NVITOP_NA_IO_ERROR);
    else
        out->uptime_s = some_real(uptime);
    uint64_t btime = ctx->boot_time_s; /* read with the CPU times, when they were asked for */
    if (!btime && host_read(&ctx->host, "stat", &data, &len) == 0 &&
        host_parse_proc_stat(data, len, NULL, NULL, &btime) == 0)
        ctx->boot_time_s = btime;
    out->boot_time_s = btime ? some_real((double)btime) : na_real(NVITOP_NA_IO_ERROR);
}

static int read_network(nvitop_ctx_t *ctx, arena_t *arena, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    host_net_dev_t *devs = NULL;
    size_t n = 0;
    if (host_read(&ctx->host, "net/dev", &data, &len) < 0 ||
        host_parse_net_dev(data, len, &devs, &n) < 0)
        return NVITOP_OK; /* no interfaces listed: net_count stays 0 */
    out->net = arena_calloc(arena, n, sizeof(*out->net));
    for (size_t i = 0; out->net && i < n; i++) {
        out->net[i] = (nvitop_net_io_t){
            arena_strdup(arena, devs[i].name), some_int((int64_t)devs[i].rx_bytes),
            some_int((int64_t)devs[i].tx_bytes), some_int((int64_t)devs[i].rx_packets),
            some_int((int64_t)devs[i].tx_packets)};
        if (!out->net[i].name) out->net = NULL;
    }
    free(devs);
    if (!out->net) return NVITOP_ENOMEM;
    out->net_count = n;
    return NVITOP_OK;
}

static int read_disk_io(nvitop_ctx_t *ctx, arena_t *arena, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    host_disk_stat_t *disks = NULL;
    size_t n = 0;
    if (host_read(&ctx->host, "diskstats", &data, &len) < 0 ||
        host_parse_diskstats(data, len, &disks, &n) < 0)
        return NVITOP_OK;
    out->disk_io = arena_calloc(arena, n, sizeof(*out->disk_io));
    for (size_t i = 0; out->disk_io && i < n; i++) {
        const host_disk_stat_t *d = &disks[i];
        out->disk_io[i] = (nvitop_disk_io_t){
            arena_strdup(arena, d->name), some_int(host_bytes(d->read_sectors, 512)),
            some_int(host_bytes(d->write_sectors, 512)), some_int((int64_t)d->reads),
            some_int((int64_t)d->writes)};
        if (!out->disk_io[i].name) out->disk_io = NULL;
    }
    free(disks);
    if (!out->disk_io) return NVITOP_ENOMEM;
    out->disk_io_count = n;
    return NVITOP_OK;
}

static int add_usage(arena_t *arena, const host_mount_t *m, nvitop_disk_usage_t *u)
{
    uint64_t total, used, avail;
    if (host_disk_usage(m->mountpoint, &total, &used, &avail) < 0) return 0;
    *u = (nvitop_disk_usage_t){arena_strdup(arena, m->mountpoint),
                               arena_strdup(arena, m->device),
                               arena_strdup(arena, m->fstype),
                               some_int((int64_t)total),
                               some_int((int64_t)used),
                               some_int((int64_t)avail),
                               na_real(NVITOP_NA_UNAVAILABLE)};
    if (used + avail > 0)
        u->percent = some_real(round1(100.0 * (double)used / (double)(used + avail)));
    return u->mountpoint && u->device && u->fstype ? 1 : -1;
}

/* The mounts are parsed (copied) first, so that the file systems table can be used in place,
 * with its exact length: a NUL inside it is one more byte, never the end of a copy. */
static int read_disk_usage(nvitop_ctx_t *ctx, arena_t *arena, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    host_mount_t *mounts = NULL;
    size_t n = 0;
    int rc = NVITOP_OK;
    if (host_read(&ctx->host, "self/mounts", &data, &len) == 0 &&
        host_parse_mounts(data, len, &mounts, &n) == 0 &&
        host_read(&ctx->host, "filesystems", &data, &len) == 0) {
        out->disk_usage = arena_calloc(arena, n, sizeof(*out->disk_usage));
        if (!out->disk_usage) rc = NVITOP_ENOMEM;
        for (size_t i = 0; rc == NVITOP_OK && i < n; i++) {
            if (!host_fs_is_physical(data, len, mounts[i].fstype)) continue;
            int added = add_usage(arena, &mounts[i], &out->disk_usage[out->disk_usage_count]);
            if (added < 0) rc = NVITOP_ENOMEM;
            out->disk_usage_count += added > 0;
        }
    }
    host_mounts_free(mounts, n);
    return rc;
}

static void read_identity(nvitop_ctx_t *ctx, arena_t *arena, nvitop_host_snapshot_t *out)
{
    const char *data;
    size_t len;
    char name[256] = "";
    /* The proc root's view first: it is the host's own name when a container mounts it. */
    if (host_read(&ctx->host, "sys/kernel/hostname", &data, &len) == 0 && len > 0) {
        size_t n = strcspn(data, "\n");
        snprintf(name, sizeof(name), "%.*s", (int)n, data);
    }
    if (!name[0] && gethostname(name, sizeof(name) - 1) < 0) name[0] = '\0';
    char *host = name[0] ? arena_strdup(arena, name) : NULL;
    out->hostname = host ? some_str(host) : na_str(NVITOP_NA_UNAVAILABLE);
    char user[256];
    host_current_user(&ctx->users, user, sizeof(user));
    char *copy = user[0] ? arena_strdup(arena, user) : NULL;
    out->username = copy ? some_str(copy) : na_str(NVITOP_NA_UNAVAILABLE);
}

int nvitop_current_user(char *buf, size_t len)
{
    if (!buf || len == 0) return NVITOP_EINVAL;
    host_users_t users = {0}; /* no context: a cache for this one question */
    host_current_user(&users, buf, len);
    host_users_fini(&users);
    return NVITOP_OK;
}

int host_snapshot_fill(nvitop_ctx_t *ctx, unsigned what, arena_t *arena,
                       nvitop_host_snapshot_t *out)
{
    clear(out);
    if (what & NVITOP_HQ_CPU) read_cpu(ctx, out);
    if (what & NVITOP_HQ_MEMORY) read_memory(ctx, out);
    if (what & NVITOP_HQ_LOAD) read_load(ctx, out);
    if (what & NVITOP_HQ_UPTIME) read_uptime(ctx, out);
    if (what & NVITOP_HQ_IDENTITY) read_identity(ctx, arena, out);
    int rc = NVITOP_OK;
    if (what & NVITOP_HQ_NETWORK) rc = read_network(ctx, arena, out);
    if (rc == NVITOP_OK && (what & NVITOP_HQ_DISK_IO)) rc = read_disk_io(ctx, arena, out);
    if (rc == NVITOP_OK && (what & NVITOP_HQ_DISK_USAGE)) rc = read_disk_usage(ctx, arena, out);
    return rc;
}

typedef struct host_snapshot_box {
    nvitop_host_snapshot_t snapshot;
    arena_t arena;
} host_snapshot_box_t;

int nvitop_host_query(nvitop_ctx_t *ctx, unsigned what, nvitop_host_snapshot_t **out)
{
    if (!ctx || !out) return NVITOP_EINVAL;
    host_snapshot_box_t *box = calloc(1, sizeof(*box));
    if (!box) return NVITOP_ENOMEM;
    if (host_snapshot_fill(ctx, what, &box->arena, &box->snapshot) < 0) {
        nvitop_host_snapshot_free(&box->snapshot);
        return NVITOP_ENOMEM;
    }
    *out = &box->snapshot;
    return NVITOP_OK;
}

void nvitop_host_snapshot_free(nvitop_host_snapshot_t *snapshot)
{
    if (!snapshot) return;
    host_snapshot_box_t *box = (host_snapshot_box_t *)snapshot;
    arena_fini(&box->arena);
    free(box);
}
