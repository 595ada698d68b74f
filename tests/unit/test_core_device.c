/* SPDX-License-Identifier: Apache-2.0 */
/* Device model against the simulator: values read back, NA reasons, caching of static facts
 * and of "not supported", driver failures at init. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const two_gpus =
    "{\"driver_version\": \"580.159.04\", \"nvml_version\": \"13.580.159.04\","
    " \"cuda_driver_version\": 13000, \"devices\": ["
    " {\"name\": \"NVIDIA H100 80GB HBM3\", \"uuid\": \"GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366\","
    "  \"serial\": \"1653723031174\", \"bus_id\": \"00000000:00:06.0\", \"minor_number\": 0,"
    "  \"architecture\": 9, \"brand\": 14, \"cuda_compute_capability\": [9, 0],"
    "  \"memory\": {\"total\": 85520809984, \"reserved\": 503775232, \"used\": 10974396416},"
    "  \"bar1_memory\": {\"total\": 137438953472, \"used\": 10976624640},"
    "  \"utilization\": {\"gpu\": 99, \"memory\": 33}, \"encoder_utilization\": 0,"
    "  \"decoder_utilization\": 0, \"fan_speed\": null, \"temperature\": 54,"
    "  \"temperature_thresholds\": {\"shutdown\": 95, \"slowdown\": 89},"
    "  \"power_usage\": 691822, \"power_limit\": 700000, \"total_energy_consumption\": 19481729,"
    "  \"performance_state\": 0, \"persistence_mode\": 1, \"display_mode\": 1,"
    "  \"display_active\": 0, \"compute_mode\": 0, \"ecc_mode\": 1,"
    "  \"ecc_errors\": {\"volatile_uncorrected\": 0, \"aggregate_uncorrected\": 3},"
    "  \"clocks\": {\"graphics\": 1560, \"sm\": 1560, \"mem\": 2619, \"video\": 1545},"
    "  \"max_clocks\": {\"graphics\": 1980, \"sm\": 1980, \"mem\": 2619, \"video\": 1545},"
    "  \"pcie\": {\"tx_kib_s\": 10092, \"rx_kib_s\": 18813, \"max_link_gen\": 5,"
    "            \"max_link_width\": 16},"
    "  \"mig_mode\": 0, \"processes\": []},"
    " {\"name\": \"NVIDIA GeForce RTX 4090\", \"uuid\": "
    "\"GPU-aaaaaaaa-0000-0000-0000-000000000001\","
    "  \"bus_id\": \"00000000:3B:00.0\", \"memory\": {\"total\": 25757220864, \"used\": 3145728},"
    "  \"utilization\": {\"gpu\": 0, \"memory\": 0}, \"fan_speed\": 30, \"temperature\": 31,"
    "  \"power_usage\": 21000, \"power_limit\": 450000, \"performance_state\": 8,"
    "  \"persistence_mode\": 0, \"display_active\": 1, \"compute_mode\": 3,"
    "  \"errors\": {\"nvmlDeviceGetPowerUsage\": \"NO_PERMISSION\","
    "             \"nvmlDeviceGetTemperature\": \"UNKNOWN\"},"
    "  \"processes\": []}]}";

static void test_values_read_back(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(two_gpus, NULL);
    unsigned count = 0;
    assert_int_equal(nvitop_device_count(ctx, &count), 0);
    assert_int_equal(count, 2);
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_get(ctx, 0, &dev), 0);
    nvitop_device_snapshot_t s;
    assert_int_equal(nvitop_device_query(dev, NVITOP_DQ_ALL_FAST, &s), 0);
    assert_int_equal(s.physical_index, 0);
    assert_int_equal(s.mig_index, -1);
    assert_false(s.is_mig);
    assert_string_equal(s.name.value, "NVIDIA H100 80GB HBM3");
    assert_string_equal(s.uuid.value, "GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366");
    assert_string_equal(s.bus_id.value, "00000000:00:06.0");
    assert_string_equal(s.serial.value, "1653723031174");
    assert_int_equal(s.architecture.value, 9);
    assert_int_equal(s.cuda_capability_major.value, 9);
    assert_int_equal(s.memory_total_bytes.value, 85520809984LL);
    assert_int_equal(s.memory_used_bytes.value, 10974396416LL);
    assert_int_equal(s.memory_reserved_bytes.value, 503775232LL);
    assert_int_equal(s.memory_free_bytes.value, 85520809984LL - 503775232LL - 10974396416LL);
    assert_true(s.memory_percent.value > 12.8 - 1e-9 && s.memory_percent.value < 12.8 + 1e-9);
    assert_int_equal(s.bar1_used_bytes.value, 10976624640LL);
    assert_int_equal(s.gpu_utilization_percent.value, 99);
    assert_int_equal(s.memory_utilization_percent.value, 33);
    assert_int_equal(s.fan_speed_percent.na, NVITOP_NA_NOT_SUPPORTED);
    assert_int_equal(s.temperature_c.value, 54);
    assert_int_equal(s.temperature_slowdown_c.value, 89);
    assert_int_equal(s.power_usage_mw.value, 691822);
    assert_int_equal(s.power_limit_mw.value, 700000);
    assert_true(s.power_percent.value > 98.8 && s.power_percent.value < 98.9);
    assert_int_equal(s.energy_consumption_mj.value, 19481729);
    assert_int_equal(s.performance_state.value, 0);
    assert_int_equal(s.persistence_mode.value, NVITOP_ENABLED);
    assert_int_equal(s.display_active.value, NVITOP_DISABLED);
    assert_int_equal(s.ecc_errors_aggregate_uncorrected.value, 3);
    assert_int_equal(s.clock_sm_mhz.value, 1560);
    assert_int_equal(s.max_clock_memory_mhz.value, 2619);
    assert_int_equal(s.mig_mode.value, 0);
    assert_int_equal(s.gpu_instance_id.na, NVITOP_NA_NOT_APPLICABLE);
    assert_int_equal(s.driver_model.na, NVITOP_NA_NOT_SUPPORTED);
    assert_int_equal(s.pcie_tx_kibps.na, NVITOP_NA_NOT_SAMPLED); /* slow: not asked */
    assert_int_equal(nvitop_device_query(dev, NVITOP_DQ_PCIE_THROUGHPUT, &s), 0);
    assert_int_equal(s.pcie_tx_kibps.value, 10092);
    assert_int_equal(s.pcie_rx_kibps.value, 18813);
    assert_int_equal(s.name.na, NVITOP_NA_NOT_SAMPLED);

    nvitop_str_t drv = nvitop_driver_version(ctx);
    assert_string_equal(drv.value, "580.159.04");
    assert_int_equal(nvitop_cuda_driver_version(ctx).value, 13000);
    test_sim_finish(ctx, "", true);
}

