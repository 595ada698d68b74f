/* SPDX-License-Identifier: Apache-2.0 */
/* Injected errors (by base name for every version, by versioned name for one, "*" for every
 * per-device call, lookups, MIG devices of a lost GPU) and latency_us (honoured as a lower
 * bound, by base or versioned name, never holding the lock while waiting). */
#include "test_sim_common.h"

#include <pthread.h>
#include <stdatomic.h>

static void test_error_by_base_and_versioned_name(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(
        "{'devices': [{'name': 'x', 'memory': {'total': 10, 'used': 1}, 'temperature': 50,"
        "  'errors': {'nvmlDeviceGetMemoryInfo': 'NO_PERMISSION',"
        "             'nvmlDeviceGetComputeRunningProcesses_v3': 'UNKNOWN',"
        "             'nvmlDeviceGetTemperature': 'TIMEOUT',"
        "             'nvmlDeviceGetTemperatureV': 'IN_USE'}},"
        " {'name': 'y', 'memory': {'total': 10, 'used': 1}}]}",
        0);
    nvmlMemory_t m1;
    nvmlMemory_v2_t m2 = {.version = nvmlMemory_v2};
    unsigned int n = 0, v;
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo)(dev, &m1), NVML_ERROR_NO_PERMISSION);
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(dev, &m2), NVML_ERROR_NO_PERMISSION);
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, NULL),
                     NVML_ERROR_UNKNOWN);
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v2)(dev, &n, NULL), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses)(dev, &n, NULL), NVML_SUCCESS);
    /* A versioned name wins over the base name for its own version. */
    nvmlTemperature_v1_t t = {.version = nvmlTemperature_v1};
    assert_int_equal(NV(nvmlDeviceGetTemperature)(dev, NVML_TEMPERATURE_GPU, &v),
                     NVML_ERROR_TIMEOUT);
    assert_int_equal(NV(nvmlDeviceGetTemperatureV)(dev, &t), NVML_ERROR_IN_USE);
    /* Only that device. */
    nvmlDevice_t other = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &other), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo)(other, &m1), NVML_SUCCESS);
}

static void test_star_loses_the_gpu(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start(
        "{'devices': [{'name': 'lost', 'uuid': 'GPU-1', 'temperature': 50, 'mig_mode': 1,"
        "  'errors': {'*': 'GPU_IS_LOST', 'nvmlDeviceGetName': 'TIMEOUT'},"
        "  'mig_devices': [{'gpu_instance_id': 1, 'compute_instance_id': 0, 'name': 'm'}]},"
        " {'name': 'fine', 'temperature': 40}]}",
        0);
    char buf[96];
    unsigned int v, n = 0;
    unsigned long long ull;
    nvmlMemory_t m;
    /* The handle is still handed out (the product can show the lost GPU as a row). */
    nvmlDevice_t h = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("GPU-1", &h), NVML_SUCCESS);
    const nvmlReturn_t rs[] = {
        NV(nvmlDeviceGetTemperature)(dev, NVML_TEMPERATURE_GPU, &v),
        NV(nvmlDeviceGetUUID)(dev, buf, sizeof buf),
        NV(nvmlDeviceGetIndex)(dev, &v),
        NV(nvmlDeviceGetMemoryInfo)(dev, &m),
        NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, NULL),
        NV(nvmlDeviceGetTotalEnergyConsumption)(dev, &ull),
        NV(nvmlDeviceGetMigMode)(dev, &v, &v),
        NV(nvmlDeviceIsMigDeviceHandle)(dev, &v),
        NV(nvmlDeviceGetDriverModel)(dev, NULL, NULL),
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++)
        if (rs[i] != NVML_ERROR_GPU_IS_LOST)
            fail_msg("call %zu answered %d instead of GPU_IS_LOST", i, rs[i]);
    assert_int_equal(NV(nvmlDeviceGetName)(dev, buf, sizeof buf), NVML_ERROR_TIMEOUT);
    nvmlDevice_t fine = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &fine), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetTemperature)(fine, NVML_TEMPERATURE_GPU, &v), NVML_SUCCESS);
    assert_int_equal(v, 40);
}

