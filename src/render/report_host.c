/* SPDX-License-Identifier: Apache-2.0 */
/* The two host lines of the report (spec §2.3): CPU with uptime and the load average, memory
 * with its use and swap, as bar charts in brackets. */
#include "render/report_internal.h"

#include <nvitop/format.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* One load average value in five columns: f"{v:5.2f}"[:5], "9999+" from 10000 on. nvitop shows
 * an unknown load as "9999+" too (NA compares above every number); we show N/A. */
void rpt_load_value(char *buf, size_t len, nvitop_real_t v)
{
    char full[64];
    if (!NVITOP_HAS(v) || !isfinite(v.value)) {
        snprintf(buf, len, "  " NVITOP_NA_TEXT);
        return;
    }
    if (v.value >= 10000.0) {
        snprintf(buf, len, "9999+");
        return;
    }
    snprintf(full, sizeof(full), "%5.2f", v.value);
    snprintf(buf, len, "%.5s", full);
}

/* "[ <bar> ]" in a colour, bold. */
static void bracket(styled_t *out, const char *prefix, rpt_percent_t pct, int width,
                    const char *extra, int color)
{
    strbuf_t text = {0};
    strbuf_puts(&text, "[ ");
    /* one blank more than the single space the chart puts between the two texts */
    rpt_bar_chart(&text, prefix, pct, width, extra, false, " ");
    strbuf_puts(&text, " ]");
    sty_colored_buf(out, &text, color, RPT_BOLD);
    strbuf_fini(&text);
}

int rpt_host_lines(styled_t *out, const nvitop_host_snapshot_t *h, int width)
{
    char v1[16], v2[16], v3[16], load[96], uptime[48], used[48], extra[80];
    rpt_load_value(v1, sizeof(v1), h->load_average_1m);
    rpt_load_value(v2, sizeof(v2), h->load_average_5m);
    rpt_load_value(v3, sizeof(v3), h->load_average_15m);
    snprintf(load, sizeof(load), "( Load Average: %s %s %s )", v1, v2, v3);

    int width_right = (int)strlen(load); /* len("Load Average: …") + 4 */
    int width_left = width - 2 - width_right;

    if (NVITOP_HAS(h->uptime_s))
        nvitop_duration_to_human(h->uptime_s.value, true, uptime, sizeof(uptime));
    else
        snprintf(uptime, sizeof(uptime), NVITOP_NA_TEXT);
    snprintf(extra, sizeof(extra), "UPTIME: %s", uptime);
    bracket(out, "CPU", rpt_pct_real(h->cpu_percent), width_left - 4, extra, RPT_CYAN);
    sty_puts(out, "  ");
    sty_colored(out, load, strlen(load), RPT_NOCOLOR, RPT_BOLD);
    sty_putc(out, '\n');

    if (NVITOP_HAS(h->memory_used_bytes))
        nvitop_bytes_to_human(h->memory_used_bytes.value, NVITOP_GiB, used, sizeof(used));
    else
        snprintf(used, sizeof(used), NVITOP_NA_TEXT);
    snprintf(extra, sizeof(extra), "USED: %s", used);
    bracket(out, "MEM", rpt_pct_real(h->memory_percent), width_left - 4, extra, RPT_MAGENTA);
    sty_puts(out, "  ");
    bracket(out, "SWP", rpt_pct_real(h->swap_percent), width_right - 4, NULL, RPT_BLUE);
    sty_putc(out, '\n');
    return sty_error(out);
}

int rpt_host(const rpt_ctx_t *ctx, styled_t *out)
{
    return rpt_host_lines(out, &ctx->snap->host, ctx->width);
}
