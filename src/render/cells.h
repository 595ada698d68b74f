/* SPDX-License-Identifier: Apache-2.0 */
/* The cells both outputs are made of, as text plus colour (styled.h): text measured the way
 * nvitop's WideString measures it, the bar chart, the device rows and bars, the host lines and
 * the process rows. The report (report*.c) and the monitor (src/tui/) both draw with these, so
 * the same value is written the same way on both. */
#ifndef NVITOP_RENDER_CELLS_H
#define NVITOP_RENDER_CELLS_H

#include "render/report.h"
#include "render/styled.h"
#include "render/words.h"

/* The layout both outputs share (spec §2.1, §3.3): every panel has 79 fixed columns; from
 * 100 columns on, the R = W - 79 columns right of them hold the device bars (the monitor's
 * GPU graphs below them), in two columns per GPU from R = 44 on. */
#define RPT_FIXED_WIDTH 79              /* the fixed columns, borders included */
#define RPT_BARS_MIN_WIDTH 100          /* W from which the right part shows */
#define RPT_BARS_SPLIT_REM 44           /* R from which a physical GPU gets two bar columns */
#define RPT_BAR_X (RPT_FIXED_WIDTH + 1) /* first column of a bar: after "│ " at 78, 79 */

/* Geometry of the bars right of the fixed columns at width W. */
typedef struct rpt_bars {
    bool on;     /* W >= 100 */
    bool split;  /* R >= 44: a physical GPU gets two columns of bars */
    int rem;     /* R = W - 79 */
    int left;    /* L: width of the left bar of two */
    int right;   /* width of the right bar of two */
    int single;  /* width of a bar alone on its line */
    int split_x; /* column of the "│" between two bars */
    int right_x; /* first column of the right bar */
} rpt_bars_t;

rpt_bars_t rpt_bars(int width);

/* Display columns of one code point: 2 for East Asian Wide/Fullwidth, else 1 (what Python's
 * unicodedata.east_asian_width gives nvitop's WideString; independent of the C locale). */
int rpt_codepoint_width(uint32_t cp);

/* Display width of s (WideString len). Text is cut into code points by util/utf8.h's rule, so
 * a byte that is not valid UTF-8 counts as the U+FFFD that printable.h shows for it. */
size_t rpt_width(const char *s);
/* Number of code points of s (Python len of a str), counted the same way. */
size_t rpt_codepoints(const char *s);

/* WideString(s)[start:stop], Python slice semantics for negative and None (use LONG_MAX for a
 * missing stop), including the space put in place of a wide character cut in half. */
int rpt_slice(strbuf_t *out, const char *s, long start, long stop);
/* WideString ljust / rjust: pad with spaces to `width` columns; never cuts. */
int rpt_ljust(strbuf_t *out, const char *s, size_t width);
int rpt_rjust(strbuf_t *out, const char *s, size_t width);
/* nvitop's cut_string(s, maxlen, padstr, align): keeps the head (or the tail when
 * `keep_tail`) and adds padstr when s is wider than maxlen. */
int rpt_cut(strbuf_t *out, const char *s, size_t maxlen, const char *pad, bool keep_tail);

/* Python str.format alignment of one field, counted in code points: '<', '>' or '^'. */
int rpt_field(strbuf_t *out, const char *s, size_t width, char align);

/* termcolor's colored(): ESC[color]m, then each attribute wrapping outside it, the text and one
 * ESC[0m. With `enabled` false the text is appended as it is. */
int rpt_colored(strbuf_t *out, const char *text, size_t len, int color, unsigned attrs,
                bool enabled);

/* The ASCII stand-in of a box, bar or graph glyph (spec §2.7); 0 for any other code point. */
char rpt_ascii_char(uint32_t cp);
/* -U: appends `text` to `out` with the box, bar and graph glyphs replaced by ASCII. */
int rpt_ascii(strbuf_t *out, const char *text, size_t len);

/* A percentage fed to the bar chart: Python passes an int (utilisation), a float (memory %)
 * or NA; the kind decides how the value is written. */
typedef struct rpt_percent {
    double value;
    bool valid;    /* false: N/A */
    bool is_float; /* "%.1f%%" when it fits, else an integer */
} rpt_percent_t;

rpt_percent_t rpt_pct_int(nvitop_int_t v);
rpt_percent_t rpt_pct_real(nvitop_real_t v);

/* nvitop's make_bar_chart(prefix, percent, width, extra_text, swap_text, extra_blank). The
 * result is exactly `width` columns unless the texts alone are wider. */
int rpt_bar_chart(strbuf_t *out, const char *prefix, rpt_percent_t percent, int width,
                  const char *extra, bool swap, const char *blank);

/* Loading intensity colour of a value against sorted thresholds; N/A is moderate. */
int rpt_load_color(rpt_percent_t v, const int thresholds[2]);

/* Python's round() of a double: half to even. */
double rpt_round(double x);

/* A process row (spec §2.4, §3.5): "│", the index in 4 columns, " ", the 36 columns of
 * rpt_proc_prefix(), " ", the host information in W - 45 columns, " │". */
#define RPT_PROC_HOST_X 43   /* first column of the host information */
#define RPT_PROC_NON_HOST 45 /* the columns of a row that are not host information */

