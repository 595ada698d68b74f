/* SPDX-License-Identifier: Apache-2.0 */
/* The process table of the report (spec §2.4): the user@host line, one row per GPU process in
 * natural order, separators between physical GPUs, and the special rows of processes the host
 * cannot show (gone, no permission, zombie). */
#include "render/report_internal.h"
#include "render/workloads.h"

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
    if (!NVITOP_HAS(cpu) || !isfinite(cpu.value)) return NVITOP_NA_TEXT;
    if (cpu.value < 1000.0)
        format_fixed(buf, len, cpu.value, 1);
    else if (cpu.value < 10000.0)
        snprintf(buf, len, "%lld", (long long)cpu.value); /* int(): truncates */
    else
        snprintf(buf, len, "9999+");
    return buf;
}

static const char *percent1_text(char *buf, size_t len, nvitop_real_t v)
{
    if (!NVITOP_HAS(v) || !isfinite(v.value)) return NVITOP_NA_TEXT;
    format_fixed(buf, len, v.value, 1);
    return buf;
}

static const char *time_text(char *buf, size_t len, nvitop_real_t seconds)
{
    if (!NVITOP_HAS(seconds)) return NVITOP_NA_TEXT;
    return nvitop_duration_to_human(seconds.value, false, buf, len);
}

/* What the host lets us say of a process: gone (any failure but a refusal), refused, zombie
 * (words.h decides the command text and its colour). */
static void classify(const nvitop_snapshot_t *snap, rpt_proc_t *v)
{
    const nvitop_host_process_t *h = &v->p->host;
    v->unreadable = rpt_unreadable(h);
    v->gone = h->na != NVITOP_NA_NONE && v->unreadable != RPT_NO_PERMISSIONS;
    v->command = rpt_process_command(h);
    const nvitop_workload_t *w = render_workload_of(snap, v->p);
    if (v->gone && w && w->kind == NVITOP_WORKLOAD_OTHER_NAMESPACE) /* not gone: elsewhere */
        v->command = render_workload_label(w);
    v->username = !v->gone && NVITOP_HAS(h->username) && h->username.value ? h->username.value
                                                                           : NVITOP_NA_TEXT;
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

/* Appends s right-aligned in `width` bytes (printf's %*s). */
static char *put_right(char *at, const char *s, int width)
{
    size_t n = strlen(s);
    for (int i = (int)n; i < width; i++)
        *at++ = ' ';
    memcpy(at, s, n);
    return at + n;
}

/* "{cpu:>5} {mem:>5}  {time:>time_length}  {command}", assembled without printf: it is built
 * for every process of every refresh. */
static int host_info(rpt_proc_t *v, int time_length)
{
    const nvitop_host_process_t *h = &v->p->host;
    char cpu[32], mem[32], when[48], head[32 + 1 + 32 + 2 + 64 + 2];
    bool known = !v->gone;
    const char *t = known ? time_text(when, sizeof(when), h->running_time_s) : NVITOP_NA_TEXT;
    if (time_length > 64) time_length = 64; /* a duration is 47 bytes at most */
    char *at =
        put_right(head, known ? cpu_text(cpu, sizeof(cpu), h->cpu_percent) : NVITOP_NA_TEXT, 5);
    *at++ = ' ';
    at = put_right(at, known ? percent1_text(mem, sizeof(mem), h->memory_percent) : NVITOP_NA_TEXT,
                   5);
    at = put_right(at, "", 2);
    at = put_right(at, t, time_length);
    at = put_right(at, "", 2);
    size_t head_len = (size_t)(at - head), command_len = strlen(v->command);
    v->host_info = malloc(head_len + command_len + 1);
    if (!v->host_info) return -1;
    memcpy(v->host_info, head, head_len);
    memcpy(v->host_info + head_len, v->command, command_len + 1);
    return 0;
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
            char *at = v[i].display_index; /* "%d" or "%d:%d", 24 bytes: room for both */
            at += format_ll(at, v[i].dev->physical_index);
            if (v[i].dev->is_mig) {
                *at++ = ':';
                format_ll(at, v[i].dev->mig_index);
            }
        } else {
            snprintf(v[i].display_index, sizeof(v[i].display_index), NVITOP_NA_TEXT);
        }
        classify(snap, &v[i]);
        if (make_printable(&v[i]) < 0) {
            rpt_procs_free(v, count);
            return -1;
        }
        const char *t =
            v[i].gone ? NVITOP_NA_TEXT : time_text(when, sizeof(when), v[i].p->host.running_time_s);
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
            int w = RPT_PROC_NON_HOST + (int)rpt_width(procs[i].host_info);
            want = w > want ? w : want;
        }
        want = want < t ? want : t;
        panels = panels < want ? panels : want;
    }
    int cap = t < 140 ? t : 140;
    return panels > cap ? panels : cap;
}

