/* SPDX-License-Identifier: Apache-2.0 */
/* The device table of the report (spec §2.2): the header with the version line, two lines per
 * physical GPU, one per MIG device, and from W = 100 on the bar charts to the right. */
#include "render/report_internal.h"

#include <nvitop/format.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The text inside a full-width line's "│ " and " │". */
#define INNER_WIDTH (RPT_FIXED_WIDTH - 4)

#define BOX_TOP "╒═════════════════════════════════════════════════════════════════════════════╕"
#define BOX_SPLIT "├───────────────────────────────┬──────────────────────┬──────────────────────┤"
#define BOX_HEAD1 "│ GPU  Name        Persistence-M│ Bus-Id        Disp.A │ Volatile Uncorr. ECC │"
#define BOX_HEAD1_MIG                                                                              \
    "│ GPU  Name        Persistence-M│ Bus-Id        Disp.A │ MIG M.   Uncorr. ECC │"
#define BOX_HEAD2 "│ Fan  Temp  Perf  Pwr:Usage/Cap│         Memory-Usage │ GPU-Util  Compute M. │"
/* The next three lack their last glyph: the wide table continues them. */
#define BOX_OPEN "╞═══════════════════════════════╪══════════════════════╪══════════════════════"
#define BOX_SEP "├───────────────────────────────┼──────────────────────┼──────────────────────"
#define BOX_CLOSE "╘═══════════════════════════════╧══════════════════════╧══════════════════════"

static int columns_of(const rpt_bars_t *b, const nvitop_device_snapshot_t *d)
{
    return b->split && !d->is_mig ? 2 : 1;
}

static void repeat(styled_t *out, const char *glyph, int n)
{
    for (int i = 0; i < n; i++)
        sty_puts(out, glyph);
}

/* A border line: `base` plus its own last glyph, or in the wide table `junction`, the fill
 * (split by `mid` over two columns when mid is not NULL) and `end`. */
static void border(styled_t *out, const rpt_bars_t *b, const char *base, const char *last,
                   const char *junction, const char *fill, const char *mid, const char *end)
{
    sty_puts(out, base);
    if (!b->on) {
        sty_printf(out, "%s\n", last);
        return;
    }
    sty_puts(out, junction);
    if (mid) {
        repeat(out, fill, b->left + 2);
        sty_puts(out, mid);
        repeat(out, fill, b->right + 2);
    } else {
        repeat(out, fill, b->rem - 1);
    }
    sty_printf(out, "%s\n", end);
}

static void separator(styled_t *out, const rpt_bars_t *b, int above, int below)
{
    const char *mid = NULL;
    if (above == 2 && below == 2)
        mid = "┼";
    else if (above == 2)
        mid = "┴";
    else if (below == 2)
        mid = "┬";
    border(out, b, BOX_SEP, "┤", "┼", "─", mid, "┤");
}

static const char *int_text(char *buf, size_t len, nvitop_int_t v, const char *suffix)
{
    if (!NVITOP_HAS(v)) return NVITOP_NA_TEXT;
    snprintf(buf, len, "%lld%s", (long long)v.value, suffix);
    return buf;
}

static const char *bytes_text(char *buf, size_t len, nvitop_int_t v)
{
    if (!NVITOP_HAS(v)) return NVITOP_NA_TEXT;
    return nvitop_bytes_to_human(v.value, 1, buf, len);
}

const char *rpt_watts(char *buf, size_t len, nvitop_int_t mw)
{
    if (!NVITOP_HAS(mw)) return NVITOP_NA_TEXT;
    snprintf(buf, len, "%.0fW", rpt_round((double)mw.value / 1000.0) + 0.0);
    return buf;
}

/* Enabled/Disabled as On/Off. */
static const char *on_off(nvitop_int_t v)
{
    const char *s = NVITOP_HAS(v) ? nvitop_enable_state_string(v.value) : NULL;
    if (!s) return NVITOP_NA_TEXT;
    return v.value == NVITOP_ENABLED ? "On" : "Off";
}