static void test_na_reasons(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(two_gpus, NULL);
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_get(ctx, 1, &dev), 0);
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_ALL_FAST, &s);
    assert_int_equal(s.power_usage_mw.na, NVITOP_NA_NO_PERMISSION);
    assert_int_equal(s.power_percent.na, NVITOP_NA_NO_PERMISSION);
    assert_int_equal(s.temperature_c.na, NVITOP_NA_DRIVER_ERROR);
    assert_int_equal(s.ecc_errors_volatile_uncorrected.na, NVITOP_NA_NOT_SUPPORTED);
    assert_int_equal(s.serial.na, NVITOP_NA_NOT_SUPPORTED);
    assert_null(s.serial.value);
    assert_int_equal(s.fan_speed_percent.value, 30);
    assert_int_equal(s.compute_mode.value, NVITOP_COMPUTE_MODE_EXCLUSIVE_PROCESS);
    assert_int_equal(s.performance_state.value, 8);
    assert_int_equal(s.memory_reserved_bytes.value, 0);
    test_sim_finish(ctx, "", true);
}

/* Static facts once; "not supported" never asked twice; a transient error asked again. */
static void test_caching(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(two_gpus, NULL);
    nvitop_device_t *h100, *rtx;
    nvitop_device_get(ctx, 0, &h100);
    nvitop_device_get(ctx, 1, &rtx);
    nvitop_device_snapshot_t s;
    for (int i = 0; i < 5; i++) {
        nvitop_device_query(h100, NVITOP_DQ_NAME | NVITOP_DQ_FAN | NVITOP_DQ_MEMORY, &s);
        assert_string_equal(s.name.value, "NVIDIA H100 80GB HBM3");
        assert_int_equal(s.fan_speed_percent.na, NVITOP_NA_NOT_SUPPORTED);
        nvitop_device_query(rtx, NVITOP_DQ_TEMPERATURE, &s);
        assert_int_equal(s.temperature_c.na, NVITOP_NA_DRIVER_ERROR);
    }
    nvitop_shutdown(ctx);
    assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetName", false), 1);
}