static void rule(styled_t *out, const char *left, const char *fill, const char *right, int width)
{
    sty_puts(out, left);
    for (int i = 0; i < width - 2; i++)
        sty_puts(out, fill);
    sty_printf(out, "%s\n", right);
}

/* "│ Processes:            user@host │" with the user (yellow for root), '@' and host bold. */
static void context_line(const rpt_ctx_t *ctx, styled_t *out)
{
    const nvitop_host_snapshot_t *h = &ctx->snap->host;
    const char *user =
        NVITOP_HAS(h->username) && h->username.value ? h->username.value : NVITOP_NA_TEXT;
    const char *host =
        NVITOP_HAS(h->hostname) && h->hostname.value ? h->hostname.value : NVITOP_NA_TEXT;
    strbuf_t hostname = {0}, line = {0};
    strbuf_printf(&hostname, "%s%s", host, ctx->opt->wsl ? " (WSL)" : "");
    long ctx_width = (long)rpt_width(user) + 1 + (long)rpt_width(strbuf_str(&hostname));
    /* Python cuts the plain line by code points, then appends the coloured context. */
    long keep = ctx->width - 2 - ctx_width;
    strbuf_puts(&line, "│ Processes:");
    for (long i = (long)rpt_codepoints(strbuf_str(&line)); i < ctx->width - 2; i++)
        strbuf_putc(&line, ' ');
    strbuf_keep_error(&out->text, &line);
    for (const char *s = strbuf_str(&line); *s && keep > 0; keep--) {
        uint32_t cp;
        size_t n = utf8_decode(s, &cp);
        sty_append(out, s, n);
        s += n;
    }
    bool root = strcmp(user, "root") == 0;
    sty_colored(out, user, strlen(user), root ? RPT_YELLOW : RPT_MAGENTA, RPT_BOLD);
    sty_colored(out, "@", 1, RPT_NOCOLOR, RPT_BOLD);
    sty_colored_buf(out, &hostname, RPT_GREEN, RPT_BOLD);
    sty_puts(out, " │\n");
    strbuf_fini(&hostname);
    strbuf_fini(&line);
}

static void header(const rpt_ctx_t *ctx, styled_t *out)
{
    rule(out, "╒", "═", "╕", ctx->width);
    context_line(ctx, out);
    strbuf_t heads = {0}, just = {0};
    strbuf_printf(&heads, "%%CPU  %%MEM  %*sTIME  COMMAND", ctx->time_length - 4, "");
    rpt_ljust(&just, strbuf_str(&heads), (size_t)(ctx->width - RPT_PROC_NON_HOST - 1));
    strbuf_keep_error(&just, &heads);
    sty_puts(out, "│ GPU     PID      USER  GPU-MEM %SM %GMBW  ");
    sty_put_buf(out, &just);
    sty_puts(out, " │\n");
    strbuf_fini(&heads);
    strbuf_fini(&just);
    rule(out, "╞", "═", "╡", ctx->width);
}

int rpt_proc_prefix(strbuf_t *info, const rpt_proc_t *v, bool wsl)
{
    const nvitop_gpu_process_t *p = v->p;
    char pid[24], mem[32], sm[32], gmbw[32];
    format_ll(pid, (long long)p->pid);
    const char *type = nvitop_process_type_string(p->type);
    if (strcmp(type, "C+G") == 0) type = "X";
    const char *gpu_mem =
        NVITOP_HAS(p->gpu_memory_bytes)
            ? nvitop_bytes_to_human(p->gpu_memory_bytes.value, 1, mem, sizeof(mem))
        : wsl ? "WDDM:" NVITOP_NA_TEXT
              : NVITOP_NA_TEXT;
    strbuf_t cut = {0}, user = {0};
    rpt_cut(&cut, pid, 7, ".", false);
    rpt_field(info, strbuf_str(&cut), 7, '>');
    strbuf_keep_error(info, &cut);
    strbuf_putc(info, ' ');
    strbuf_puts(info, type);
    strbuf_putc(info, ' ');
    strbuf_reset(&cut);
    rpt_cut(&cut, v->username, 7, "+", false);
    rpt_rjust(&user, strbuf_str(&cut), 7);
    strbuf_keep_error(&user, &cut);
    strbuf_put_buf(info, &user);
    strbuf_putc(info, ' ');
    rpt_field(info, gpu_mem, 8, '>');
    format_ll(sm, (long long)p->gpu_sm_utilization_percent.value);
    format_ll(gmbw, (long long)p->gpu_memory_utilization_percent.value);
    strbuf_putc(info, ' ');
    rpt_field(info, NVITOP_HAS(p->gpu_sm_utilization_percent) ? sm : NVITOP_NA_TEXT, 3, '>');
    strbuf_putc(info, ' ');
    rpt_field(info, NVITOP_HAS(p->gpu_memory_utilization_percent) ? gmbw : NVITOP_NA_TEXT, 5, '>');
    strbuf_fini(&cut);
    strbuf_fini(&user);
    return strbuf_error(info);
}