static const char *compute_mode_text(nvitop_int_t v)
{
    switch (NVITOP_HAS(v) ? v.value : -1) {
    case NVITOP_COMPUTE_MODE_DEFAULT:
        return "Default";
    case NVITOP_COMPUTE_MODE_EXCLUSIVE_THREAD:
        return "E. Thread";
    case NVITOP_COMPUTE_MODE_PROHIBITED:
        return "Prohibited";
    case NVITOP_COMPUTE_MODE_EXCLUSIVE_PROCESS:
        return "E. Process";
    default:
        return NVITOP_NA_TEXT;
    }
}

/* nvitop -1 meets a lost GPU when it opens the device and names it so; our snapshot may
 * still hold the cached name, so any of the live answers saying so counts. */
const char *rpt_device_name(const nvitop_device_snapshot_t *d)
{
    return rpt_device_label(&d->name, rpt_device_lost(d), false);
}

static bool is_error(const nvitop_device_snapshot_t *d)
{
    return str_starts_with(rpt_device_name(d), "ERROR:");
}

/* The colours of a device (spec §2.6): overall, of its memory and of its GPU load. */
static int memory_color(const nvitop_device_snapshot_t *d, const report_options_t *opt)
{
    return is_error(d) ? RPT_RED
                       : rpt_load_color(rpt_pct_real(d->memory_percent), opt->mem_thresholds);
}

static int gpu_color(const nvitop_device_snapshot_t *d, const report_options_t *opt)
{
    return is_error(d)
               ? RPT_RED
               : rpt_load_color(rpt_pct_int(d->gpu_utilization_percent), opt->gpu_thresholds);
}

static int severity(int color)
{
    return color == RPT_RED ? 2 : color == RPT_YELLOW ? 1 : 0;
}

int rpt_device_color(const nvitop_device_snapshot_t *d, const report_options_t *opt)
{
    int mem = memory_color(d, opt);
    if (d->is_mig) return mem;
    int gpu = gpu_color(d, opt);
    return severity(gpu) > severity(mem) ? gpu : mem;
}

/* Name without the vendor prefix: the tail cut to 19 columns, or a MIG profile. */
static void name_text(strbuf_t *out, const nvitop_device_snapshot_t *d)
{
    const char *name = rpt_device_name(d);
    if (str_starts_with(name, "NVIDIA ")) name += strlen("NVIDIA ");
    if (d->is_mig) {
        const char *space = strrchr(name, ' ');
        strbuf_puts(out, space ? space + 1 : name);
        return;
    }
    rpt_cut(out, name, 19, "..", true);
}

/* Emits a plain row with each │-delimited cell wrapped in the device colour. */
static void colorize_row(styled_t *out, const char *row, int color)
{
    static const char bar[] = "│";
    const char *cell = row;
    for (;;) {
        const char *next = strstr(cell, bar);
        size_t len = next ? (size_t)(next - cell) : strlen(cell);
        if (len > 0) sty_colored(out, cell, len, color, 0);
        if (!next) return;
        sty_puts(out, bar);
        cell = next + strlen(bar);
    }
}

/* nvitop's power_utilization(): the percentage rounded to one decimal, which the bar and its
 * colour are drawn from. */
static rpt_percent_t power_percent(const nvitop_device_snapshot_t *d)
{
    rpt_percent_t p = rpt_pct_real(d->power_percent);
    if (p.valid) p.value = round_digits(p.value, 1);
    return p;
}

