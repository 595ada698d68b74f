/* SPDX-License-Identifier: Apache-2.0 */
/* Pieces of the one-shot report shared by its files: text measured the way nvitop's
 * WideString measures it, termcolor-style colouring, the bar chart, and the three panels. */
#ifndef NVITOP_RENDER_REPORT_INTERNAL_H
#define NVITOP_RENDER_REPORT_INTERNAL_H

#include "render/report.h"

/* Colours and attributes as termcolor numbers them (ESC[<n>m). */
enum {
    RPT_NOCOLOR = 0,
    RPT_RED = 31,
    RPT_GREEN = 32,
    RPT_YELLOW = 33,
    RPT_BLUE = 34,
    RPT_MAGENTA = 35,
    RPT_CYAN = 36
};
#define RPT_BOLD (1U << 0) /* ESC[1m */
#define RPT_DARK (1U << 1) /* ESC[2m */

/* Display columns of one code point: 2 for East Asian Wide/Fullwidth, else 1 (what Python's
 * unicodedata.east_asian_width gives nvitop's WideString; independent of the C locale). */
int rpt_codepoint_width(uint32_t cp);

/* Decodes one UTF-8 code point at s (s[0] != 0) into *cp and returns its length in bytes; an
 * invalid byte is taken alone as U+FFFD-like width-1 character. */
size_t rpt_utf8_next(const char *s, uint32_t *cp);

/* Display width of s (WideString len). */
size_t rpt_width(const char *s);
/* Number of code points of s (Python len of a str). */
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

/* One shown process with the strings the table and the width rule need. */
typedef struct rpt_proc {
    const nvitop_gpu_process_t *p;
    const nvitop_device_snapshot_t *dev; /* NULL when p->device is out of range */
    char display_index[24];              /* "0", "2:0" */
    char *host_info;                     /* "{cpu:>5} {mem:>5}  {time}  {command}" */
    const char *command;                 /* what the COMMAND column says */
    const char *username;                /* "N/A" when unknown */
    bool gone, no_permissions, zombie;
} rpt_proc_t;

/* Everything a panel needs while rendering. */
typedef struct rpt_ctx {
    const nvitop_snapshot_t *snap;
    const report_options_t *opt;
    int width; /* W of spec §2.1 */
    bool color;
    rpt_proc_t *procs; /* sorted naturally */
    size_t proc_count;
    int time_length; /* width of the TIME column, at least 4 */
} rpt_ctx_t;

/* The device name as nvitop shows it before any cut ("ERROR: GPU is Lost" for a lost GPU). */
const char *rpt_device_name(const nvitop_device_snapshot_t *d);
/* The device display colour (spec §2.6). */
int rpt_device_color(const nvitop_device_snapshot_t *d, const report_options_t *opt);

/* The panels, each appending its lines (every line ends with '\n'). */
int rpt_devices(const rpt_ctx_t *ctx, strbuf_t *out);
int rpt_host(const rpt_ctx_t *ctx, strbuf_t *out);
int rpt_processes(const rpt_ctx_t *ctx, strbuf_t *out);

/* Builds and sorts the process views; frees with rpt_procs_free(). Returns 0 or -1 (OOM). */
int rpt_procs_build(const nvitop_snapshot_t *snap, const nvitop_gpu_process_t *const *processes,
                    size_t count, rpt_proc_t **out, int *time_length);
void rpt_procs_free(rpt_proc_t *procs, size_t count);

/* W of spec §2.1 from the terminal width T and what each panel would like. */
int rpt_print_width(int terminal_width, size_t device_count, const rpt_proc_t *procs,
                    size_t proc_count);

#endif
