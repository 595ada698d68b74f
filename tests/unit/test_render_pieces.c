/* SPDX-License-Identifier: Apache-2.0 */
/* The pieces of the report: the bar chart, cutting and padding by display columns (wide
 * characters included), termcolor escapes, the ASCII transliteration and the width rule. The
 * expected strings were computed with nvitop 1.7's own make_bar_chart, cut_string and
 * WideString. */
#include "testutil.h"

#include "render/report_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void check_buf(strbuf_t *sb, const char *want)
{
    assert_non_null(sb->data);
    assert_string_equal(sb->data, want);
    strbuf_fini(sb);
}

static const struct bar_case {
    const char *prefix;
    double value;
    bool valid, is_float;
    int width;
    const char *extra;
    bool swap;
    const char *blank;
    const char *want;
} bar_cases[] = {
    {"MEM", 0.0, true, true, 20, NULL, false, "", "MEM: ▏ 0.0%         "},
    {"MEM", 0.0, true, false, 20, NULL, false, "", "MEM: ▏ 0%           "},
    {"UTL", 1.0, true, false, 20, NULL, false, "", "UTL: ▏ 1%           "},
    {"MEM", 0.01, true, true, 20, NULL, false, "", "MEM: ▏ 0.0%         "},
    {"MEM", 12.8, true, true, 27, NULL, false, "", "MEM: ██▎ 12.8%             "},
    {"MEM", 99.96, true, true, 27, NULL, false, "", "MEM: ██████████████████ MAX"},
    {"MEM", 99.96, true, true, 12, NULL, false, "", "MEM: ███ MAX"},
    {"UTL", 100.0, true, false, 27, NULL, false, "", "UTL: ██████████████████ MAX"},
    {"MEM", 100.0, true, true, 27, NULL, false, "", "MEM: ██████████████████ MAX"},
    {"PWR", 100.14, true, true, 28, "701W", true, "", "PWR: ███████████████████ MAX"},
    {"UTL", 150.0, true, false, 20, NULL, false, "", "UTL: ███████████ MAX"},
    {"MEM", -5.0, true, true, 20, NULL, false, "", "MEM: ▏ -5.0%        "},
    {"MEM", 0.0, false, false, 20, NULL, false, "", "MEM: ░░░░░░░░░░░ N/A"},
    {"MEM", NAN, true, true, 20, NULL, false, "", "MEM: ░░░░░░░░░░░ N/A"},
    {"PWR", 0.0, false, false, 28, "95W", true, "", "PWR: ░░░░░░░░░░░░░░░░░░░ 95W"},
    {"PWR", 0.0, false, false, 10, "95W", true, "", "PWR: ░ 95W"},
    {"MBW", 0.0, false, false, 28, "@ 1215MHz", false, "", "MBW: ░░░░░░░░░░░░░░░░░░░ N/A"},
    {"MEM", 0.0, false, false, 28, "N/A", true, "", "MEM: ░░░░░░░░░░░░░░░░░░░ N/A"},
    {"MEM", 12.8, true, true, 27, "10466MiB", true, "", "MEM: ██▎ 10466MiB     12.8%"},
    {"MEM", 76.2, true, true, 27, "61.00GiB", true, "", "MEM: █████████████▊ 76.2%  "},
    {"PWR", 73.142857142857, true, true, 28, "512W", true, "", "PWR: █████████████▉ 512W    "},
    {"MBW", 41.0, true, false, 28, "@ 2619MHz", false, "", "MBW: ███████▊ 41%  @ 2619MHz"},
    {"MBW", 41.0, true, false, 28, "@ 2619MHz", false, " ", "MBW: ███████▊ 41%  @ 2619MHz"},
    {"MBW", 41.0, true, false, 28, "@ 2619MHz", false, "  ", "MBW: ███████▊ 41%           "},
    {"CPU", 14.9, true, true, 38, "UPTIME: 2:32", false, " ",
     "CPU: ████▍ 14.9%          UPTIME: 2:32"},
    {"CPU", 53.1, true, true, 38, "UPTIME: 5:48", false, " ",
     "CPU: ███████████████▍ 53.1%           "},
    {"CPU", 45.0, true, true, 38, "UPTIME: 5:48", false, " ",
     "CPU: █████████████ 45.0%  UPTIME: 5:48"},
    {"CPU", 48.0, true, true, 38, "UPTIME: 5:48", false, "",
     "CPU: █████████████▉ 48.0% UPTIME: 5:48"},
    {"CPU", 48.0, true, true, 38, "UPTIME: 5:48", false, " ",
     "CPU: █████████████▉ 48.0%             "},
    {"MEM", 0.0, false, true, 38, "USED: 1.52GiB", false, " ",
     "MEM: ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ N/A"},
    {"UTL", 87.0, true, false, 27, "@ 1980MHz", false, "", "UTL: ███████████████▋ 87%  "},
    {"MEM", 99.5, true, true, 14, NULL, false, "", "MEM: █████ MAX"},
    {"MEM", 0.5, true, true, 14, NULL, false, "", "MEM: ▏ 0.5%   "},
    {"MEM", 2.5, true, true, 14, NULL, false, "", "MEM: ▏ 2.5%   "},
    /* too narrow for "%.1f": Python's round() goes half to even, without a negative zero */
    {"MEM", 0.5, true, true, 10, NULL, false, "", "MEM: ▏ 0% "},
    {"MEM", 2.5, true, true, 10, NULL, false, "", "MEM: ▏ 2% "},
    {"MEM", 3.5, true, true, 10, NULL, false, "", "MEM: ▏ 4% "},
    {"MEM", -0.4, true, true, 10, NULL, false, "", "MEM: ▏ 0% "},
};