int rpt_metric_color(const nvitop_device_snapshot_t *d, rpt_metric_t metric,
                     const report_options_t *opt)
{
    switch (metric) {
    case RPT_BAR_MEM:
        return memory_color(d, opt);
    case RPT_BAR_UTL:
        return gpu_color(d, opt);
    case RPT_BAR_MBW:
        return is_error(d) ? RPT_RED
                           : rpt_load_color(rpt_pct_int(d->memory_utilization_percent),
                                            opt->mem_thresholds);
    default:
        return is_error(d) ? RPT_RED : rpt_load_color(power_percent(d), opt->gpu_thresholds);
    }
}

int rpt_device_bar(styled_t *out, const nvitop_device_snapshot_t *d, rpt_metric_t metric, int width,
                   const report_options_t *opt)
{
    static const char *const prefixes[] = {"MEM", "UTL", "MBW", "PWR"};
    char extra[48], num[32];
    rpt_percent_t pct;
    bool swap = metric == RPT_BAR_MEM || metric == RPT_BAR_PWR;
    switch (metric) {
    case RPT_BAR_MEM:
        pct = rpt_pct_real(d->memory_percent);
        snprintf(extra, sizeof(extra), "%s", bytes_text(num, sizeof(num), d->memory_used_bytes));
        break;
    case RPT_BAR_UTL:
        pct = rpt_pct_int(d->gpu_utilization_percent);
        snprintf(extra, sizeof(extra), "@ %sMHz", int_text(num, sizeof(num), d->clock_sm_mhz, ""));
        break;
    case RPT_BAR_MBW:
        pct = rpt_pct_int(d->memory_utilization_percent);
        snprintf(extra, sizeof(extra), "@ %sMHz",
                 int_text(num, sizeof(num), d->clock_memory_mhz, ""));
        break;
    default:
        pct = power_percent(d);
        snprintf(extra, sizeof(extra), "%s", rpt_watts(num, sizeof(num), d->power_usage_mw));
        break;
    }
    strbuf_t bar = {0};
    /* an unknown clock or size says nothing; nvitop's device bars keep one blank more
     * between the two texts (extra_blank=' ') */
    rpt_bar_chart(&bar, prefixes[metric], pct, width, strstr(extra, NVITOP_NA_TEXT) ? NULL : extra,
                  swap, " ");
    sty_colored_buf(out, &bar, rpt_metric_color(d, metric, opt), 0);
    strbuf_fini(&bar);
    return sty_error(out);
}

/* One table being written: the report's, or the monitor's in either form. */
typedef struct table {
    styled_t *out;
    const report_options_t *opt;
    rpt_bars_t b;
    bool compact, mig_column, pstate_right;
    int *line_device; /* per line: the device position, -1 for the frame; or NULL */
    int lines;
    int max_lines; /* no device row starts from this line on */
} table_t;

/* One bar cell: " <bar> │". */
static void bar_cell(table_t *t, const nvitop_device_snapshot_t *d, rpt_metric_t metric, int width)
{
    sty_putc(t->out, ' ');
    rpt_device_bar(t->out, d, metric, width, t->opt);
    sty_puts(t->out, " │");
}

/* Ends a line of the table, remembering which device it shows (-1: the frame). */
static void end_line(table_t *t, int device)
{
    if (t->line_device) t->line_device[t->lines] = device;
    t->lines++;
    sty_putc(t->out, '\n');
}

/* The bars right of row `row` of a device (the compact form shows MEM and UTL side by side),
 * then the end of the line. */
static void row_bars(table_t *t, const nvitop_device_snapshot_t *d, int row, int device)
{
    const rpt_bars_t *b = &t->b;
    if (b->on) {
        static const rpt_metric_t full[2][2] = {{RPT_BAR_MEM, RPT_BAR_MBW},
                                                {RPT_BAR_UTL, RPT_BAR_PWR}};
        static const rpt_metric_t compact[2] = {RPT_BAR_MEM, RPT_BAR_UTL};
        bool two = columns_of(b, d) == 2;
        const rpt_metric_t *pair = t->compact ? compact : full[row];
        bar_cell(t, d, pair[0], two ? b->left : b->single);
        if (two) bar_cell(t, d, pair[1], b->right);
    }
    end_line(t, device);
}