static void test_call_counts(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(two_gpus, NULL);
    nvitop_device_t *h100;
    nvitop_device_get(ctx, 0, &h100);
    nvitop_device_snapshot_t s;
    for (int i = 0; i < 4; i++)
        nvitop_device_query(h100, NVITOP_DQ_FAN | NVITOP_DQ_MEMORY, &s);
    long fan = test_sim_finish(ctx, "nvmlDeviceGetFanSpeed", true);
    assert_int_equal(fan, 1);

    ctx = test_sim_ctx(two_gpus, NULL);
    nvitop_device_get(ctx, 1, &h100);
    for (int i = 0; i < 4; i++)
        nvitop_device_query(h100, NVITOP_DQ_TEMPERATURE | NVITOP_DQ_MEMORY, &s);
    long temperature = test_sim_finish(ctx, "nvmlDeviceGetTemperature", true);
    assert_int_equal(temperature, 4); /* UNKNOWN may pass: asked every time */

    ctx = test_sim_ctx(two_gpus, NULL);
    nvitop_device_get(ctx, 0, &h100);
    for (int i = 0; i < 3; i++)
        nvitop_device_query(h100, NVITOP_DQ_MEMORY, &s);
    assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetMemoryInfo_v2", false), 3);
}

/* PCIe throughput costs 20 ms per direction: a per-direction bit asks only its direction. */
static void test_pcie_direction_call_counts(void **state)
{
    (void)state;
    const uint64_t asks[] = {NVITOP_DQ_PCIE_TX, NVITOP_DQ_PCIE_RX, NVITOP_DQ_PCIE_THROUGHPUT,
                             NVITOP_DQ_PCIE_THROUGHPUT | NVITOP_DQ_PCIE_TX};
    const long calls[] = {1, 1, 2, 2};
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        nvitop_ctx_t *ctx = test_sim_ctx(two_gpus, NULL);
        nvitop_device_t *h100;
        nvitop_device_get(ctx, 0, &h100);
        nvitop_device_snapshot_t s;
        nvitop_device_query(h100, asks[i], &s);
        bool tx = asks[i] & (NVITOP_DQ_PCIE_TX | NVITOP_DQ_PCIE_THROUGHPUT);
        bool rx = asks[i] & (NVITOP_DQ_PCIE_RX | NVITOP_DQ_PCIE_THROUGHPUT);
        assert_int_equal(s.pcie_tx_kibps.na, tx ? NVITOP_NA_NONE : NVITOP_NA_NOT_SAMPLED);
        assert_int_equal(s.pcie_rx_kibps.na, rx ? NVITOP_NA_NONE : NVITOP_NA_NOT_SAMPLED);
        if (tx) assert_int_equal(s.pcie_tx_kibps.value, 10092);
        if (rx) assert_int_equal(s.pcie_rx_kibps.value, 18813);
        assert_int_equal(test_sim_finish(ctx, "nvmlDeviceGetPcieThroughput", false), calls[i]);
    }
}

static const char *const lost_second =
    "{\"driver_version\": \"580.1\", \"devices\": ["
    " {\"name\": \"A\", \"uuid\": \"GPU-00000000-0000-0000-0000-000000000000\","
    "  \"memory\": {\"total\": 1000, \"used\": 10}, \"processes\": []},"
    " {\"name\": \"B\", \"uuid\": \"GPU-00000000-0000-0000-0000-000000000001\","
    "  \"memory\": {\"total\": 1000, \"used\": 10}, \"processes\": [],"
    "  \"errors\": {\"*\": \"GPU_IS_LOST\"}}]}";

