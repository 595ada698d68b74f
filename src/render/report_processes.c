/* SPDX-License-Identifier: Apache-2.0 */
/* The process table of the report (spec §2.4): the user@host line, one row per GPU process in
 * natural order, separators between physical GPUs, and the special rows of processes the host
 * cannot show (gone, no permission, zombie). */
#include "render/report_internal.h"

#include "render/printable.h"
#include "util/utf8.h"

#include <nvitop/format.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *cpu_text(char *buf, size_t len, nvitop_real_t cpu)
{
    if (!NVITOP_HAS(cpu) || !isfinite(cpu.value)) return "N/A";
    if (cpu.value < 1000.0)
        snprintf(buf, len, "%.1f", cpu.value);
    else if (cpu.value < 10000.0)
        snprintf(buf, len, "%lld", (long long)cpu.value); /* int(): truncates */
    else
        snprintf(buf, len, "9999+");
    return buf;
}

static const char *percent1_text(char *buf, size_t len, nvitop_real_t v)
{
    if (!NVITOP_HAS(v) || !isfinite(v.value)) return "N/A";
    snprintf(buf, len, "%.1f", v.value);
    return buf;
}

static const char *time_text(char *buf, size_t len, nvitop_real_t seconds)
{
    if (!NVITOP_HAS(seconds)) return "N/A";
    return nvitop_duration_to_human(seconds.value, false, buf, len);
}

/* What the host lets us say of a process: gone (any failure but a refusal), refused, zombie. */
static void classify(rpt_proc_t *v)
{
    const nvitop_host_process_t *h = &v->p->host;
    v->no_permissions = h->na == NVITOP_NA_NO_PERMISSION;
    v->gone = h->na != NVITOP_NA_NONE && !v->no_permissions;
    v->zombie = h->na == NVITOP_NA_NONE && h->is_zombie;
    if (v->gone)
        v->command = "No Such Process";
    else if (v->no_permissions)
        v->command = "No Permissions";
    else if (v->zombie)
        v->command = "Zombie Process";
    else
        v->command = NVITOP_HAS(h->command) && h->command.value ? h->command.value : "N/A";
    v->username =
        !v->gone && NVITOP_HAS(h->username) && h->username.value ? h->username.value : "N/A";
}

/* The command line and the user name are anyone's text: escaped before they are measured and
 * cut, so no cut can leave half an escape sequence and the widths are what the terminal shows. */
static int make_printable(rpt_proc_t *v)
{
    v->printable[0] = printable_dup(v->command);
    v->printable[1] = printable_dup(v->username);
    if (!v->printable[0] || !v->printable[1]) return -1;
    v->command = v->printable[0];
    v->username = v->printable[1];
    return 0;
}

static int host_info(rpt_proc_t *v, int time_length)
{
    const nvitop_host_process_t *h = &v->p->host;
    char cpu[32], mem[32], when[48];
    bool known = !v->gone;
    const char *t = known ? time_text(when, sizeof(when), h->running_time_s) : "N/A";
    strbuf_t sb = {0};
    int pad = time_length - (int)strlen(t);
    if (strbuf_printf(&sb, "%5s %5s  %*s%s  %s",
                      known ? cpu_text(cpu, sizeof(cpu), h->cpu_percent) : "N/A",
                      known ? percent1_text(mem, sizeof(mem), h->memory_percent) : "N/A",
                      pad > 0 ? pad : 0, "", t, v->command) < 0) {
        strbuf_fini(&sb);
        return -1;
    }
    v->host_info = strbuf_take(&sb);
    return v->host_info ? 0 : -1;
}

static int device_key(const rpt_proc_t *v, int which)
{
    if (!v->dev) return INT_MAX;
    return which == 0 ? v->dev->physical_index : v->dev->is_mig ? v->dev->mig_index : -1;
}

/* nvitop's natural order: device index tuple, gone last, user name, pid. */
static int natural_order(const void *a, const void *b)
{
    const rpt_proc_t *x = a, *y = b;
    for (int i = 0; i < 2; i++) {
        int kx = device_key(x, i), ky = device_key(y, i);
        if (kx != ky) return kx < ky ? -1 : 1;
    }
    if (x->gone != y->gone) return x->gone ? 1 : -1;
    int c = strcmp(x->username, y->username);
    if (c) return c;
    return x->p->pid < y->p->pid ? -1 : x->p->pid > y->p->pid;
}

