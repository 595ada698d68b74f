/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_devices_query() and its begin/end halves against the simulator: the same values and
 * NVML calls as one nvitop_device_query() per device, the PCIe questions of every device asked
 * at once (the scenario's 20 ms latency paid once, not per device and direction), memoised
 * and lost answers, the context used between begin and end, bad arguments. Runs under
 * ThreadSanitizer too (label tsan). */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define GPUS 4
#define PCIE_LATENCY_US 100000

/* GPUS devices; device 2 cannot tell its PCIe throughput, device 3 is lost. */
static char *scenario(bool latency)
{
    static const char *const extra[GPUS] = {
        "", "", ", \"errors\": {\"nvmlDeviceGetPcieThroughput\": \"NOT_SUPPORTED\"}",
        ", \"errors\": {\"*\": \"GPU_IS_LOST\"}"};
    size_t len = 8192;
    char *json = malloc(len);
    assert_non_null(json);
    int n = snprintf(json, len, "{\"driver_version\": \"580.1\", %s \"devices\": [",
                     latency ? "\"latency_us\": {\"nvmlDeviceGetPcieThroughput\": 100000}," : "");
    for (int i = 0; i < GPUS; i++)
        n += snprintf(
            json + n, len - (size_t)n,
            "%s{\"name\": \"G%d\", \"uuid\": \"GPU-00000000-0000-0000-0000-00000000000%d\","
            " \"memory\": {\"total\": 1000, \"used\": %d}, \"temperature\": %d,"
            " \"pcie\": {\"tx_kib_s\": %d, \"rx_kib_s\": %d}, \"processes\": []%s}",
            i ? ", " : "", i, i, 10 * (i + 1), 30 + i, 1000 + i, 2000 + i, extra[i]);
    snprintf(json + n, len - (size_t)n, "]}");
    return json;
}

static nvitop_ctx_t *open_devices(bool latency, nvitop_device_t **devs)
{
    char *json = scenario(latency);
    nvitop_ctx_t *ctx = test_sim_ctx(json, NULL);
    free(json);
    for (unsigned i = 0; i < GPUS; i++)
        assert_int_equal(nvitop_device_get(ctx, i, &devs[i]), 0);
    return ctx;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static const uint64_t asked = NVITOP_DQ_ALL_FAST | NVITOP_DQ_PCIE_THROUGHPUT;

/* One field of two snapshots: the same value and reason (padding aside). */
static void assert_same_field(const nvitop_device_snapshot_t *a, const nvitop_device_snapshot_t *b,
                              const nvitop_field_info_t *f)
{
    const char *pa = (const char *)a + f->offset, *pb = (const char *)b + f->offset;
    if (f->type == NVITOP_VALUE_INT) {
        const nvitop_int_t *x = (const void *)pa, *y = (const void *)pb;
        assert_int_equal(x->na, y->na);
        assert_int_equal(x->value, y->value);
    } else if (f->type == NVITOP_VALUE_REAL) {
        const nvitop_real_t *x = (const void *)pa, *y = (const void *)pb;
        assert_int_equal(x->na, y->na);
        assert_memory_equal(&x->value, &y->value, sizeof(x->value));
    } else {
        const nvitop_str_t *x = (const void *)pa, *y = (const void *)pb;
        assert_int_equal(x->na, y->na);
        assert_string_equal(x->value ? x->value : "-", y->value ? y->value : "-");
    }
}

/* Every field as one query per device gives it. */
static void assert_same_as_single(nvitop_device_t **devs, const nvitop_device_snapshot_t *got)
{
    size_t count;
    const nvitop_field_info_t *fields = nvitop_device_fields(&count);
    for (int i = 0; i < GPUS; i++) {
        nvitop_device_snapshot_t one;
        nvitop_device_query(devs[i], asked, &one);
        assert_int_equal(one.physical_index, got[i].physical_index);
        assert_int_equal(one.mig_index, got[i].mig_index);
        assert_int_equal(one.cuda_index, got[i].cuda_index);
        assert_int_equal(one.is_mig, got[i].is_mig);
        assert_int_equal(one.memory_is_host, got[i].memory_is_host);
        for (size_t k = 0; k < count; k++)
            assert_same_field(&one, &got[i], &fields[k]);
    }
}

static void test_values_and_calls(void **state)
{
    (void)state;
    nvitop_device_t *devs[GPUS];
    nvitop_ctx_t *ctx = open_devices(false, devs);
    nvitop_device_snapshot_t s[GPUS];
    assert_int_equal(nvitop_devices_query(devs, GPUS, asked, s), 0);
    assert_int_equal(s[0].pcie_tx_kibps.value, 1000);
    assert_int_equal(s[0].pcie_rx_kibps.value, 2000);
    assert_int_equal(s[1].pcie_tx_kibps.value, 1001);
    assert_int_equal(s[1].pcie_rx_kibps.value, 2001);
    assert_int_equal(s[1].temperature_c.value, 31);
    assert_int_equal(s[1].physical_index, 1);
    assert_int_equal(s[2].pcie_tx_kibps.na, NVITOP_NA_NOT_SUPPORTED);
    assert_int_equal(s[2].pcie_rx_kibps.na, NVITOP_NA_NOT_SUPPORTED);
    assert_int_equal(s[2].memory_used_bytes.value, 30);
    assert_int_equal(s[3].pcie_tx_kibps.na, NVITOP_NA_GPU_LOST);
    assert_int_equal(s[3].memory_used_bytes.na, NVITOP_NA_GPU_LOST);
    /* Devices 0-1: two directions each; device 2: one "not supported" per direction, then
     * remembered; device 3: found lost by its first question, never asked again. */
    assert_int_equal(nvitop_devices_query(devs, GPUS, asked, s), 0);
    assert_int_equal(s[2].pcie_rx_kibps.na, NVITOP_NA_NOT_SUPPORTED);
    assert_int_equal(s[3].pcie_rx_kibps.na, NVITOP_NA_GPU_LOST);
    assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetPcieThroughput", false), 6 + 4);

    ctx = open_devices(false, devs);
    assert_int_equal(nvitop_devices_query(devs, GPUS, asked, s), 0);
    assert_same_as_single(devs, s); /* 4 more PCIe calls, as the batch's second time */
    assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetPcieThroughput", false), 6 + 4);
}

/* One direction, or a device twice: exactly the calls nvitop_device_query() would make. */
static void test_directions(void **state)
{
    (void)state;
    nvitop_device_t *devs[GPUS];
    nvitop_ctx_t *ctx = open_devices(false, devs);
    nvitop_device_snapshot_t s[3];
    nvitop_device_t *twice[3] = {devs[1], devs[0], devs[1]};
    assert_int_equal(nvitop_devices_query(twice, 3, NVITOP_DQ_PCIE_RX, s), 0);
    assert_int_equal(s[0].pcie_rx_kibps.value, 2001);
    assert_int_equal(s[1].pcie_rx_kibps.value, 2000);
    assert_int_equal(s[2].pcie_rx_kibps.value, 2001);
    assert_int_equal(s[0].pcie_tx_kibps.na, NVITOP_NA_NOT_SAMPLED);
    assert_int_equal(s[0].memory_used_bytes.na, NVITOP_NA_NOT_SAMPLED);
    assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetPcieThroughput", false), 3);
}

/* 2 x 2 live directions at 100 ms each: 400 ms one after the other, about 100 ms at once. A
 * snapshot of the 4 devices makes 6 such calls (600 ms one after the other): 300 ms leaves room
 * for its other work on a loaded machine or under a sanitizer. */
static void test_concurrent(void **state)
{
    (void)state;
    nvitop_device_t *devs[GPUS];
    nvitop_ctx_t *ctx = open_devices(true, devs);
    nvitop_device_snapshot_t s[GPUS];
    double t0 = now_ms();
    assert_int_equal(nvitop_devices_query(devs, 2, NVITOP_DQ_PCIE_THROUGHPUT, s), 0);
    double took = now_ms() - t0;
    assert_int_equal(s[1].pcie_tx_kibps.value, 1001);
    assert_true(took >= PCIE_LATENCY_US / 1e3);
    if (took >= 2 * PCIE_LATENCY_US / 1e3)
        fail_msg("4 PCIe calls took %.1f ms: not concurrent", took);

    /* One device's two directions: nvitop_device_query() asks them at once too. */
    t0 = now_ms();
    assert_int_equal(nvitop_device_query(devs[0], NVITOP_DQ_PCIE_TX | NVITOP_DQ_PCIE_RX, s), 0);
    took = now_ms() - t0;
    assert_int_equal(s[0].pcie_rx_kibps.value, 2000);
    if (took >= 2 * PCIE_LATENCY_US / 1e3) fail_msg("a device's 2 directions took %.1f ms", took);

    /* The same through a snapshot of every device and their processes. */
    nvitop_snapshot_request_t req = {.device_query = NVITOP_DQ_PCIE_THROUGHPUT,
                                     .process_query = NVITOP_PQ_ALL};
    nvitop_snapshot_t *snap;
    t0 = now_ms();
    assert_int_equal(nvitop_snapshot_take(ctx, &req, &snap), 0);
    took = now_ms() - t0;
    assert_int_equal(snap->device_count, GPUS);
    assert_int_equal(snap->devices[1].pcie_rx_kibps.value, 2001);
    nvitop_snapshot_free(snap);
    if (took >= 3 * PCIE_LATENCY_US / 1e3)
        fail_msg("a snapshot took %.1f ms: not concurrent", took);
    test_sim_finish(ctx, "", true);
}

/* The caller goes on using the context while the workers wait for the driver. */
static void test_context_used_between(void **state)
{
    (void)state;
    nvitop_device_t *devs[GPUS];
    nvitop_ctx_t *ctx = open_devices(true, devs);
    nvitop_devices_query_t *q;
    double t0 = now_ms();
    assert_int_equal(nvitop_devices_query_begin(devs, GPUS, asked, &q), 0);
    assert_true(now_ms() - t0 < PCIE_LATENCY_US / 1e3); /* begin does not wait */
    nvitop_device_snapshot_t one, s[GPUS];
    assert_int_equal(nvitop_device_query(devs[0], NVITOP_DQ_MEMORY, &one), 0);
    assert_int_equal(one.memory_used_bytes.value, 10);
    assert_int_equal(nvitop_devices_query_end(q, s), 0);
    assert_int_equal(s[0].pcie_tx_kibps.value, 1000);
    assert_int_equal(s[1].memory_used_bytes.value, 20);
    assert_int_equal(s[2].pcie_rx_kibps.na, NVITOP_NA_NOT_SUPPORTED);
    test_sim_finish(ctx, "", true);
}

#define MAX_TIDS 64

/* The ids of this process's threads; returns how many (at most MAX_TIDS). */
static int list_threads(long *tids)
{
    int n = 0;
    DIR *dir = opendir("/proc/self/task");
    assert_non_null(dir);
    for (struct dirent *e; (e = readdir(dir)) && n < MAX_TIDS;)
        if (e->d_name[0] != '.') tids[n++] = atol(e->d_name);
    closedir(dir);
    return n;
}

static bool blocks_every_signal(long tid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/self/task/%ld/status", tid);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    bool all = false;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "SigBlk:", 7) == 0)
            all = strtoull(line + 7, NULL, 16) >= 0x7fffffffULL; /* signals 1-31 at least */
    fclose(f);
    return all;
}

/* A signal for the program never lands on a worker. */
static void test_workers_block_signals(void **state)
{
    (void)state;
    nvitop_device_t *devs[GPUS];
    nvitop_ctx_t *ctx = open_devices(true, devs);
    long before[MAX_TIDS], during[MAX_TIDS];
    int n_before = list_threads(before);
    nvitop_devices_query_t *q;
    assert_int_equal(nvitop_devices_query_begin(devs, 2, NVITOP_DQ_PCIE_THROUGHPUT, &q), 0);
    int n_during = list_threads(during), workers = 0, blocking = 0;
    for (int i = 0; i < n_during; i++) {
        bool old = false;
        for (int j = 0; j < n_before; j++)
            old = old || before[j] == during[i];
        if (old) continue;
        workers++;
        blocking += blocks_every_signal(during[i]);
    }
    nvitop_device_snapshot_t s[2];
    assert_int_equal(nvitop_devices_query_end(q, s), 0);
    assert_int_equal(workers, 4); /* 2 devices x 2 directions, still waiting for the driver */
    assert_int_equal(blocking, workers);
    test_sim_finish(ctx, "", true);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    nvitop_device_t *devs[GPUS];
    nvitop_ctx_t *ctx = open_devices(false, devs);
    nvitop_device_snapshot_t s[GPUS];
    nvitop_devices_query_t *q = (nvitop_devices_query_t *)&s; /* any non-NULL value */
    assert_int_equal(nvitop_devices_query_begin(NULL, 1, asked, &q), NVITOP_EINVAL);
    assert_null(q);
    assert_int_equal(nvitop_devices_query_begin(devs, GPUS, asked, NULL), NVITOP_EINVAL);
    nvitop_device_t *holes[2] = {devs[0], NULL};
    assert_int_equal(nvitop_devices_query(holes, 2, asked, s), NVITOP_EINVAL);
    assert_int_equal(nvitop_devices_query(devs, GPUS, asked, NULL), NVITOP_EINVAL);
    assert_int_equal(nvitop_devices_query_end(NULL, s), NVITOP_EINVAL);
    assert_int_equal(nvitop_devices_query(NULL, 0, asked, NULL), 0);
    /* A query ended without room for its answers is still freed (ASan: no leak). */
    assert_int_equal(nvitop_devices_query_begin(devs, GPUS, asked, &q), 0);
    assert_int_equal(nvitop_devices_query_end(q, NULL), NVITOP_EINVAL);
    assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetPcieThroughput", false), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_and_calls),
        cmocka_unit_test(test_directions),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_context_used_between),
        cmocka_unit_test(test_workers_block_signals),
        cmocka_unit_test(test_bad_arguments),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    test_sim_cleanup();
    return rc;
}
