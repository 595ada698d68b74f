/* SPDX-License-Identifier: Apache-2.0 */
/* The exporter's poller (src/exporter/poller.c) against the simulator: the first page is
 * published by poller_new() (before any thread runs); once started, pages follow and the slow
 * ticker's PCIe counters are merged into them; a slow PCIe call does not hold pages back; the
 * processes of a MIG device are listed under its MIG-enabled GPU too; a second context that
 * cannot be opened fails poller_new() with one message. No assertion on time: each wait polls
 * for its condition with a generous limit. Run under TSan too (label tsan). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exporter/exporter_internal.h"

#define GPU(extra)                                                                                 \
    "{\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-0\", \"bus_id\": \"00000000:18:00.0\"," \
    " \"memory\": {\"total\": 1048576000, \"used\": 262144000}, \"utilization\": {\"gpu\": 40,"    \
    " \"memory\": 5}, \"pcie\": {\"tx_kib_s\": 2048, \"rx_kib_s\": 1024}" extra "}"

static const char one_gpu[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040, \"devices\": [" GPU(
        "") "]}";

/* PCIe throughput calls of 1.5 s each: a slow round takes 3 s. */
static const char slow_pcie[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040,"
    " \"latency_us\": {\"nvmlDeviceGetPcieThroughput\": 1500000}, \"devices\": [" GPU("") "]}";

static const char mig_gpu[] =
    "{\"driver_version\": \"550.54.15\", \"cuda_driver_version\": 12040, \"devices\": [" GPU(
        ", \"mig_mode\": 1, \"mig_devices\": [{\"gpu_instance_id\": 1, \"compute_instance_id\": 0,"
        " \"uuid\": \"MIG-0\", \"name\": \"NVIDIA H100 MIG 3g.40gb\","
        " \"memory\": {\"total\": 524288000, \"used\": 104857600},"
        " \"processes\": [{\"pid\": 4194301, \"type\": \"C\", \"used_memory\": 104857600}]}]") "]}";

#define PCIE_SERIES "gpu_pcie_tx_throughput_MiBps{"

typedef struct fixture {
    nvitop_ctx_t *sim; /* the test's own context: keeps the simulator loaded */
    page_store_t store;
    poller_t *poller;
    strbuf_t err;
} fixture_t;

/* A context on the simulator for the poller (it takes it); the poller's second context finds
 * the simulator through $NVITOP_NVML_LIBRARY. */
static nvitop_ctx_t *poller_ctx(void)
{
    const char *lib = getenv("NVITOP_SIM_LIB");
    setenv("NVITOP_NVML_LIBRARY", lib, 1);
    nvitop_options_t opts = {.nvml_library = lib};
    nvitop_ctx_t *ctx = nvitop_ctx_new(&opts, NULL);
    assert_non_null(ctx);
    assert_int_equal(nvitop_init(ctx), 0);
    return ctx;
}

static void setup(fixture_t *f, const char *scenario, double interval_s)
{
    memset(f, 0, sizeof(*f));
    f->sim = test_sim_ctx(scenario, NULL);
    assert_int_equal(page_store_init(&f->store), 0);
    f->poller = poller_new(poller_ctx(), "node-1", interval_s, &f->store, &f->err);
    if (!f->poller) fail_msg("poller_new: %s", f->err.data);
}

/* Frees everything; returns how often `function` was called. */
static long teardown(fixture_t *f, const char *function)
{
    poller_free(f->poller);
    page_store_fini(&f->store);
    strbuf_fini(&f->err);
    long calls = test_sim_finish(f->sim, function, false);
    test_sim_cleanup();
    return calls;
}

/* Whether the current page holds `text`; *created receives its time. */
static bool page_has(fixture_t *f, const char *text, uint64_t *created)
{
    page_t *page = page_store_acquire(&f->store);
    assert_non_null(page);
    bool found = strstr(page->data, text) != NULL;
    if (created) *created = page->created_ns;
    page_release(page);
    return found;
}

/* Waits (up to 20 s) until the current page holds `text`. */
static bool wait_for_text(fixture_t *f, const char *text)
{
    for (int i = 0; i < 2000; i++) {
        if (page_has(f, text, NULL)) return true;
        usleep(10 * 1000);
    }
    return false;
}

static void first_page_before_start(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, one_gpu, 3600);
    assert_true(page_has(&f,
                         "gpu_memory_used_MiB{devicename=\"NVIDIA H100 80GB HBM3\","
                         "hostname=\"node-1\",index=\"0\",uuid=\"GPU-0\"} 250.0",
                         NULL));
    assert_false(page_has(&f, PCIE_SERIES, NULL)); /* the slow ticker has not run */
    teardown(&f, "nvmlDeviceGetName");
}