static void test_gpu_lost(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(lost_second, NULL);
    unsigned count;
    nvitop_device_count(ctx, &count);
    assert_int_equal(count, 2);
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_get(ctx, 1, &dev), 0);
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_ALL_FAST, &s);
    assert_int_equal(s.name.na, NVITOP_NA_GPU_LOST);
    assert_int_equal(s.memory_used_bytes.na, NVITOP_NA_GPU_LOST);
    assert_int_equal(s.memory_percent.na, NVITOP_NA_GPU_LOST);
    nvitop_process_list_t *procs = NULL;
    assert_int_equal(nvitop_device_processes(dev, NVITOP_PQ_ALL, &procs), NVITOP_EGPULOST);
    assert_null(procs); /* nothing to free on error */
    nvitop_device_get(ctx, 0, &dev);
    nvitop_device_query(dev, NVITOP_DQ_NAME | NVITOP_DQ_MEMORY, &s);
    assert_string_equal(s.name.value, "A");
    test_sim_finish(ctx, "", true);
}

static void test_init_failures(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = NULL;
    assert_int_equal(
        test_sim_init("{\"init_error\": \"DRIVER_NOT_LOADED\", \"devices\": []}", NULL, &ctx),
        NVITOP_ENODRIVER);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "driver is not loaded"));
    assert_false(nvitop_is_initialized(ctx));
    unsigned count;
    assert_int_equal(nvitop_device_count(ctx, &count), NVITOP_ENOTINIT);
    test_sim_cleanup();

    assert_int_equal(
        test_sim_init("{\"init_error\": \"LIB_RM_VERSION_MISMATCH\", \"devices\": []}", NULL, &ctx),
        NVITOP_EVERSION);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "different versions"));
    test_sim_cleanup();

    assert_int_equal(
        test_sim_init("{\"init_error\": \"NO_PERMISSION\", \"devices\": []}", NULL, &ctx),
        NVITOP_EPERM);
    test_sim_cleanup();

    unsetenv("NVML_SIM_SCENARIO");
    nvitop_options_t opts = {.nvml_library = getenv("NVITOP_SIM_LIB")};
    ctx = nvitop_ctx_new(&opts, NULL);
    assert_int_equal(nvitop_init(ctx), NVITOP_ENODRIVER);
    nvitop_ctx_free(ctx);

    opts.nvml_library = "/nonexistent/libnvidia-ml.so.1";
    ctx = nvitop_ctx_new(&opts, NULL);
    assert_int_equal(nvitop_init(ctx), NVITOP_ENOLIB);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "NVML) not found"));
    assert_null(strchr(nvitop_ctx_message(ctx), '\n'));
    nvitop_ctx_free(ctx);

    setenv("NVITOP_NVML_LIBRARY", "/nonexistent/libnvml.so", 1);
    ctx = nvitop_ctx_new(NULL, NULL);
    assert_int_equal(nvitop_init(ctx), NVITOP_ENOLIB);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "/nonexistent/libnvml.so"));
    nvitop_ctx_free(ctx);
    unsetenv("NVITOP_NVML_LIBRARY");

    /* A library that is not NVML. */
    opts.nvml_library = "libm.so.6";
    ctx = nvitop_ctx_new(&opts, NULL);
    assert_int_equal(nvitop_init(ctx), NVITOP_ENOLIB);
    assert_non_null(strstr(nvitop_ctx_message(ctx), "not an NVIDIA Management Library"));
    nvitop_ctx_free(ctx);
}

static void test_zero_devices_and_reinit(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx("{\"driver_version\": \"1\", \"devices\": []}", NULL);
    unsigned count = 7;
    assert_int_equal(nvitop_device_count(ctx, &count), 0);
    assert_int_equal(count, 0);
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_get(ctx, 0, &dev), NVITOP_ENOTFOUND);
    nvitop_shutdown(ctx);
    nvitop_shutdown(ctx);
    assert_int_equal(nvitop_init(ctx), 0);
    assert_int_equal(nvitop_init(ctx), 0);
    test_sim_finish(ctx, "", true);
}

