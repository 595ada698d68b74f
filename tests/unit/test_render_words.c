/* SPDX-License-Identifier: Apache-2.0 */
/* The words every output shows for what it cannot show (render/words.h), asserted once per
 * reason here; the report is checked to say the same (the exporter's test does the same for
 * its labels, the monitor's panels call the same functions). */
#include "testutil.h"

#include "render/report.h"
#include "render/words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unreadable_case {
    nvitop_na_t na;
    bool zombie;
    const char *command; /* what the COMMAND column says */
    int color;
} unreadable_case_t;

/* The command of every case is "cmd" when the host could read it. */
static const unreadable_case_t cases[] = {
    {NVITOP_NA_NONE, false, "cmd", RPT_NOCOLOR},
    {NVITOP_NA_NONE, true, "Zombie Process", RPT_YELLOW},
    {NVITOP_NA_NO_PERMISSION, false, "No Permissions", RPT_YELLOW},
    {NVITOP_NA_NO_SUCH_PROCESS, false, "No Such Process", RPT_RED},
    {NVITOP_NA_IO_ERROR, false, "No Such Process", RPT_RED},
    {NVITOP_NA_NO_SUCH_PROCESS, true, "No Such Process", RPT_RED},
    {NVITOP_NA_NOT_SAMPLED, false, "N/A", RPT_NOCOLOR},
};

static nvitop_host_process_t host_of(const unreadable_case_t *c)
{
    nvitop_host_process_t h;
    memset(&h, 0, sizeof(h));
    h.pid = 4242;
    h.na = c->na;
    h.is_zombie = c->zombie;
    h.command = (nvitop_str_t){c->na == NVITOP_NA_NONE ? "cmd" : NULL, c->na};
    return h;
}

static void unreadable_process(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        nvitop_host_process_t h = host_of(&cases[i]);
        assert_string_equal(rpt_process_command(&h), cases[i].command);
        assert_int_equal(rpt_unreadable_color(rpt_unreadable(&h)), cases[i].color);
        const char *word = rpt_unreadable_text(rpt_unreadable(&h));
        if (cases[i].color == RPT_NOCOLOR)
            assert_null(word);
        else
            assert_string_equal(word, cases[i].command);
    }
}

/* The report's process row says what the rule says, for every reason. */
static void report_agrees(void **state)
{
    (void)state;
    nvitop_device_snapshot_t dev;
    memset(&dev, 0, sizeof(dev));
    dev.name = (nvitop_str_t){"NVIDIA Test", NVITOP_NA_NONE};
    nvitop_snapshot_t snap;
    memset(&snap, 0, sizeof(snap));
    snap.devices = &dev;
    snap.device_count = 1;
    report_options_t opt = {.terminal_width = 120,
                            .gpu_thresholds = {10, 75},
                            .mem_thresholds = {10, 80},
                            .version = "1.7.0"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        nvitop_gpu_process_t p;
        memset(&p, 0, sizeof(p));
        p.pid = 4242;
        p.host = host_of(&cases[i]);
        const nvitop_gpu_process_t *list[] = {&p};
        strbuf_t out = {0};
        assert_int_equal(render_report(&snap, list, 1, &opt, &out), 0);
        const char *row = strstr(out.data, "4242");
        assert_non_null(row);
        const char *end = strchr(row, '\n');
        char line[512];
        snprintf(line, sizeof(line), "%.*s", (int)(end - row), row);
        /* the COMMAND column ends the row: "... <command>   │" */
        char *bar = strrchr(line, ' ');
        while (bar > line && bar[-1] == ' ')
            bar--;
        *bar = '\0';
        size_t n = strlen(cases[i].command);
        assert_true(strlen(line) >= n);
        assert_string_equal(line + strlen(line) - n, cases[i].command);
        strbuf_fini(&out);
    }
}

static void lost_gpu_name(void **state)
{
    (void)state;
    nvitop_str_t named = {"NVIDIA A100", NVITOP_NA_NONE};
    nvitop_str_t unnamed = {NULL, NVITOP_NA_GPU_LOST};
    nvitop_str_t unknown = {NULL, NVITOP_NA_NOT_SUPPORTED};
    assert_string_equal(rpt_device_label(&named, false, false), "NVIDIA A100");
    assert_string_equal(rpt_device_label(&named, true, false), "ERROR: GPU is Lost");
    assert_string_equal(rpt_device_label(&named, true, true), "NVIDIA A100");
    assert_string_equal(rpt_device_label(&unnamed, true, true), "ERROR: GPU is Lost");
    assert_string_equal(rpt_device_label(&unknown, false, true), "N/A");
    assert_string_equal(rpt_device_label(&unknown, false, false), "N/A");
    nvitop_device_snapshot_t d;
    memset(&d, 0, sizeof(d));
    assert_false(rpt_device_lost(&d));
    d.temperature_c.na = NVITOP_NA_GPU_LOST;
    assert_true(rpt_device_lost(&d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unreadable_process),
        cmocka_unit_test(report_agrees),
        cmocka_unit_test(lost_gpu_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
