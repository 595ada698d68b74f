/* SPDX-License-Identifier: Apache-2.0 */
/* Host processes as nvitop shows them: /proc/<pid> turned into a record with user name,
 * times, CPU % from deltas, memory %, and the command quoted for display. A pid that is gone,
 * hidden in another PID namespace or unreadable yields a record that says so. */
#include "core/core_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void host_process_set_na(nvitop_host_process_t *out, uint32_t pid, nvitop_na_t na)
{
    memset(out, 0, sizeof(*out));
    out->pid = pid;
    out->na = na;
    out->ppid = out->uid = out->num_threads = out->cpu_time_ns = out->rss_bytes = na_int(na);
    out->username = out->name = out->command = na_str(na);
    out->create_time_s = out->running_time_s = out->cpu_percent = na_real(na);
    out->memory_percent = na_real(na);
}

static uint64_t boot_time_s(nvitop_ctx_t *ctx)
{
    if (ctx->boot_time_s) return ctx->boot_time_s;
    const char *data;
    size_t len;
    uint64_t btime = 0;
    if (host_read(&ctx->host, "stat", &data, &len) == 0 &&
        host_parse_proc_stat(data, len, NULL, NULL, &btime) == 0)
        ctx->boot_time_s = btime;
    return ctx->boot_time_s;
}

uint64_t host_memory_total(nvitop_ctx_t *ctx)
{
    const char *data;
    size_t len;
    host_meminfo_t mi;
    if (host_read(&ctx->host, "meminfo", &data, &len) == 0 &&
        host_parse_meminfo(data, len, &mi) == 0)
        return mi.total;
    return 0;
}

static nvitop_na_t na_from_errno(int rc)
{
    switch (rc) {
    case -ENOENT:
    case -ESRCH:
        return NVITOP_NA_NO_SUCH_PROCESS;
    case -EACCES:
    case -EPERM:
        return NVITOP_NA_NO_PERMISSION;
    default:
        return NVITOP_NA_IO_ERROR;
    }
}

static nvitop_str_t arena_str(arena_t *arena, const char *s)
{
    char *copy = arena_strdup(arena, s);
    return copy ? some_str(copy) : na_str(NVITOP_NA_UNAVAILABLE);
}

void host_sample_read(nvitop_ctx_t *ctx, host_sample_t *sample)
{
    const char *data;
    size_t len;
    sample->mem_total = host_memory_total(ctx);
    sample->uptime_s = NAN;
    double uptime;
    if (host_read(&ctx->host, "uptime", &data, &len) == 0 &&
        host_parse_uptime(data, len, &uptime) == 0)
        sample->uptime_s = uptime;
}

void host_sample_from(nvitop_ctx_t *ctx, const nvitop_host_snapshot_t *host, host_sample_t *sample)
{
    if (!NVITOP_HAS(host->memory_total_bytes) || !NVITOP_HAS(host->uptime_s)) {
        host_sample_read(ctx, sample);
        return;
    }
    sample->mem_total = (uint64_t)host->memory_total_bytes.value;
    sample->uptime_s = host->uptime_s.value;
}

/* Times from the kernel's own clock, as ps computes them: running time = uptime - start. The
 * first CPU % of a pid is its lifetime average (ps's %CPU); later ones cover the interval. */
static void fill_times(nvitop_ctx_t *ctx, const host_pid_stat_t *st, long clk_tck,
                       const host_sample_t *sample, nvitop_host_process_t *out)
{
    uint64_t btime = boot_time_s(ctx);
    uint64_t cpu_ticks = st->utime + st->stime;
    double start_s = (double)st->starttime / (double)clk_tck;
    out->cpu_time_ns = some_int((int64_t)(cpu_ticks * (NS_PER_SEC / (uint64_t)clk_tck)));
    out->create_time_s = btime ? some_real((double)btime + start_s) : na_real(NVITOP_NA_IO_ERROR);
    double running = sample->uptime_s - start_s;
    out->running_time_s =
        isnan(running) ? na_real(NVITOP_NA_IO_ERROR) : some_real(running > 0.0 ? running : 0.0);
    double cpu = host_proc_tracker_update(&ctx->procs, out->pid, st->starttime, cpu_ticks, clk_tck,
                                          nvitop_now_ns(ctx));
    double tick = 1.0 / (double)clk_tck;
    if (isnan(cpu) && !isnan(running)) /* a process younger than a tick has run for one */
        cpu = 100.0 * ((double)cpu_ticks * tick) / (running > tick ? running : tick);
    out->cpu_percent =
        isnan(cpu) ? na_real(NVITOP_NA_NEEDS_TWO_SAMPLES) : some_real(round(cpu * 10.0) / 10.0);
}

/* argv and its display form; a single word is kept verbatim unless it names a file. */
static int fill_command(const host_pid_info_t *info, arena_t *arena, nvitop_host_process_t *out)
{
    if (info->cmdline_error) {
        out->command = na_str(na_from_errno(info->cmdline_error));
        return NVITOP_OK;
    }
    char **argv = arena_calloc(arena, info->argc + 1, sizeof(char *));
    if (!argv) return NVITOP_ENOMEM;
    for (size_t i = 0; i < info->argc; i++)
        if (!(argv[i] = arena_strdup(arena, info->argv[i]))) return NVITOP_ENOMEM;
    out->argc = info->argc;
    out->argv = (const char *const *)argv;
    bool single_is_path = info->argc == 1 && argv[0][0] == '/' && access(argv[0], F_OK) == 0;
    char *command = NULL;
    if (host_quote_command(out->argv, out->argc, single_is_path, &command) < 0)
        return NVITOP_ENOMEM;
    out->command = arena_str(arena, command);
    free(command);
    return out->command.value ? NVITOP_OK : NVITOP_ENOMEM;
}