/* The columns of the rows, as nvitop's format strings lay them out (spec §2.2). */
enum {
    NAME_COLS = 19,    /* "{name:<19}" */
    ON_OFF_COLS = 4,   /* persistence mode */
    BUS_ID_COLS = 16,  /* "{bus_id:<16}" */
    DISPLAY_COLS = 3,  /* display active */
    MIG_MODE_COLS = 8, /* "{mig_mode:>8}" */
    MIG_ECC_COLS = 10, /* the ECC count beside the MIG mode */
    ECC_COLS = 20,     /* the ECC count alone */
    FAN_COLS = 3,
    TEMP_COLS = 4,
    PSTATE_COLS = 3,      /* the compact row's "{pstate:<3}" */
    PSTATE_FULL_COLS = 4, /* the full row's "{pstate:^4}" */
    POWER_COLS = 13,      /* "12W / 250W" */
    MEMORY_COLS = 20,     /* "1234MiB / 40960MiB" */
    UTIL_COLS = 7,        /* GPU-Util */
    COMPUTE_COLS = 11,    /* Compute M. */
    MIG_INDEX_COLS = 2,   /* "{gi:<2}" after "0:" */
    MIG_NAME_COLS = 12,   /* the MIG profile */
    MIG_ID_COLS = 2,      /* GI and CI ids */
    BAR1_COLS = 8,
    BAR1_PCT_COLS = 3
};

/* Formats the first line of a physical GPU into `row`. */
static void physical_line1(strbuf_t *row, const nvitop_device_snapshot_t *d, bool mig_column)
{
    char buf[32];
    strbuf_t name = {0};
    name_text(&name, d);
    strbuf_keep_error(row, &name);
    strbuf_printf(row, "│ %3d  ", d->physical_index);
    rpt_field(row, strbuf_str(&name), NAME_COLS, '<');
    strbuf_putc(row, ' ');
    rpt_field(row, on_off(d->persistence_mode), ON_OFF_COLS, '>');
    strbuf_puts(row, " │ ");
    rpt_field(row, NVITOP_HAS(d->bus_id) && d->bus_id.value ? d->bus_id.value : NVITOP_NA_TEXT,
              BUS_ID_COLS, '<');
    strbuf_putc(row, ' ');
    rpt_field(row, on_off(d->display_active), DISPLAY_COLS, '>');
    strbuf_puts(row, " │ ");
    const char *ecc = int_text(buf, sizeof(buf), d->ecc_errors_volatile_uncorrected, "");
    if (mig_column) {
        const char *mode =
            NVITOP_HAS(d->mig_mode) ? nvitop_enable_state_string(d->mig_mode.value) : NULL;
        rpt_field(row, mode ? mode : NVITOP_NA_TEXT " ", MIG_MODE_COLS, '>');
        strbuf_puts(row, "  ");
        rpt_field(row, ecc, MIG_ECC_COLS, '>');
    } else {
        rpt_field(row, ecc, ECC_COLS, '>');
    }
    strbuf_puts(row, " │");
    strbuf_fini(&name);
}

/* The second full line, or with `compact` the monitor's single line: they share everything
 * right of the first cell. */