int rpt_procs_build(const nvitop_snapshot_t *snap, const nvitop_gpu_process_t *const *processes,
                    size_t count, rpt_proc_t **out, int *time_length)
{
    *out = NULL;
    *time_length = 4;
    if (count == 0) return 0;
    rpt_proc_t *v = calloc(count, sizeof(*v));
    if (!v) return -1;
    for (size_t i = 0; i < count; i++) {
        char when[48];
        v[i].p = processes[i];
        int dev = processes[i]->device;
        if (dev >= 0 && (size_t)dev < snap->device_count) {
            v[i].dev = &snap->devices[dev];
            if (v[i].dev->is_mig)
                snprintf(v[i].display_index, sizeof(v[i].display_index), "%d:%d",
                         v[i].dev->physical_index, v[i].dev->mig_index);
            else
                snprintf(v[i].display_index, sizeof(v[i].display_index), "%d",
                         v[i].dev->physical_index);
        } else {
            snprintf(v[i].display_index, sizeof(v[i].display_index), "N/A");
        }
        classify(&v[i]);
        if (make_printable(&v[i]) < 0) {
            rpt_procs_free(v, count);
            return -1;
        }
        const char *t =
            v[i].gone ? "N/A" : time_text(when, sizeof(when), v[i].p->host.running_time_s);
        if ((int)strlen(t) > *time_length) *time_length = (int)strlen(t);
    }
    for (size_t i = 0; i < count; i++) {
        if (host_info(&v[i], *time_length) < 0) {
            rpt_procs_free(v, count);
            return -1;
        }
    }
    qsort(v, count, sizeof(*v), natural_order);
    *out = v;
    return 0;
}

void rpt_procs_free(rpt_proc_t *procs, size_t count)
{
    if (!procs) return;
    for (size_t i = 0; i < count; i++) {
        free(procs[i].host_info);
        free(procs[i].printable[0]);
        free(procs[i].printable[1]);
    }
    free(procs);
}

int rpt_print_width(int terminal_width, size_t device_count, const rpt_proc_t *procs,
                    size_t proc_count)
{
    int t = terminal_width < 79 ? 79 : terminal_width;
    if (device_count == 0) return 79;
    int panels = t >= 100 ? t : 79; /* the device and host panels */
    if (proc_count == 0) {
        panels = panels < 79 ? panels : 79;
    } else {
        int want = 0;
        for (size_t i = 0; i < proc_count; i++) {
            int w = 45 + (int)rpt_width(procs[i].host_info);
            want = w > want ? w : want;
        }
        want = want < t ? want : t;
        panels = panels < want ? panels : want;
    }
    int cap = t < 140 ? t : 140;
    return panels > cap ? panels : cap;
}

static int rule(styled_t *out, const char *left, const char *fill, const char *right, int width)
{
    if (sty_puts(out, left) < 0) return -1;
    for (int i = 0; i < width - 2; i++)
        if (sty_puts(out, fill) < 0) return -1;
    return sty_printf(out, "%s\n", right);
}

/* "│ Processes:            user@host │" with the user (yellow for root), '@' and host bold. */
static int context_line(const rpt_ctx_t *ctx, styled_t *out)
{
    const nvitop_host_snapshot_t *h = &ctx->snap->host;
    const char *user = NVITOP_HAS(h->username) && h->username.value ? h->username.value : "N/A";
    const char *host = NVITOP_HAS(h->hostname) && h->hostname.value ? h->hostname.value : "N/A";
    strbuf_t hostname = {0}, line = {0};
    int rc = strbuf_printf(&hostname, "%s%s", host, ctx->opt->wsl ? " (WSL)" : "");
    long ctx_width =
        (long)rpt_width(user) + 1 + (long)rpt_width(hostname.data ? hostname.data : "");
    /* Python cuts the plain line by code points, then appends the coloured context. */
    long keep = ctx->width - 2 - ctx_width;
    rc = rc ? rc : strbuf_puts(&line, "│ Processes:");
    for (long i = (long)rpt_codepoints(line.data ? line.data : ""); rc == 0 && i < ctx->width - 2;
         i++)
        rc = strbuf_putc(&line, ' ');
    for (const char *s = line.data; rc == 0 && s && *s && keep > 0; keep--) {
        uint32_t cp;
        size_t n = utf8_decode(s, &cp);
        rc = sty_append(out, s, n);
        s += n;
    }
    bool root = strcmp(user, "root") == 0;
    rc = rc ? rc : sty_colored(out, user, strlen(user), root ? RPT_YELLOW : RPT_MAGENTA, RPT_BOLD);
    rc = rc ? rc : sty_colored(out, "@", 1, RPT_NOCOLOR, RPT_BOLD);
    rc = rc ? rc : sty_colored(out, hostname.data, hostname.len, RPT_GREEN, RPT_BOLD);
    rc = rc ? rc : sty_puts(out, " │\n");
    strbuf_fini(&hostname);
    strbuf_fini(&line);
    return rc;
}