static void test_bar_chart(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(bar_cases); i++) {
        const struct bar_case *c = &bar_cases[i];
        rpt_percent_t p = {c->value, c->valid && !isnan(c->value), c->is_float};
        strbuf_t sb = {0};
        assert_int_equal(rpt_bar_chart(&sb, c->prefix, p, c->width, c->extra, c->swap, c->blank),
                         0);
        if (strcmp(sb.data, c->want) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, sb.data, c->want);
        strbuf_fini(&sb);
    }
}

static void test_percent_kinds(void **state)
{
    (void)state;
    nvitop_int_t i = {42, NVITOP_NA_NONE}, i_na = {0, NVITOP_NA_NOT_SUPPORTED};
    nvitop_real_t r = {12.8, NVITOP_NA_NONE}, r_inf = {INFINITY, NVITOP_NA_NONE};
    assert_true(rpt_pct_int(i).valid && !rpt_pct_int(i).is_float);
    assert_false(rpt_pct_int(i_na).valid);
    assert_true(rpt_pct_real(r).valid && rpt_pct_real(r).is_float);
    assert_false(rpt_pct_real(r_inf).valid);
    int th[2] = {10, 75};
    assert_int_equal(rpt_load_color(rpt_pct_int(i_na), th), RPT_YELLOW); /* N/A: moderate */
    nvitop_int_t v9 = {9, 0}, v10 = {10, 0}, v74 = {74, 0}, v75 = {75, 0};
    assert_int_equal(rpt_load_color(rpt_pct_int(v9), th), RPT_GREEN);
    assert_int_equal(rpt_load_color(rpt_pct_int(v10), th), RPT_YELLOW);
    assert_int_equal(rpt_load_color(rpt_pct_int(v74), th), RPT_YELLOW);
    assert_int_equal(rpt_load_color(rpt_pct_int(v75), th), RPT_RED);
}

/* The power bar's colour is that of nvitop's power_utilization(), Python's round(x, 1):
 * 69650 of 700000 mW is 9.9499... %, 9.9 (green under the threshold 10), where rounding
 * x * 10 made it 10.0 (yellow). */
static void test_power_percent_rounding(void **state)
{
    (void)state;
    report_options_t opt;
    memset(&opt, 0, sizeof(opt));
    opt.gpu_thresholds[0] = 10;
    opt.gpu_thresholds[1] = 75;
    nvitop_device_snapshot_t d;
    memset(&d, 0, sizeof(d));
    d.power_percent = (nvitop_real_t){100.0 * 69650 / 700000, NVITOP_NA_NONE};
    assert_int_equal(rpt_metric_color(&d, RPT_BAR_PWR, &opt), RPT_GREEN);
}

