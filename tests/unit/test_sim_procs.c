/* SPDX-License-Identifier: Apache-2.0 */
/* GPU process lists (types, v1 16-byte and v2/v3 24-byte layouts, two-call pattern, memory
 * "not available") and per-process utilization samples with lastSeenTimeStamp semantics. */
#include "test_sim_common.h"

#include <stddef.h>
#include <sys/time.h>

static const char procs[] =
    "{'process_sample_period_us': 50000, 'devices': ["
    " {'name': 'busy', 'processes': ["
    "   {'pid': 1045, 'type': 'C', 'used_memory': 3332374528, 'sm': 81, 'mem': 26, 'enc': 1,"
    "    'dec': 2},"
    "   {'pid': 1046, 'type': 'G', 'used_memory': null, 'sm': 16, 'mem': 5},"
    "   {'pid': 4194305, 'type': 'C+G', 'used_memory': 1000}]},"
    " {'name': 'idle', 'processes': []}"
    "]}";

static nvmlDevice_t idle_gpu(void)
{
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &dev), NVML_SUCCESS);
    return dev;
}

static void test_layouts(void **state)
{
    (void)state;
    assert_int_equal(sizeof(nvmlProcessInfo_v1_t), 16);
    assert_int_equal(sizeof(nvmlProcessInfo_v2_t), 24);
    assert_int_equal(offsetof(nvmlProcessInfo_v2_t, usedGpuMemory), 8);
    assert_int_equal(offsetof(nvmlProcessInfo_v2_t, gpuInstanceId), 16);
    assert_int_equal(offsetof(nvmlProcessInfo_v2_t, computeInstanceId), 20);
    assert_int_equal(sizeof(nvmlProcessUtilizationSample_t), 32);
}

static void test_compute_and_graphics_lists(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(procs, 0);
    nvmlProcessInfo_v2_t p[4];
    unsigned int n = 4;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].pid, 1045);
    assert_int_equal(p[0].usedGpuMemory, 3332374528ULL);
    assert_int_equal(p[0].gpuInstanceId, 0xFFFFFFFFU);
    assert_int_equal(p[0].computeInstanceId, 0xFFFFFFFFU);
    assert_int_equal(p[1].pid, 4194305); /* beyond the host's pid_max: another namespace */
    assert_int_equal(p[1].usedGpuMemory, 1000);
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetGraphicsRunningProcesses_v2)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].pid, 1046);
    assert_int_equal(p[0].usedGpuMemory, 0xFFFFFFFFFFFFFFFFULL); /* not available */
    assert_int_equal(p[1].pid, 4194305);
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetGraphicsRunningProcesses_v3)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 2);
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetMPSComputeRunningProcesses_v3)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 0);
}

static void test_v1_layout(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(procs, 0);
    unsigned char raw[2 * sizeof(nvmlProcessInfo_v1_t) + 8];
    memset(raw, 0xAB, sizeof raw);
    nvmlProcessInfo_v1_t *p = (nvmlProcessInfo_v1_t *)(void *)raw;
    unsigned int n = 2;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].pid, 1045);
    assert_int_equal(p[0].usedGpuMemory, 3332374528ULL);
    assert_int_equal(p[1].pid, 4194305);
    assert_int_equal(raw[2 * sizeof(nvmlProcessInfo_v1_t)], 0xAB);
    n = 2;
    assert_int_equal(NV(nvmlDeviceGetGraphicsRunningProcesses)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(p[0].pid, 1046);
    n = 2;
    assert_int_equal(NV(nvmlDeviceGetMPSComputeRunningProcesses)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 0);
}