static void slow_counters_are_merged(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, one_gpu, 0.02);
    uint64_t first = 0, later = 0;
    page_has(&f, "", &first);
    assert_int_equal(poller_start(f.poller), 0);
    assert_true(wait_for_text(&f,
                              PCIE_SERIES "devicename=\"NVIDIA H100 80GB HBM3\","
                                          "hostname=\"node-1\",index=\"0\",uuid=\"GPU-0\"} 2.0"));
    assert_true(page_has(&f, /* every slow counter is merged, receive as well as transmit */
                         "gpu_pcie_rx_throughput_MiBps{devicename=\"NVIDIA H100 80GB HBM3\","
                         "hostname=\"node-1\",index=\"0\",uuid=\"GPU-0\"} 1.0",
                         NULL));
    page_has(&f, "", &later);
    assert_true(later > first);                                    /* a page of the fast ticker */
    assert_true(teardown(&f, "nvmlDeviceGetPcieThroughput") >= 2); /* tx and rx */
}

/* While the slow ticker's first round (3 s of PCIe calls) is on its way, the fast ticker
 * publishes a page every 10 ms: 10 new pages, none with PCIe yet. */
static void slow_calls_do_not_hold_pages(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, slow_pcie, 0.01);
    uint64_t seen = 0, created = 0;
    page_has(&f, "", &seen);
    assert_int_equal(poller_start(f.poller), 0);
    int pages = 0;
    for (int i = 0; i < 20000 && pages < 10; i++) {
        assert_false(page_has(&f, PCIE_SERIES, &created));
        if (created != seen) pages++;
        seen = created;
        usleep(1000);
    }
    assert_int_equal(pages, 10);
    teardown(&f, "nvmlDeviceGetName");
}

/* nvitop-exporter lists a MIG device's processes under its MIG-enabled GPU too. */
static void mig_processes_under_their_gpu(void **state)
{
    (void)state;
    fixture_t f;
    setup(&f, mig_gpu, 3600);
    assert_true(page_has(&f, "index=\"0:0\",pid=\"4194301\"", NULL));
    assert_true(page_has(&f, "index=\"0\",pid=\"4194301\"", NULL));
    teardown(&f, "nvmlDeviceGetName");
}

static void second_context_fails(void **state)
{
    (void)state;
    nvitop_ctx_t *sim = test_sim_ctx(one_gpu, NULL);
    nvitop_ctx_t *ctx = poller_ctx();
    setenv("NVITOP_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1", 1);
    page_store_t store;
    assert_int_equal(page_store_init(&store), 0);
    strbuf_t err = {0};
    assert_null(poller_new(ctx, "node-1", 1.0, &store, &err)); /* ctx is freed too */
    assert_non_null(err.data);
    assert_true(str_starts_with(err.data, "NVML ERROR: "));
    assert_null(strchr(err.data, '\n'));
    strbuf_fini(&err);
    page_store_fini(&store);
    test_sim_finish(sim, "nvmlDeviceGetName", false);
    test_sim_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_page_before_start),
        cmocka_unit_test(slow_counters_are_merged),
        cmocka_unit_test(slow_calls_do_not_hold_pages),
        cmocka_unit_test(mig_processes_under_their_gpu),
        cmocka_unit_test(second_context_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