static int header(const rpt_ctx_t *ctx, styled_t *out)
{
    int rc = rule(out, "╒", "═", "╕", ctx->width);
    rc = rc ? rc : context_line(ctx, out);
    strbuf_t heads = {0};
    rc =
        rc ? rc : strbuf_printf(&heads, "%%CPU  %%MEM  %*sTIME  COMMAND", ctx->time_length - 4, "");
    strbuf_t just = {0};
    rc = rc ? rc : rpt_ljust(&just, heads.data, (size_t)(ctx->width - 46));
    rc = rc ? rc
            : sty_printf(out, "│ GPU     PID      USER  GPU-MEM %%SM %%GMBW  %s │\n", just.data);
    strbuf_fini(&heads);
    strbuf_fini(&just);
    return rc ? rc : rule(out, "╞", "═", "╡", ctx->width);
}

int rpt_proc_prefix(strbuf_t *info, const rpt_proc_t *v, bool wsl)
{
    const nvitop_gpu_process_t *p = v->p;
    char pid[24], mem[32], sm[32], gmbw[32];
    snprintf(pid, sizeof(pid), "%u", (unsigned)p->pid);
    const char *type = nvitop_process_type_string(p->type);
    if (strcmp(type, "C+G") == 0) type = "X";
    const char *gpu_mem =
        NVITOP_HAS(p->gpu_memory_bytes)
            ? nvitop_bytes_to_human(p->gpu_memory_bytes.value, 1, mem, sizeof(mem))
        : wsl ? "WDDM:N/A"
              : "N/A";
    strbuf_t cut = {0}, user = {0};
    int rc = rpt_cut(&cut, pid, 7, ".", false);
    rc = rc ? rc : rpt_field(info, cut.data, 7, '>');
    rc = rc ? rc : strbuf_printf(info, " %s ", type);
    strbuf_reset(&cut);
    rc = rc ? rc : rpt_cut(&cut, v->username, 7, "+", false);
    rc = rc ? rc : rpt_rjust(&user, cut.data, 7);
    rc = rc ? rc : strbuf_puts(info, user.data);
    rc = rc ? rc : strbuf_putc(info, ' ');
    rc = rc ? rc : rpt_field(info, gpu_mem, 8, '>');
    snprintf(sm, sizeof(sm), "%lld", (long long)p->gpu_sm_utilization_percent.value);
    snprintf(gmbw, sizeof(gmbw), "%lld", (long long)p->gpu_memory_utilization_percent.value);
    rc = rc ? rc : strbuf_putc(info, ' ');
    rc = rc ? rc : rpt_field(info, NVITOP_HAS(p->gpu_sm_utilization_percent) ? sm : "N/A", 3, '>');
    rc = rc ? rc : strbuf_putc(info, ' ');
    rc = rc ? rc
            : rpt_field(info, NVITOP_HAS(p->gpu_memory_utilization_percent) ? gmbw : "N/A", 5, '>');
    strbuf_fini(&cut);
    strbuf_fini(&user);
    return rc;
}

bool rpt_proc_owned(const rpt_proc_t *v, const char *me)
{
    return strcmp(me, "root") == 0 || strcmp(v->username, me) == 0;
}