static void test_lookup(void **state)
{
    (void)state;
    nvitop_ctx_t *ctx = test_sim_ctx(two_gpus, NULL);
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_by_uuid(ctx, "GPU-aaaaaaaa-0000-0000-0000-000000000001", &dev),
                     0);
    assert_int_equal(nvitop_device_physical_index(dev), 1);
    assert_int_equal(nvitop_device_by_uuid(ctx, "GPU-1DE2F14B-CD12-82D1-AA10-2FA6F4E66366", &dev),
                     0);
    assert_int_equal(nvitop_device_physical_index(dev), 0);
    assert_int_equal(nvitop_device_by_uuid(ctx, "GPU-1de2f14b", &dev), NVITOP_ENOTFOUND);
    assert_int_equal(nvitop_device_by_uuid(ctx, "1de2f14b", &dev), NVITOP_EINVAL);
    const char *ids[] = {"00000000:3B:00.0", "0000:3b:00.0", "3b:00.0", "00000000:3b:00"};
    for (size_t i = 0; i < 4; i++) {
        dev = NULL;
        assert_int_equal(nvitop_device_by_bus_id(ctx, ids[i], &dev), 0);
        assert_int_equal(nvitop_device_physical_index(dev), 1);
    }
    assert_int_equal(nvitop_device_by_bus_id(ctx, "00000000:99:00.0", &dev), NVITOP_ENOTFOUND);
    assert_int_equal(nvitop_device_by_bus_id(ctx, "zz:00.0", &dev), NVITOP_EINVAL);
    assert_int_equal(nvitop_device_by_bus_id(ctx, "", &dev), NVITOP_EINVAL);
    assert_int_equal(nvitop_device_mig_count(dev), 0);
    assert_true(nvitop_device_parent(dev) == dev);
    test_sim_finish(ctx, "", true);
}

/* A scenario of one GPU with the scenario keys `extra`. */
static const char *one_gpu(char *buf, size_t len, const char *extra)
{
    snprintf(buf, len,
             "{\"devices\": [{\"name\": \"GPU\", \"uuid\": "
             "\"GPU-00000000-0000-0000-0000-00000000000a\", \"processes\": [], %s}]}",
             extra);
    return buf;
}

static nvitop_device_snapshot_t memory_of(nvitop_ctx_t *ctx)
{
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_get(ctx, 0, &dev), 0);
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_MEMORY, &s);
    return s;
}

/* Percentages are Python's round(100.0 * used / total, 1): the exact binary value to the
 * nearest tenth, exact halves to even (2 GiB of 32 GiB is 6.25 %: 6.2; 15 of 10000 B is
 * 0.1499... %: 0.1), where scaling by 10 and rounding gave 6.3 and 0.2. */
static void test_percent_python_round(void **state)
{
    (void)state;
    char buf[512];
    nvitop_ctx_t *ctx = test_sim_ctx(
        one_gpu(buf, sizeof(buf),
                "\"memory\": {\"total\": 34359738368, \"reserved\": 541065216,"
                " \"used\": 2147483648}, \"bar1_memory\": {\"total\": 10000, \"used\": 15}"),
        NULL);
    nvitop_device_t *dev;
    assert_int_equal(nvitop_device_get(ctx, 0, &dev), 0);
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_MEMORY | NVITOP_DQ_BAR1, &s);
    assert_true(s.memory_percent.value == 6.2);
    assert_true(s.bar1_percent.value == 0.1);
    test_sim_finish(ctx, "", true);
}

/* A GPU that shares the host's memory (ATS addressing: GB10, Tegra) and has none of its own
 * (NVML: a total of 0, or NOT_SUPPORTED) reports the host's, as nvitop does. */
static void test_unified_memory(void **state)
{
    (void)state;
    char buf[512];
    static const char *const no_memory[] = {
        "\"addressing_mode\": 2, \"memory\": {\"total\": 0, \"used\": 0}",
        "\"addressing_mode\": 2, \"memory\": null",
    };
    for (size_t i = 0; i < 2; i++) {
        nvitop_ctx_t *ctx = test_sim_ctx(one_gpu(buf, sizeof(buf), no_memory[i]), NULL);
        nvitop_device_snapshot_t s = memory_of(ctx);
        assert_true(s.memory_is_host);
        assert_int_equal(s.memory_total_bytes.na, NVITOP_NA_NONE);
        assert_true(s.memory_total_bytes.value > 0);
        test_sim_finish(ctx, "", true);
    }
}