static const struct cut_case {
    const char *s;
    size_t maxlen;
    const char *pad;
    bool keep_tail;
    const char *want;
} cut_cases[] = {
    {"H100 80GB HBM3", 19, "..", true, "H100 80GB HBM3"},
    {"GeForce RTX 4090 Laptop GPU", 19, "..", true, "..X 4090 Laptop GPU"},
    {"GeForce RTX 4090 Lap", 19, "..", true, "..orce RTX 4090 Lap"},
    {"GeForce RTX 4090 La", 19, "..", true, "GeForce RTX 4090 La"},
    {"12345678", 7, ".", false, "123456."},
    {"1234567", 7, ".", false, "1234567"},
    {"username", 7, "+", false, "userna+"},
    {"user", 7, "+", false, "user"},
    {"张伟明同学", 7, "+", false, "张伟明+"},
    {"a张伟明同", 7, "+", false, "a张伟 +"},
    {"张伟明", 7, "+", false, "张伟明"},
    {"ab张", 7, "+", false, "ab张"},
    {"abcde张", 7, "+", false, "abcde张"},
    {"abcdef张", 7, "+", false, "abcdef+"},
    {"十ab千万", 5, "..", true, ".. 万"},
    {"x十百千万", 4, "..", true, "..万"},
    {"python3 bench/mm.py", 5, "......", false, "....."},
};

static void test_cut(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(cut_cases); i++) {
        const struct cut_case *c = &cut_cases[i];
        strbuf_t sb = {0};
        assert_int_equal(rpt_cut(&sb, c->s, c->maxlen, c->pad, c->keep_tail), 0);
        if (strcmp(sb.data, c->want) != 0)
            fail_msg("cut %zu: got \"%s\", want \"%s\"", i, sb.data, c->want);
        strbuf_fini(&sb);
    }
}

/* The USER column: cut to 7 with '+', right-justified by display columns. */
static void test_user_column(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"root", "   root"},      {"username", "userna+"}, {"张伟明同学", "张伟明+"},
        {"a张伟明同", "a张伟 +"}, {"ab张", "   ab张"},     {"N/A", "    N/A"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        strbuf_t cut = {0}, col = {0};
        assert_int_equal(rpt_cut(&cut, cases[i][0], 7, "+", false), 0);
        assert_int_equal(rpt_rjust(&col, cut.data, 7), 0);
        assert_int_equal(rpt_width(col.data), 7);
        check_buf(&col, cases[i][1]);
        strbuf_fini(&cut);
    }
}

static void test_slice(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        long start, stop;
        const char *want;
    } cases[] = {
        {"十百千万", 2, 4, "百"},    {"十百千万", 2, 5, "百 "},   {"十ab千万", 2, 5, "ab "},
        {"十百千万", 1, 5, " 百 "},  {"a十", 0, 2, "a "},         {"十ab", 1, 4, " a"},
        {"十ab", 1, LONG_MAX, " a"}, {"abc", -2, LONG_MAX, "bc"}, {"abc", 5, LONG_MAX, ""},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        strbuf_t sb = {0};
        assert_int_equal(rpt_slice(&sb, cases[i].s, cases[i].start, cases[i].stop), 0);
        assert_string_equal(sb.data ? sb.data : "", cases[i].want);
        strbuf_fini(&sb);
    }
}