/* One shown process with the strings the table and the width rule need. */
typedef struct rpt_proc {
    const nvitop_gpu_process_t *p;
    const nvitop_device_snapshot_t *dev; /* NULL when p->device is out of range */
    char display_index[24];              /* "0", "2:0" */
    char *host_info;                     /* "{cpu:>5} {mem:>5}  {time}  {command}" */
    const char *command;                 /* what the COMMAND column says (printable.h) */
    const char *username;                /* NVITOP_NA_TEXT when unknown (printable.h) */
    char *printable[2];                  /* the copies command and username point to */
    bool gone;                           /* any failure of the host record but a refusal */
    rpt_unreadable_t unreadable;         /* which failsafe word is the command, if any */
} rpt_proc_t;

/* strftime('%a %b %d %H:%M:%S %Y') in local time with English names; N/A
 * (NVITOP_NA_TEXT) when unknown. Returns buf. */
const char *rpt_date(char *buf, size_t len, int64_t time_unix_ns);

/* The device name as nvitop -1 shows it before any cut (RPT_GPU_LOST_TEXT for a lost GPU). */
const char *rpt_device_name(const nvitop_device_snapshot_t *d);
/* The device display colour (spec §2.6). */
int rpt_device_color(const nvitop_device_snapshot_t *d, const report_options_t *opt);

/* The rows of a device (spec §2.2, §3.3), without the bars. */
typedef enum rpt_row {
    RPT_ROW_FULL1,   /* index, name, persistence, bus id, display, (MIG mode,) ECC */
    RPT_ROW_FULL2,   /* fan, temperature, P-state, power, memory, utilisation, compute mode */
    RPT_ROW_COMPACT, /* the monitor's one-line form */
    RPT_ROW_MIG      /* a MIG device's single line (both forms) */
} rpt_row_t;

/* Appends one 79-column row, each │-delimited cell in the device colour. `mig_column`: the
 * MIG M. header is shown (rpt_any_mig_mode); `pstate_right`: the compact row right-aligns the
 * P-state (rpt_pstate_right). No newline. Returns 0 or -1. */
int rpt_device_row(styled_t *out, const nvitop_device_snapshot_t *d, rpt_row_t row, bool mig_column,
                   bool pstate_right, const report_options_t *opt);
bool rpt_any_mig_mode(const nvitop_device_snapshot_t *devices, size_t count);
/* nvitop's compact row right-aligns the P-state when every power limit is under 5 columns. */
bool rpt_pstate_right(const nvitop_device_snapshot_t *devices, size_t count);

/* The bar charts right of the 79 columns: memory, utilisation (@ SM clock), memory bandwidth
 * (@ memory clock) and power (with the draw). */
typedef enum rpt_metric { RPT_BAR_MEM, RPT_BAR_UTL, RPT_BAR_MBW, RPT_BAR_PWR } rpt_metric_t;

/* Appends the bar of `metric`, `width` columns, in its load colour (red for a lost GPU).
 * Returns 0 or -1. */
int rpt_device_bar(styled_t *out, const nvitop_device_snapshot_t *d, rpt_metric_t metric, int width,
                   const report_options_t *opt);
/* The load colour of a metric of a device. */
int rpt_metric_color(const nvitop_device_snapshot_t *d, rpt_metric_t metric,
                     const report_options_t *opt);

/* The device table at width W (spec §2.2; the monitor's compact form of §3.3 when `compact`):
 * border, version line, headers, the rows of every device with their bars from W = 100 on,
 * separators and the bottom border, each line ending with '\n'. When line_device is not NULL
 * it receives, per line, the position of the device the line shows or -1 (room for
 * 8 + 3 * device_count lines). Returns the number of lines, or -1 when out of memory. */
int rpt_device_table(styled_t *out, const nvitop_snapshot_t *snap, int width, bool compact,
                     const report_options_t *opt, int *line_device);
/* The same table cut short for a screen: no device row starts at or after line max_lines (the
 * lines written may pass it by the rows of the device that started before it; no bottom
 * border then). */
int rpt_device_table_head(styled_t *out, const nvitop_snapshot_t *snap, int width, bool compact,
                          const report_options_t *opt, int *line_device, int max_lines);

/* "│ NVITOP X.Y.Z      Driver Version: …      CUDA Driver Version: 13.0 │" (no newline). */
int rpt_version_line(styled_t *out, const nvitop_snapshot_t *snap, const char *version);
/* "12W" as nvitop rounds watts (half to even); NVITOP_NA_TEXT. */
const char *rpt_watts(char *buf, size_t len, nvitop_int_t mw);

/* The two compact host lines (spec §2.3) at width W, each ending with '\n'. */
int rpt_host_lines(styled_t *out, const nvitop_host_snapshot_t *host, int width);
/* One load average value in five columns, "  N/A" when unknown. */
void rpt_load_value(char *buf, size_t len, nvitop_real_t v);

/* Builds the process views and sorts them naturally (device, gone last, user name, pid);
 * *time_length receives the TIME column width (at least 4). Free with rpt_procs_free().
 * Returns 0 or -1 (out of memory). */
int rpt_procs_build(const nvitop_snapshot_t *snap, const nvitop_gpu_process_t *const *processes,
                    size_t count, rpt_proc_t **out, int *time_length);
void rpt_procs_free(rpt_proc_t *procs, size_t count);

/* "{pid:>7} {type} {user:>7} {gpu_mem:>8} {sm:>3} {gmbw:>5}": the 36 columns before the
 * host information of a process row (and the blank after them). */
int rpt_proc_prefix(strbuf_t *out, const rpt_proc_t *v, bool wsl);
/* True when the current user may signal the process: root, or the same user name. */
bool rpt_proc_owned(const rpt_proc_t *v, const char *me);

#endif