/* A discrete GPU never shows the host's RAM: not when NVML fails its memory query with
 * NOT_SUPPORTED (HMM or no addressing mode at all), nor when its handle is refused. */
static void test_discrete_never_host_memory(void **state)
{
    (void)state;
    char buf[512];
    static const char *const discrete[] = {
        "\"memory\": {\"total\": 85899345920, \"used\": 0},"
        " \"errors\": {\"nvmlDeviceGetMemoryInfo\": \"NOT_SUPPORTED\"}",
        "\"addressing_mode\": 1, \"memory\": null",
        "\"addressing_mode\": 2, \"memory\": {\"total\": 85899345920, \"used\": 0},"
        " \"errors\": {\"nvmlDeviceGetHandleByIndex\": \"NOT_SUPPORTED\"}",
        "\"memory\": {\"total\": 85899345920, \"used\": 0},"
        " \"errors\": {\"nvmlDeviceGetHandleByIndex\": \"NO_PERMISSION\"}",
    };
    for (size_t i = 0; i < sizeof(discrete) / sizeof(discrete[0]); i++) {
        nvitop_ctx_t *ctx = test_sim_ctx(one_gpu(buf, sizeof(buf), discrete[i]), NULL);
        nvitop_device_snapshot_t s = memory_of(ctx);
        assert_false(s.memory_is_host);
        assert_int_not_equal(s.memory_total_bytes.na, NVITOP_NA_NONE);
        assert_int_not_equal(s.memory_used_bytes.na, NVITOP_NA_NONE);
        test_sim_finish(ctx, "", true);
    }
}

/* Rewrites the running simulator's scenario (it rereads a file whose mtime changed). */
static void rewrite_scenario(const char *json)
{
    const char *path = getenv("NVML_SIM_SCENARIO");
    assert_non_null(path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(json, f);
    assert_int_equal(fclose(f), 0);
    struct timespec later[2] = {{time(NULL) + 5, 0}, {time(NULL) + 5, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, later, 0), 0);
    usleep(150 * 1000); /* the simulator looks at the mtime at most every 100 ms */
}

/* A discrete GPU's passing NOT_SUPPORTED is not remembered: once the driver answers again,
 * so does the memory (a long-running exporter showed N/A, or the host's RAM, for good). */
static void test_memory_error_not_remembered(void **state)
{
    (void)state;
    char buf[512];
    nvitop_ctx_t *ctx =
        test_sim_ctx(one_gpu(buf, sizeof(buf),
                             "\"memory\": {\"total\": 85899345920, \"used\": 1073741824},"
                             " \"errors\": {\"nvmlDeviceGetMemoryInfo\": \"NOT_SUPPORTED\"}"),
                     NULL);
    assert_int_equal(memory_of(ctx).memory_total_bytes.na, NVITOP_NA_NOT_SUPPORTED);
    rewrite_scenario(
        one_gpu(buf, sizeof(buf), "\"memory\": {\"total\": 85899345920, \"used\": 1073741824}"));
    nvitop_device_snapshot_t s = memory_of(ctx);
    assert_false(s.memory_is_host);
    assert_int_equal(s.memory_total_bytes.na, NVITOP_NA_NONE);
    assert_true(s.memory_total_bytes.value == 85899345920LL);
    assert_true(s.memory_used_bytes.value == 1073741824LL);
    test_sim_finish(ctx, "", true);
}

static void teardown(void)
{
    test_sim_cleanup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_read_back),
        cmocka_unit_test(test_na_reasons),
        cmocka_unit_test(test_caching),
        cmocka_unit_test(test_call_counts),
        cmocka_unit_test(test_pcie_direction_call_counts),
        cmocka_unit_test(test_gpu_lost),
        cmocka_unit_test(test_init_failures),
        cmocka_unit_test(test_zero_devices_and_reinit),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_percent_python_round),
        cmocka_unit_test(test_unified_memory),
        cmocka_unit_test(test_discrete_never_host_memory),
        cmocka_unit_test(test_memory_error_not_remembered),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    teardown();
    return rc;
}
