/* SPDX-License-Identifier: Apache-2.0 */
/* What the TUI's unit tests share: known values, the H100 of the captures, a monitor state on
 * a hand-built snapshot, and a drawn row as text. Include after cmocka.h and
 * tui/tui_internal.h. */
#ifndef NVITOP_TUI_TESTUTIL_H
#define NVITOP_TUI_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

static inline nvitop_int_t I(int64_t v)
{
    return (nvitop_int_t){v, NVITOP_NA_NONE};
}

static inline nvitop_real_t R(double v)
{
    return (nvitop_real_t){v, NVITOP_NA_NONE};
}

static inline nvitop_str_t S(const char *v)
{
    return (nvitop_str_t){v, NVITOP_NA_NONE};
}

/* The H100 of the captures (spec's reference); a test changes the figures it needs. */
static inline void h100_device(nvitop_device_snapshot_t *d)
{
    nvitop_device_snapshot_clear(d);
    d->physical_index = 0;
    d->name = S("NVIDIA H100 80GB HBM3");
    d->bus_id = S("00000000:00:06.0");
    d->persistence_mode = I(1);
    d->display_active = I(0);
    d->mig_mode = I(0);
    d->ecc_errors_volatile_uncorrected = I(0);
    d->fan_speed_percent = (nvitop_int_t){0, NVITOP_NA_NOT_SUPPORTED};
    d->temperature_c = I(54);
    d->performance_state = I(0);
    d->power_usage_mw = I(691822);
    d->power_limit_mw = I(700000);
    d->power_percent = R(98.8);
    d->memory_used_bytes = I(10466LL << 20);
    d->memory_total_bytes = I(85520809984LL);
    d->memory_percent = R(12.8);
    d->gpu_utilization_percent = I(99);
    d->memory_utilization_percent = I(33);
    d->compute_mode = I(0);
    d->clock_sm_mhz = I(1980);
    d->clock_memory_mhz = I(2619);
}

/* The driver, time and host figures of the captures. */
static inline void capture_host(nvitop_snapshot_t *snap)
{
    snap->driver_version = S("580.159.04");
    snap->cuda_driver_version = I(13000);
    snap->time_unix_ns = 1795421736LL * 1000000000LL;
    nvitop_host_snapshot_t *h = &snap->host;
    h->cpu_percent = R(8.7);
    h->memory_percent = R(1.2);
    h->memory_used_bytes = I(1621350154LL);
    h->swap_percent = R(0.0);
    h->swap_used_bytes = I(0);
    h->load_average_1m = R(1.23);
    h->load_average_5m = R(0.44);
    h->load_average_15m = R(0.17);
    h->uptime_s = R(192);
}

/* A monitor state on `snap` at lines x cols, seen by root (a superuser) on host "vm" at the
 * snapshot's time; a test changes what differs, then calls tui_test_draw(). */
static inline void tui_test_init(tui_t *t, const nvitop_snapshot_t *snap, tui_mode_t mode,
                                 int lines, int cols)
{
    tui_options_t opt = {
        .mode = mode, .gpu_thresholds = {10, 75}, .mem_thresholds = {10, 80}, .version = "1.7.0"};
    tui_state_init(t, &opt);
    t->devices = t->host = t->processes = snap;
    t->me = "root";
    t->hostname = "vm";
    t->superuser = true;
    t->now_unix_ns = snap->time_unix_ns;
    t->lines = lines;
    t->cols = cols;
}

/* The processes of the snapshot, the layout and the frame, as after the first sample. */
static inline void tui_test_draw(tui_t *t)
{
    assert_int_equal(tui_procs_update(t), 0);
    tui_layout(t);
    tui_draw(t);
}

/* Row y of the frame, trailing blanks off for readable expectations; the caller frees it. */
static inline char *row(const tui_t *t, int y)
{
    strbuf_t sb = {0};
    assert_int_equal(frame_row_text(&t->frame, y, &sb), 0);
    while (sb.len && sb.data[sb.len - 1] == ' ')
        sb.data[--sb.len] = '\0';
    return sb.data ? sb.data : calloc(1, 1);
}

static inline void expect_row(const tui_t *t, int y, const char *want)
{
    char *got = row(t, y);
    if (strcmp(got, want) != 0) fail_msg("row %d:\n got  '%s'\n want '%s'", y, got, want);
    free(got);
}

/* The first row of the frame holding `needle`, or -1. */
static inline int find_row(const tui_t *t, const char *needle)
{
    for (int y = 0; y < t->lines; y++) {
        char *r = row(t, y);
        bool hit = strstr(r, needle) != NULL;
        free(r);
        if (hit) return y;
    }
    return -1;
}

#endif