bool rpt_proc_owned(const rpt_proc_t *v, const char *me)
{
    return strcmp(me, "root") == 0 || strcmp(v->username, me) == 0;
}

/* The prefix, then the host information cut to W - 45 columns. */
static void info_text(const rpt_ctx_t *ctx, const rpt_proc_t *v, strbuf_t *info)
{
    strbuf_t host = {0};
    rpt_proc_prefix(info, v, ctx->opt->wsl);
    strbuf_putc(info, ' ');
    rpt_cut(&host, v->host_info, (size_t)(ctx->width - RPT_PROC_NON_HOST), "..", false);
    rpt_ljust(info, strbuf_str(&host), (size_t)(ctx->width - RPT_PROC_NON_HOST));
    strbuf_keep_error(info, &host);
    strbuf_fini(&host);
}

/* The coloured info part: dark for another user's process, the special command words (gone,
 * no permission, zombie) in their colour (words.h) wherever they appear. */
static void info_colored(const rpt_proc_t *v, const char *info, bool owned, styled_t *out)
{
    if (v->unreadable == RPT_READABLE) {
        if (owned)
            sty_puts(out, info);
        else
            sty_colored(out, info, strlen(info), RPT_NOCOLOR, RPT_DARK);
        return;
    }
    /* info.split(command) joined by the coloured command; nvitop 1.7 darkens the characters of
     * the whole line instead of the segments (QUIRK, docs/report.md): we darken the segments. */
    size_t n = strlen(v->command);
    int color = rpt_unreadable_color(v->unreadable);
    for (const char *s = info;;) {
        const char *hit = strstr(s, v->command);
        size_t len = hit ? (size_t)(hit - s) : strlen(s);
        if (owned)
            sty_append(out, s, len);
        else
            sty_colored(out, s, len, RPT_NOCOLOR, RPT_DARK);
        if (!hit) return;
        sty_colored(out, v->command, n, color, 0);
        s = hit + n;
    }
}

static void process_row(const rpt_ctx_t *ctx, const rpt_proc_t *v, int color, styled_t *out)
{
    const char *me = NVITOP_HAS(ctx->snap->host.username) && ctx->snap->host.username.value
                         ? ctx->snap->host.username.value
                         : "";
    char index[32];
    *put_right(index, v->display_index, 4) = '\0'; /* "%4s": 24 bytes at most */
    strbuf_t info = {0};
    info_text(ctx, v, &info);
    strbuf_keep_error(&out->text, &info);
    sty_puts(out, "│");
    sty_colored(out, index, strlen(index), color, 0);
    sty_putc(out, ' ');
    info_colored(v, strbuf_str(&info), rpt_proc_owned(v, me), out);
    sty_puts(out, " │\n");
    strbuf_fini(&info);
}

static void no_processes(const rpt_ctx_t *ctx, styled_t *out)
{
    strbuf_t msg = {0}, just = {0};
    strbuf_printf(&msg, " No running processes found%s ", ctx->opt->wsl ? " (in WSL)" : "");
    rpt_ljust(&just, strbuf_str(&msg), (size_t)(ctx->width - 4));
    strbuf_keep_error(&just, &msg);
    sty_puts(out, "│ ");
    sty_put_buf(out, &just);
    sty_puts(out, " │\n");
    strbuf_fini(&msg);
    strbuf_fini(&just);
}

int rpt_processes(const rpt_ctx_t *ctx, styled_t *out)
{
    sty_putc(out, '\n');
    header(ctx, out);
    if (ctx->proc_count == 0) no_processes(ctx, out);
    const char *prev_index = NULL;
    int prev_physical = 0, color = RPT_NOCOLOR;
    for (size_t i = 0; i < ctx->proc_count; i++) {
        const rpt_proc_t *v = &ctx->procs[i];
        int physical = v->dev ? v->dev->physical_index : -1;
        if (i > 0 && physical != prev_physical) rule(out, "├", "─", "┤", ctx->width);
        prev_physical = physical;
        if (!prev_index || strcmp(prev_index, v->display_index) != 0) {
            color = v->dev ? rpt_device_color(v->dev, ctx->opt) : RPT_YELLOW;
            prev_index = v->display_index;
        }
        process_row(ctx, v, color, out);
    }
    rule(out, "╘", "═", "╛", ctx->width);
    return sty_error(out);
}