static void physical_line2(strbuf_t *row, const nvitop_device_snapshot_t *d, bool compact,
                           bool pstate_right)
{
    char fan[16], temp[32], pstate[32], usage[32], limit[32], used[32], total[32], util[32];
    const char *fan_text = int_text(fan, sizeof(fan), d->fan_speed_percent, "%");
    if (NVITOP_HAS(d->fan_speed_percent) && d->fan_speed_percent.value >= 100) fan_text = "MAX";
    const char *perf = NVITOP_NA_TEXT;
    if (NVITOP_HAS(d->performance_state)) {
        snprintf(pstate, sizeof(pstate), "P%lld", (long long)d->performance_state.value);
        perf = pstate;
    }
    const char *celsius = int_text(temp, sizeof(temp), d->temperature_c, "C");
    strbuf_puts(row, "│ ");
    if (compact) { /* "{idx:>3} {fan:>3} {temp:>4} {pstate:<3}" */
        strbuf_printf(row, "%3d ", d->physical_index);
        rpt_field(row, fan_text, FAN_COLS, '>');
        strbuf_putc(row, ' ');
        rpt_field(row, celsius, TEMP_COLS, '>');
        strbuf_putc(row, ' ');
        rpt_field(row, perf, PSTATE_COLS, pstate_right ? '>' : '<');
    } else { /* "{fan:>3}  {temp:>4}  {pstate:^4} " */
        rpt_field(row, fan_text, FAN_COLS, '>');
        strbuf_puts(row, "  ");
        rpt_field(row, celsius, TEMP_COLS, '>');
        strbuf_puts(row, "  ");
        rpt_field(row, perf, PSTATE_FULL_COLS, '^');
        strbuf_putc(row, ' ');
    }
    char power[80];
    snprintf(power, sizeof(power), "%s / %s", rpt_watts(usage, sizeof(usage), d->power_usage_mw),
             rpt_watts(limit, sizeof(limit), d->power_limit_mw));
    rpt_field(row, power, POWER_COLS, '>');
    strbuf_puts(row, " │ ");
    char memory[80];
    snprintf(memory, sizeof(memory), "%s / %s",
             bytes_text(used, sizeof(used), d->memory_used_bytes),
             bytes_text(total, sizeof(total), d->memory_total_bytes));
    rpt_field(row, memory, MEMORY_COLS, '>');
    strbuf_puts(row, " │ ");
    rpt_field(row, int_text(util, sizeof(util), d->gpu_utilization_percent, "%"), UTIL_COLS, '>');
    strbuf_puts(row, "  ");
    rpt_field(row, compute_mode_text(d->compute_mode), COMPUTE_COLS, '>');
    strbuf_puts(row, " │");
}

static void mig_line(strbuf_t *row, const nvitop_device_snapshot_t *d)
{
    char gi[32], ci[32], used[32], total[32], bar1[32], pct[16];
    strbuf_t name = {0};
    name_text(&name, d);
    strbuf_keep_error(row, &name);
    strbuf_printf(row, "│%2d:", d->physical_index);
    snprintf(gi, sizeof(gi), "%d", d->mig_index);
    rpt_field(row, gi, MIG_INDEX_COLS, '<');
    rpt_field(row, strbuf_str(&name), MIG_NAME_COLS, '>');
    strbuf_puts(row, " @ GI/CI:");
    rpt_field(row, int_text(gi, sizeof(gi), d->gpu_instance_id, ""), MIG_ID_COLS, '>');
    strbuf_putc(row, '/');
    rpt_field(row, int_text(ci, sizeof(ci), d->compute_instance_id, ""), MIG_ID_COLS, '<');
    char memory[80];
    snprintf(memory, sizeof(memory), "%s / %8s",
             bytes_text(used, sizeof(used), d->memory_used_bytes),
             bytes_text(total, sizeof(total), d->memory_total_bytes));
    strbuf_puts(row, "│ ");
    rpt_field(row, memory, MEMORY_COLS, '>');
    strbuf_puts(row, " │ BAR1: ");
    rpt_field(row, bytes_text(bar1, sizeof(bar1), d->bar1_used_bytes), BAR1_COLS, '>');
    strbuf_puts(row, " / ");
    const char *percent = NVITOP_NA_TEXT;
    if (NVITOP_HAS(d->bar1_percent) && isfinite(d->bar1_percent.value)) {
        double r = rpt_round(d->bar1_percent.value) + 0.0;
        snprintf(pct, sizeof(pct), "%.0f%%", r);
        percent = r >= 100 ? "MAX" : pct;
    }
    rpt_field(row, percent, BAR1_PCT_COLS, '>');
    strbuf_puts(row, " │");
    strbuf_fini(&name);
}