static void test_star_reaches_mig_devices(void **state)
{
    (void)state;
    /* The MIG handle was taken while the GPU was fine; then the GPU is lost. */
    static const char fine[] =
        "{'devices': [{'uuid': 'GPU-1', 'mig_mode': 1, 'mig_devices': [{'gpu_instance_id': 1,"
        " 'compute_instance_id': 0, 'name': 'm', 'errors': {'nvmlDeviceGetUUID': 'NO_DATA'}}]}]}";
    static const char lost[] =
        "{'devices': [{'uuid': 'GPU-1', 'mig_mode': 1, 'errors': {'*': 'GPU_IS_LOST'},"
        " 'mig_devices': [{'gpu_instance_id': 1, 'compute_instance_id': 0, 'name': 'm'}]}]}";
    nvmlDevice_t dev = sim_start(fine, 0), m = NULL;
    char buf[96];
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(dev, 0, &m), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetName)(m, buf, sizeof buf), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetUUID)(m, buf, sizeof buf), NVML_ERROR_NO_DATA);
    sim_replace_scenario(lost);
    assert_int_equal(NV(nvmlDeviceGetName)(m, buf, sizeof buf), NVML_ERROR_GPU_IS_LOST);
}

static void test_lookup_errors(void **state)
{
    (void)state;
    sim_use_scenario("{'devices': [{'uuid': 'GPU-1', 'bus_id': '00:01.0', 'errors': "
                     "{'nvmlDeviceGetHandleByIndex': 'NO_PERMISSION',"
                     " 'nvmlDeviceGetHandleByPciBusId_v2': 'UNKNOWN', '*': 'GPU_IS_LOST'}}]}");
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    nvmlDevice_t h = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex)(0, &h), NVML_ERROR_NO_PERMISSION);
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(0, &h), NVML_ERROR_NO_PERMISSION);
    assert_null(h);
    assert_int_equal(NV(nvmlDeviceGetHandleByPciBusId_v2)("00:01.0", &h), NVML_ERROR_UNKNOWN);
    assert_int_equal(NV(nvmlDeviceGetHandleByPciBusId)("00:01.0", &h), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("GPU-1", &h), NVML_SUCCESS);
}

static double timed_temperature(nvmlDevice_t dev)
{
    unsigned int v;
    double t0 = sim_now_s();
    assert_int_equal(NV(nvmlDeviceGetTemperature)(dev, NVML_TEMPERATURE_GPU, &v), NVML_SUCCESS);
    return sim_now_s() - t0;
}

static void test_latency(void **state)
{
    (void)state;
    sim_use_scenario("{'latency_us': {'nvmlInit': 20000, 'nvmlDeviceGetTemperature': 30000,"
                     " 'nvmlDeviceGetPowerUsage': 300, 'nvmlDeviceGetMemoryInfo_v2': 20000},"
                     " 'devices': [{'temperature': 1, 'power_usage': 1,"
                     "              'memory': {'total': 10, 'used': 1}}]}");
    double t0 = sim_now_s();
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    assert_true(sim_now_s() - t0 >= 0.019);
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(0, &dev), NVML_SUCCESS);
    assert_true(timed_temperature(dev) >= 0.029);
    /* Sub-millisecond latencies (busy waits) add up too. */
    unsigned int v;
    t0 = sim_now_s();
    for (int i = 0; i < 10; i++)
        assert_int_equal(NV(nvmlDeviceGetPowerUsage)(dev, &v), NVML_SUCCESS);
    assert_true(sim_now_s() - t0 >= 0.0029);
    nvmlMemory_v2_t m = {.version = nvmlMemory_v2};
    t0 = sim_now_s();
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(dev, &m), NVML_SUCCESS);
    assert_true(sim_now_s() - t0 >= 0.019);
}

struct slow_call {
    nvmlDevice_t dev;
    atomic_int done;
};

static void *slow_thread(void *arg)
{
    struct slow_call *s = arg;
    unsigned int v;
    NV(nvmlDeviceGetTemperature)(s->dev, NVML_TEMPERATURE_GPU, &v);
    atomic_store(&s->done, 1);
    return NULL;
}

/* A call waiting out its latency does not block other threads' calls. */
static void test_latency_does_not_hold_the_lock(void **state)
{
    (void)state;
    nvmlDevice_t dev = sim_start("{'latency_us': {'nvmlDeviceGetTemperature': 800000},"
                                 " 'devices': [{'temperature': 1, 'power_usage': 2}]}",
                                 0);
    struct slow_call s = {.dev = dev};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, slow_thread, &s), 0);
    sim_sleep_ms(50);
    unsigned int v = 0;
    assert_int_equal(NV(nvmlDeviceGetPowerUsage)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 2);
    assert_int_equal(atomic_load(&s.done), 0);
    pthread_join(th, NULL);
    assert_int_equal(atomic_load(&s.done), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_error_by_base_and_versioned_name, sim_teardown),
        cmocka_unit_test_teardown(test_star_loses_the_gpu, sim_teardown),
        cmocka_unit_test_teardown(test_star_reaches_mig_devices, sim_teardown),
        cmocka_unit_test_teardown(test_lookup_errors, sim_teardown),
        cmocka_unit_test_teardown(test_latency, sim_teardown),
        cmocka_unit_test_teardown(test_latency_does_not_hold_the_lock, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