/* The prefix, then the host information cut to W - 45 columns. */
static int info_text(const rpt_ctx_t *ctx, const rpt_proc_t *v, strbuf_t *info)
{
    strbuf_t host = {0};
    int rc = rpt_proc_prefix(info, v, ctx->opt->wsl);
    rc = rc ? rc : strbuf_putc(info, ' ');
    rc = rc ? rc : rpt_cut(&host, v->host_info, (size_t)(ctx->width - 45), "..", false);
    rc = rc ? rc : rpt_ljust(info, host.data, (size_t)(ctx->width - 45));
    strbuf_fini(&host);
    return rc;
}

/* The coloured info part: dark for another user's process, the special command words (gone,
 * no permission, zombie) in red or yellow wherever they appear. */
static int info_colored(const rpt_proc_t *v, const char *info, bool owned, styled_t *out)
{
    if (!(v->gone || v->no_permissions || v->zombie)) {
        if (owned) return sty_puts(out, info);
        return sty_colored(out, info, strlen(info), RPT_NOCOLOR, RPT_DARK);
    }
    /* info.split(command) joined by the coloured command; nvitop 1.7 darkens the characters of
     * the whole line instead of the segments (QUIRK, docs/report.md): we darken the segments. */
    size_t n = strlen(v->command);
    int color = v->gone ? RPT_RED : RPT_YELLOW;
    for (const char *s = info;;) {
        const char *hit = strstr(s, v->command);
        size_t len = hit ? (size_t)(hit - s) : strlen(s);
        int rc = owned ? sty_append(out, s, len) : sty_colored(out, s, len, RPT_NOCOLOR, RPT_DARK);
        if (rc < 0) return -1;
        if (!hit) return 0;
        if (sty_colored(out, v->command, n, color, 0) < 0) return -1;
        s = hit + n;
    }
}

static int process_row(const rpt_ctx_t *ctx, const rpt_proc_t *v, int color, styled_t *out)
{
    const char *me = NVITOP_HAS(ctx->snap->host.username) && ctx->snap->host.username.value
                         ? ctx->snap->host.username.value
                         : "";
    char index[32];
    snprintf(index, sizeof(index), "%4s", v->display_index);
    strbuf_t info = {0};
    int rc = info_text(ctx, v, &info);
    rc = rc ? rc : sty_puts(out, "│");
    rc = rc ? rc : sty_colored(out, index, strlen(index), color, 0);
    rc = rc ? rc : sty_putc(out, ' ');
    rc = rc ? rc : info_colored(v, info.data, rpt_proc_owned(v, me), out);
    rc = rc ? rc : sty_puts(out, " │\n");
    strbuf_fini(&info);
    return rc;
}

int rpt_processes(const rpt_ctx_t *ctx, styled_t *out)
{
    if (sty_putc(out, '\n') < 0 || header(ctx, out) < 0) return -1;
    if (ctx->proc_count == 0) {
        strbuf_t msg = {0}, just = {0};
        int rc =
            strbuf_printf(&msg, " No running processes found%s ", ctx->opt->wsl ? " (in WSL)" : "");
        rc = rc ? rc : rpt_ljust(&just, msg.data, (size_t)(ctx->width - 4));
        rc = rc ? rc : sty_printf(out, "│ %s │\n", just.data);
        strbuf_fini(&msg);
        strbuf_fini(&just);
        return rc ? rc : rule(out, "╘", "═", "╛", ctx->width);
    }
    const char *prev_index = NULL;
    int prev_physical = 0, color = RPT_NOCOLOR;
    for (size_t i = 0; i < ctx->proc_count; i++) {
        const rpt_proc_t *v = &ctx->procs[i];
        int physical = v->dev ? v->dev->physical_index : -1;
        if (i > 0 && physical != prev_physical && rule(out, "├", "─", "┤", ctx->width) < 0)
            return -1;
        prev_physical = physical;
        if (!prev_index || strcmp(prev_index, v->display_index) != 0) {
            color = v->dev ? rpt_device_color(v->dev, ctx->opt) : RPT_YELLOW;
            prev_index = v->display_index;
        }
        if (process_row(ctx, v, color, out) < 0) return -1;
    }
    return rule(out, "╘", "═", "╛", ctx->width);
}