int rpt_device_row(styled_t *out, const nvitop_device_snapshot_t *d, rpt_row_t kind,
                   bool mig_column, bool pstate_right, const report_options_t *opt)
{
    strbuf_t row = {0};
    switch (kind) {
    case RPT_ROW_FULL1:
        physical_line1(&row, d, mig_column);
        break;
    case RPT_ROW_MIG:
        mig_line(&row, d);
        break;
    default:
        physical_line2(&row, d, kind == RPT_ROW_COMPACT, pstate_right);
        break;
    }
    strbuf_keep_error(&out->text, &row);
    colorize_row(out, strbuf_str(&row), rpt_device_color(d, opt));
    strbuf_fini(&row);
    return sty_error(out);
}

/* The rows of one device with their bars. */
static void device_rows(table_t *t, const nvitop_device_snapshot_t *d, int device)
{
    int lines = d->is_mig || t->compact ? 1 : 2;
    for (int i = 0; i < lines; i++) {
        rpt_row_t kind = d->is_mig    ? RPT_ROW_MIG
                         : t->compact ? RPT_ROW_COMPACT
                         : i == 0     ? RPT_ROW_FULL1
                                      : RPT_ROW_FULL2;
        rpt_device_row(t->out, d, kind, t->mig_column, t->pstate_right, t->opt);
        row_bars(t, d, i, device);
    }
}

int rpt_version_line(styled_t *out, const nvitop_snapshot_t *s, const char *version)
{
    if (!version) version = "";
    const char *driver = NVITOP_HAS(s->driver_version) && s->driver_version.value
                             ? s->driver_version.value
                             : NVITOP_NA_TEXT;
    char cuda[48] = NVITOP_NA_TEXT;
    if (NVITOP_HAS(s->cuda_driver_version))
        nvitop_cuda_version_string(s->cuda_driver_version.value, cuda, sizeof(cuda));
    strbuf_t items[3] = {{0}, {0}, {0}}, line = {0}, just = {0};
    strbuf_printf(&items[0], "NVITOP %.*s", (int)strcspn(version, "+"), version);
    strbuf_printf(&items[1], "Driver Version: %s", driver);
    strbuf_printf(&items[2], "CUDA Driver Version: %s", cuda);
    size_t total = 0;
    for (int i = 0; i < 3; i++)
        total += rpt_codepoints(strbuf_str(&items[i]));
    if (total % 2 == 0) {
        strbuf_putc(&items[0], ' ');
        total++;
    }
    int room = (int)INNER_WIDTH - (int)total;
    int sep = room > 0 && room / 2 > 2 ? room / 2 : 2;
    strbuf_put_buf(&line, &items[0]);
    strbuf_printf(&line, "%*s", sep, "");
    strbuf_put_buf(&line, &items[1]);
    strbuf_printf(&line, "%*s", sep, "");
    strbuf_put_buf(&line, &items[2]);
    rpt_ljust(&just, strbuf_str(&line), INNER_WIDTH);
    strbuf_keep_error(&just, &line);
    sty_puts(out, "│ ");
    sty_put_buf(out, &just);
    sty_puts(out, " │");
    for (int i = 0; i < 3; i++)
        strbuf_fini(&items[i]);
    strbuf_fini(&line);
    strbuf_fini(&just);
    return sty_error(out);
}

bool rpt_any_mig_mode(const nvitop_device_snapshot_t *devices, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (NVITOP_HAS(devices[i].mig_mode) &&
            nvitop_enable_state_string(devices[i].mig_mode.value))
            return true;
    return false;
}