static void test_widths(void **state)
{
    (void)state;
    assert_int_equal(rpt_width("abc"), 3);
    assert_int_equal(rpt_width("张伟"), 4);
    assert_int_equal(rpt_width("█▏░│"), 4);
    assert_int_equal(rpt_width("ｆｕｌｌ"), 8);  /* fullwidth forms */
    assert_int_equal(rpt_width("e\xcc\x81"), 2); /* a combining mark counts, as in nvitop */
    assert_int_equal(rpt_width("\xff"), 1);      /* an invalid byte is one column */
    assert_int_equal(rpt_codepoints("张伟"), 2);
    assert_int_equal(rpt_codepoint_width(0x1F600), 2);
    assert_int_equal(rpt_codepoint_width(0x378), 1); /* unassigned: narrow */
    strbuf_t sb = {0};
    assert_int_equal(rpt_field(&sb, "P0", 4, '^'), 0);
    assert_int_equal(rpt_field(&sb, "P12", 4, '^'), 0);
    assert_int_equal(rpt_field(&sb, "N/A", 5, '>'), 0);
    assert_int_equal(rpt_field(&sb, "toolong", 3, '<'), 0);
    check_buf(&sb, " P0 P12   N/Atoolong");
}

static void test_colored(void **state)
{
    (void)state;
    strbuf_t sb = {0};
    assert_int_equal(rpt_colored(&sb, "CPU", 3, RPT_CYAN, RPT_BOLD, true), 0);
    assert_int_equal(rpt_colored(&sb, "@", 1, RPT_NOCOLOR, RPT_BOLD, true), 0);
    assert_int_equal(rpt_colored(&sb, "x", 1, RPT_RED, 0, true), 0);
    assert_int_equal(rpt_colored(&sb, "d", 1, RPT_NOCOLOR, RPT_DARK, true), 0);
    assert_int_equal(rpt_colored(&sb, "plain", 5, RPT_RED, RPT_BOLD, false), 0);
    check_buf(&sb, "\033[1m\033[36mCPU\033[0m\033[1m@\033[0m\033[31mx\033[0m\033[2md\033[0mplain");
}

static void test_ascii(void **state)
{
    (void)state;
    const char *text = "╒═╤╕╞╪╡├─┼┤┬┴╘╧╛│┌┐└┘╴ █▉▊▋▌▍▎▏░ ▲▼▪×␤ ⣿⠁ é张 \033[31m";
    strbuf_t sb = {0};
    assert_int_equal(rpt_ascii(&sb, text, strlen(text)), 0);
    check_buf(&sb, "+=++|+||-+|+++++|++++- ||||||||| ^v*x? == é张 \033[31m");
}

/* Spec §2.1: W = max(min(device, host, process widths), min(T, 140)); 79 without devices. */
static void test_print_width(void **state)
{
    (void)state;
    char shortinfo[] = "  0.0   0.5  0:23  python3 bench/mm.py 120 1.0 2147483648";
    char longinfo[200];
    memset(longinfo, 'x', sizeof(longinfo) - 1);
    longinfo[sizeof(longinfo) - 1] = '\0';
    rpt_proc_t procs[2];
    memset(procs, 0, sizeof(procs));
    procs[0].host_info = shortinfo;
    procs[1].host_info = longinfo;
    assert_int_equal(rpt_print_width(40, 1, procs, 1), 79);
    assert_int_equal(rpt_print_width(79, 1, procs, 1), 79);
    assert_int_equal(rpt_print_width(80, 1, procs, 1), 80);
    assert_int_equal(rpt_print_width(99, 1, procs, 1), 99);
    assert_int_equal(rpt_print_width(100, 1, procs, 1), 100);
    assert_int_equal(rpt_print_width(122, 1, procs, 1), 122);
    assert_int_equal(rpt_print_width(123, 1, procs, 1), 123);
    assert_int_equal(rpt_print_width(140, 1, procs, 1), 140);
    assert_int_equal(rpt_print_width(200, 1, procs, 1), 140);
    assert_int_equal(rpt_print_width(200, 1, procs, 0), 140); /* no processes */
    assert_int_equal(rpt_print_width(200, 1, procs, 2), 200); /* every panel wants more */
    assert_int_equal(rpt_print_width(300, 1, procs, 2), 244); /* 45 + 199 */
    assert_int_equal(rpt_print_width(200, 0, procs, 2), 79);  /* no devices */
    assert_int_equal(rpt_print_width(99, 1, procs, 2), 99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_chart),
        cmocka_unit_test(test_percent_kinds),
        cmocka_unit_test(test_power_percent_rounding),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_user_column),
        cmocka_unit_test(test_slice),
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_colored),
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_print_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