int host_process_fill(nvitop_ctx_t *ctx, uint32_t pid, const host_sample_t *sample, arena_t *arena,
                      nvitop_host_process_t *out)
{
    host_pid_info_t info;
    memset(&info, 0, sizeof(info));
    int rc = host_read_pid(&ctx->host, pid, &info);
    if (rc == -ENOMEM) return NVITOP_ENOMEM;
    if (rc < 0) {
        host_process_set_na(out, pid, na_from_errno(rc));
        return NVITOP_OK;
    }
    host_process_set_na(out, pid, NVITOP_NA_NONE);
    const host_pid_stat_t *st = &info.stat;
    long clk_tck = ctx->host.clk_tck > 0 ? ctx->host.clk_tck : 100;
    out->state = st->state;
    out->ppid = some_int(st->ppid);
    out->num_threads = some_int(st->num_threads);
    out->name = arena_str(arena, st->comm);
    if (info.have_uid) {
        out->uid = some_int(info.uid);
        const char *user = host_user_name(&ctx->users, info.uid);
        out->username = user ? arena_str(arena, user) : na_str(NVITOP_NA_UNAVAILABLE);
    } else {
        out->uid = na_int(NVITOP_NA_NO_PERMISSION);
        out->username = na_str(NVITOP_NA_NO_PERMISSION);
    }
    fill_times(ctx, st, clk_tck, sample, out);
    long page = ctx->host.page_size > 0 ? ctx->host.page_size : 4096;
    int64_t rss = st->rss_pages > 0 ? host_bytes((uint64_t)st->rss_pages, (uint64_t)page) : 0;
    out->rss_bytes = some_int(rss);
    out->memory_percent = sample->mem_total
                              ? some_real(100.0 * (double)rss / (double)sample->mem_total)
                              : na_real(NVITOP_NA_IO_ERROR);
    rc = fill_command(&info, arena, out);
    out->is_zombie = st->state == 'Z' || (info.cmdline_error == 0 && info.argc == 0);
    host_pid_info_fini(&info);
    return rc;
}

/* A record and the arena owning its strings, freed together. */
typedef struct host_process_box {
    nvitop_host_process_t process;
    arena_t arena;
} host_process_box_t;

int nvitop_host_process_get(nvitop_ctx_t *ctx, uint32_t pid, nvitop_host_process_t **out)
{
    if (!ctx || !out) return NVITOP_EINVAL;
    host_process_box_t *box = calloc(1, sizeof(*box));
    if (!box) return NVITOP_ENOMEM;
    host_sample_t sample;
    host_sample_read(ctx, &sample);
    if (host_process_fill(ctx, pid, &sample, &box->arena, &box->process) < 0) {
        nvitop_host_process_free(&box->process);
        return NVITOP_ENOMEM;
    }
    *out = &box->process;
    return NVITOP_OK;
}

void nvitop_host_process_free(nvitop_host_process_t *process)
{
    if (!process) return;
    host_process_box_t *box = (host_process_box_t *)process;
    arena_fini(&box->arena);
    free(box);
}

static int error_from_errno(int rc)
{
    switch (na_from_errno(rc)) {
    case NVITOP_NA_NO_SUCH_PROCESS:
        return NVITOP_ENOTFOUND;
    case NVITOP_NA_NO_PERMISSION:
        return NVITOP_EPERM;
    default:
        return rc == -ENOMEM ? NVITOP_ENOMEM : NVITOP_EIO;
    }
}

int nvitop_process_environ(nvitop_ctx_t *ctx, uint32_t pid, char ***vars, size_t *count)
{
    if (!ctx || !vars || !count) return NVITOP_EINVAL;
    *vars = NULL;
    *count = 0;
    char path[32];
    snprintf(path, sizeof(path), "%u/environ", pid);
    const char *data;
    size_t len;
    int rc = host_read(&ctx->host, path, &data, &len);
    if (rc < 0) return error_from_errno(rc);
    char **list = NULL;
    size_t n = 0;
    if (host_parse_nul_list(data, len, &list, &n) < 0) return NVITOP_ENOMEM;
    char **copy = calloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; copy && i < n; i++) {
        if (!(copy[i] = strdup(list[i]))) {
            nvitop_strv_free(copy, i);
            copy = NULL;
        }
    }
    free(list);
    if (!copy) return NVITOP_ENOMEM;
    *vars = copy;
    *count = n;
    return NVITOP_OK;
}

int nvitop_process_cwd(nvitop_ctx_t *ctx, uint32_t pid, char **cwd)
{
    if (!ctx || !cwd) return NVITOP_EINVAL;
    char path[32];
    snprintf(path, sizeof(path), "%u/cwd", pid);
    int rc = host_readlink(&ctx->host, path, cwd);
    return rc < 0 ? error_from_errno(rc) : NVITOP_OK;
}

int nvitop_command_join(const char *const *argv, size_t argc, bool single_is_path, char **out)
{
    if (!out || (argc && !argv)) return NVITOP_EINVAL;
    return host_quote_command(argv, argc, single_is_path, out) < 0 ? NVITOP_ENOMEM : NVITOP_OK;
}