static void test_two_call_pattern(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(procs, 0), idle = idle_gpu();
    nvmlProcessInfo_v2_t p[2];
    unsigned int n = 0;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, NULL),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(n, 2);
    n = 1;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v2)(dev, &n, p),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(n, 2);
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, NULL, p),
                     NVML_ERROR_INVALID_ARGUMENT);
    /* No processes: NULL buffer and count 0 is a success with count 0. */
    n = 0;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(idle, &n, NULL), NVML_SUCCESS);
    assert_int_equal(n, 0);
    n = 2;
    assert_int_equal(NV(nvmlDeviceGetGraphicsRunningProcesses)(idle, &n, NULL), NVML_SUCCESS);
    assert_int_equal(n, 0);
}

static unsigned long long now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (unsigned long long)tv.tv_sec * 1000000ULL + (unsigned long long)tv.tv_usec;
}

static void test_process_utilization(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(procs, 0), idle = idle_gpu();
    nvmlProcessUtilizationSample_t s[4];
    unsigned int n = 0;
    /* Sizing call: the two processes with an "sm" value have a sample. */
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, NULL, &n, 0),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(n, 2);
    n = 1;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, 0),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(n, 2);
    n = 4;
    unsigned long long before = now_us();
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, 0), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].pid, 1045);
    assert_int_equal(s[0].smUtil, 81);
    assert_int_equal(s[0].memUtil, 26);
    assert_int_equal(s[0].encUtil, 1);
    assert_int_equal(s[0].decUtil, 2);
    assert_int_equal(s[1].pid, 1046);
    assert_int_equal(s[1].smUtil, 16);
    assert_int_equal(s[1].encUtil, 0);
    /* CPU timestamps in µs, on the 50 ms sampling grid, not in the future. */
    unsigned long long stamp = s[0].timeStamp;
    assert_int_equal(stamp % 50000, 0);
    assert_true(stamp <= now_us());
    assert_true(stamp + 5000000ULL > before);
    /* Nothing newer than what the caller has seen: NOT_FOUND. Asking again at once with the
     * stamp just returned normally lands in the same 50 ms period; retried in case it did not. */
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, now_us() + 10000000ULL),
                     NVML_ERROR_NOT_FOUND);
    assert_int_equal(n, 0);
    int not_found = 0;
    for (int i = 0; i < 5 && !not_found; i++) {
        n = 4;
        assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, 0), NVML_SUCCESS);
        stamp = s[0].timeStamp;
        n = 4;
        not_found = NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, stamp) == NVML_ERROR_NOT_FOUND;
    }
    assert_true(not_found);
    sim_sleep_ms(60);
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, stamp), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_true(s[0].timeStamp > stamp);
    /* No processes at all. */
    n = 0;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(idle, NULL, &n, 0), NVML_SUCCESS);
    assert_int_equal(n, 0);
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(idle, s, &n, 0), NVML_ERROR_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, NULL, 0),
                     NVML_ERROR_INVALID_ARGUMENT);
}

static void test_process_values_follow_seq(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(
        "{'devices': [{'processes': [{'pid': 7, 'used_memory': {'seq': [100, 200], 'step_s': "
        "0.05}, 'sm': {'seq': [1, 2], 'step_s': 0.05}}]}]}",
        0);
    bool seen[3] = {false};
    double end = sim_now_s() + 0.4;
    while (sim_now_s() < end) {
        nvmlProcessInfo_v2_t p;
        unsigned int n = 1;
        assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, &p), NVML_SUCCESS);
        assert_true(p.usedGpuMemory == 100 || p.usedGpuMemory == 200);
        seen[p.usedGpuMemory / 100] = true;
        sim_sleep_ms(10);
    }
    assert_true(seen[1] && seen[2]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layouts),
        cmocka_unit_test_teardown(test_compute_and_graphics_lists, sim_teardown),
        cmocka_unit_test_teardown(test_v1_layout, sim_teardown),
        cmocka_unit_test_teardown(test_two_call_pattern, sim_teardown),
        cmocka_unit_test_teardown(test_process_utilization, sim_teardown),
        cmocka_unit_test_teardown(test_process_values_follow_seq, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