bool rpt_pstate_right(const nvitop_device_snapshot_t *devices, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char limit[32];
        if (!devices[i].is_mig &&
            strlen(rpt_watts(limit, sizeof(limit), devices[i].power_limit_mw)) >= 5)
            return false;
    }
    return true;
}

/* Counts a frame line the helpers above just wrote. */
static void framed(table_t *t)
{
    if (t->line_device) t->line_device[t->lines] = -1;
    t->lines++;
}

static void table_head(table_t *t, const nvitop_snapshot_t *s)
{
    static const char head_compact[] =
        "│ GPU Fan Temp Perf Pwr:Usg/Cap │         Memory-Usage │ GPU-Util  Compute M. │\n";
    sty_puts(t->out, BOX_TOP "\n");
    framed(t);
    rpt_version_line(t->out, s, t->opt->version);
    sty_putc(t->out, '\n');
    framed(t);
    if (s->device_count == 0) {
        static const char *const none[] = {
            "╞═════════════════════════════════════════════════════════════════════════════╡\n",
            "│  No visible devices found                                                   │\n",
            "╘═════════════════════════════════════════════════════════════════════════════╛\n"};
        for (size_t i = 0; i < ARRAY_LEN(none); i++) {
            sty_puts(t->out, none[i]);
            framed(t);
        }
        return;
    }
    sty_printf(t->out, "%s\n", BOX_SPLIT);
    framed(t);
    if (t->compact) {
        sty_puts(t->out, head_compact);
        framed(t);
        return;
    }
    sty_printf(t->out, "%s\n", t->mig_column ? BOX_HEAD1_MIG : BOX_HEAD1);
    framed(t);
    sty_printf(t->out, "%s\n", BOX_HEAD2);
    framed(t);
}

static void table_body(table_t *t, const nvitop_snapshot_t *s)
{
    const rpt_bars_t *b = &t->b;
    int first = columns_of(b, &s->devices[0]);
    border(t->out, b, BOX_OPEN, "╡", "╪", "═", first == 2 ? "╤" : NULL, "╕");
    framed(t);
    for (size_t i = 0; i < s->device_count; i++) {
        if (t->lines >= t->max_lines) return; /* the rest would not be shown */
        const nvitop_device_snapshot_t *d = &s->devices[i], *prev = i ? d - 1 : NULL;
        if (prev && (prev->is_mig != d->is_mig || prev->physical_index != d->physical_index)) {
            separator(t->out, b, columns_of(b, prev), columns_of(b, d));
            framed(t);
        }
        device_rows(t, d, (int)i);
    }
    int last = columns_of(b, &s->devices[s->device_count - 1]);
    border(t->out, b, BOX_CLOSE, "╛", "╧", "═", last == 2 ? "╧" : NULL, "╛");
    framed(t);
}

int rpt_device_table(styled_t *out, const nvitop_snapshot_t *s, int width, bool compact,
                     const report_options_t *opt, int *line_device)
{
    return rpt_device_table_head(out, s, width, compact, opt, line_device, INT_MAX);
}

int rpt_device_table_head(styled_t *out, const nvitop_snapshot_t *s, int width, bool compact,
                          const report_options_t *opt, int *line_device, int max_lines)
{
    table_t t = {.out = out,
                 .opt = opt,
                 .compact = compact,
                 .line_device = line_device,
                 .max_lines = max_lines};
    t.b = rpt_bars(width);
    t.b.on = t.b.on && s->device_count > 0;
    t.mig_column = rpt_any_mig_mode(s->devices, s->device_count);
    t.pstate_right = rpt_pstate_right(s->devices, s->device_count);
    table_head(&t, s);
    if (s->device_count > 0) table_body(&t, s);
    return sty_error(out) ? -1 : t.lines;
}

int rpt_devices(const rpt_ctx_t *ctx, styled_t *out)
{
    return rpt_device_table(out, ctx->snap, ctx->width, false, ctx->opt, NULL) < 0 ? -1 : 0;
}
