/* SPDX-License-Identifier: Apache-2.0 */
/* The one-shot report: the date line and the three panels at the width of spec §2.1, with the
 * ASCII transliteration of -U applied to the finished text, and the device query it needs. */
#include "render/report_internal.h"

#include <stdio.h>
#include <time.h>

/* strftime('%a %b %d %H:%M:%S %Y') in local time, with English names whatever LC_TIME says. */
const char *rpt_date(char *buf, size_t len, int64_t time_unix_ns)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t seconds = time_unix_ns / (int64_t)NS_PER_SEC;
    if (time_unix_ns % (int64_t)NS_PER_SEC < 0) seconds--; /* floor, for times before 1970 */
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
        tm.tm_mon > 11)
        snprintf(buf, len, NVITOP_NA_TEXT);
    else
        snprintf(buf, len, "%s %s %02d %02d:%02d:%02d %d", days[tm.tm_wday], months[tm.tm_mon],
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
    return buf;
}

/* The date line and the three panels, as one sequence of appends. */
static int render_text(const rpt_ctx_t *ctx, styled_t *text)
{
    char date[64];
    sty_printf(text, "%s\n", rpt_date(date, sizeof(date), ctx->snap->time_unix_ns));
    rpt_devices(ctx, text);
    rpt_host(ctx, text);
    rpt_processes(ctx, text);
    return sty_error(text);
}

int render_report(const nvitop_snapshot_t *snapshot, const nvitop_gpu_process_t *const *processes,
                  size_t process_count, const report_options_t *options, strbuf_t *out)
{
    if (!snapshot || !options || !out || (process_count && !processes)) return -1;
    rpt_ctx_t ctx = {.snap = snapshot, .opt = options, .color = options->color};
    if (rpt_procs_build(snapshot, processes, process_count, &ctx.procs, &ctx.time_length) < 0)
        return -1;
    ctx.proc_count = process_count;
    ctx.width =
        rpt_print_width(options->terminal_width, snapshot->device_count, ctx.procs, ctx.proc_count);

    styled_t text = {0};
    strbuf_t ansi = {0};
    int rc = render_text(&ctx, &text);
    if (rc == 0) rc = sty_to_ansi(&text, options->color, &ansi);
    if (rc == 0 && ansi.len)
        rc = options->ascii ? rpt_ascii(out, ansi.data, ansi.len)
                            : strbuf_append(out, ansi.data, ansi.len);
    sty_fini(&text);
    strbuf_fini(&ansi);
    rpt_procs_free(ctx.procs, ctx.proc_count);
    return rc < 0 ? -1 : 0;
}

uint64_t render_report_device_query(int terminal_width)
{
    uint64_t query = NVITOP_DQ_NAME | NVITOP_DQ_BUS_ID | NVITOP_DQ_PERSISTENCE |
                     NVITOP_DQ_DISPLAY_ACTIVE | NVITOP_DQ_ECC_ERRORS | NVITOP_DQ_MIG |
                     NVITOP_DQ_FAN | NVITOP_DQ_TEMPERATURE | NVITOP_DQ_PSTATE |
                     NVITOP_DQ_POWER_USAGE | NVITOP_DQ_POWER_LIMIT | NVITOP_DQ_MEMORY |
                     NVITOP_DQ_UTILIZATION | NVITOP_DQ_COMPUTE_MODE | NVITOP_DQ_BAR1;
    /* W >= 100 exactly when T >= 100 (with devices): the bars print both clocks. */
    if (terminal_width >= 100) query |= NVITOP_DQ_CLOCK_SM | NVITOP_DQ_CLOCK_MEMORY;
    return query;
}
