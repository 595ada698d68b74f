/* SPDX-License-Identifier: Apache-2.0 */
/* The shipped h100-under-load scenario answers what the real H100 answered in the reference
 * capture (nvml-values-under-load.json, driver 580.159.04), value for value. */
#include "test_sim_common.h"

static nvmlDevice_t start_h100(void)
{
    char path[4096];
    test_path(path, sizeof path, "NVITOP_SCENARIOS", "h100-under-load.json");
    setenv("NVML_SIM_SCENARIO", path, 1);
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(0, &dev), NVML_SUCCESS);
    return dev;
}

static void test_system_and_identity(void **state)
{
    (void)state;
    nvmlDevice_t dev = start_h100();
    char buf[96];
    int cuda = 0;
    unsigned int v = 0;
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "580.159.04");
    assert_int_equal(NV(nvmlSystemGetNVMLVersion)(buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "13.580.159.04");
    assert_int_equal(NV(nvmlSystemGetCudaDriverVersion_v2)(&cuda), NVML_SUCCESS);
    assert_int_equal(cuda, 13000);
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&v), NVML_SUCCESS);
    assert_int_equal(v, 1);
    assert_int_equal(NV(nvmlDeviceGetName)(dev, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "NVIDIA H100 80GB HBM3");
    assert_int_equal(NV(nvmlDeviceGetUUID)(dev, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366");
    assert_int_equal(NV(nvmlDeviceGetSerial)(dev, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "1653723031174");
    nvmlPciInfo_t pci;
    assert_int_equal(NV(nvmlDeviceGetPciInfo_v3)(dev, &pci), NVML_SUCCESS);
    assert_string_equal(pci.busId, "00000000:00:06.0");
    assert_string_equal(pci.busIdLegacy, "0000:00:06.0");
    assert_int_equal(pci.device, 6);
    assert_int_equal(pci.pciDeviceId, 590352606U);
    assert_int_equal(pci.pciSubSystemId, 381751518U);
    assert_int_equal(NV(nvmlDeviceGetBrand)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 14);
    assert_int_equal(NV(nvmlDeviceGetArchitecture)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 9);
    int major, minor;
    assert_int_equal(NV(nvmlDeviceGetCudaComputeCapability)(dev, &major, &minor), NVML_SUCCESS);
    assert_int_equal(major * 10 + minor, 90);
}

static void test_memory_utilization_power(void **state)
{
    (void)state;
    nvmlDevice_t dev = start_h100();
    nvmlMemory_t m1;
    nvmlMemory_v2_t m2 = {.version = nvmlMemory_v2};
    nvmlBAR1Memory_t bar1;
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo)(dev, &m1), NVML_SUCCESS);
    assert_int_equal(m1.total, 85520809984ULL);
    assert_int_equal(m1.free, 74042638336ULL);
    assert_int_equal(m1.used, 11478171648ULL);
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(dev, &m2), NVML_SUCCESS);
    assert_int_equal(m2.reserved, 503775232ULL);
    assert_int_equal(m2.used, 10974396416ULL);
    assert_int_equal(NV(nvmlDeviceGetBAR1MemoryInfo)(dev, &bar1), NVML_SUCCESS);
    assert_int_equal(bar1.bar1Total, 137438953472ULL);
    assert_int_equal(bar1.bar1Free, 126462328832ULL);
    assert_int_equal(bar1.bar1Used, 10976624640ULL);
    nvmlUtilization_t u;
    assert_int_equal(NV(nvmlDeviceGetUtilizationRates)(dev, &u), NVML_SUCCESS);
    assert_true(u.gpu >= 96 && u.gpu <= 100); /* moves around the captured 99 */
    assert_true(u.memory >= 30 && u.memory <= 35);
    unsigned int v = 0, period = 0;
    unsigned long long ull = 0;
    assert_int_equal(NV(nvmlDeviceGetEncoderUtilization)(dev, &v, &period), NVML_SUCCESS);
    assert_int_equal(v, 0);
    assert_int_equal(period, 100000);
    assert_int_equal(NV(nvmlDeviceGetFanSpeed)(dev, &v), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetNumFans)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 0);
    assert_int_equal(NV(nvmlDeviceGetTemperature)(dev, NVML_TEMPERATURE_GPU, &v), NVML_SUCCESS);
    assert_int_equal(v, 54);
    assert_int_equal(
        NV(nvmlDeviceGetTemperatureThreshold)(dev, NVML_TEMPERATURE_THRESHOLD_SLOWDOWN, &v),
        NVML_SUCCESS);
    assert_int_equal(v, 89);
    assert_int_equal(NV(nvmlDeviceGetPowerUsage)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 691822);
    assert_int_equal(NV(nvmlDeviceGetEnforcedPowerLimit)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 700000);
    assert_int_equal(NV(nvmlDeviceGetTotalEnergyConsumption)(dev, &ull), NVML_SUCCESS);
    assert_int_equal(ull, 19481729ULL);
    assert_int_equal(NV(nvmlDeviceGetCurrentClocksThrottleReasons)(dev, &ull), NVML_SUCCESS);
    assert_int_equal(ull, 4);
    assert_int_equal(NV(nvmlDeviceGetClockInfo)(dev, NVML_CLOCK_SM, &v), NVML_SUCCESS);
    assert_int_equal(v, 1560);
    assert_int_equal(NV(nvmlDeviceGetMaxClockInfo)(dev, NVML_CLOCK_GRAPHICS, &v), NVML_SUCCESS);
    assert_int_equal(v, 1980);
    assert_int_equal(NV(nvmlDeviceGetMaxPcieLinkGeneration)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 5);
    assert_int_equal(NV(nvmlDeviceGetMaxPcieLinkWidth)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 16);
}

static void test_modes_and_processes(void **state)
{
    (void)state;
    nvmlDevice_t dev = start_h100();
    nvmlEnableState_t cur, pend;
    unsigned int v = 9, mig_pend = 9;
    assert_int_equal(NV(nvmlDeviceGetPersistenceMode)(dev, &cur), NVML_SUCCESS);
    assert_int_equal(cur, NVML_FEATURE_ENABLED);
    assert_int_equal(NV(nvmlDeviceGetDisplayMode)(dev, &cur), NVML_SUCCESS);
    assert_int_equal(cur, NVML_FEATURE_ENABLED);
    assert_int_equal(NV(nvmlDeviceGetDisplayActive)(dev, &cur), NVML_SUCCESS);
    assert_int_equal(cur, NVML_FEATURE_DISABLED);
    assert_int_equal(NV(nvmlDeviceGetEccMode)(dev, &cur, &pend), NVML_SUCCESS);
    assert_int_equal(cur + pend, 2);
    assert_int_equal(NV(nvmlDeviceGetMigMode)(dev, &v, &mig_pend), NVML_SUCCESS);
    assert_int_equal(v + mig_pend, 0);
    assert_int_equal(NV(nvmlDeviceGetMaxMigDeviceCount)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 0);
    nvmlProcessInfo_v2_t p[4];
    unsigned int n = 4;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].pid, 1046);
    assert_int_equal(p[0].usedGpuMemory, 7627341824ULL);
    assert_int_equal(p[1].pid, 1045);
    assert_int_equal(p[1].usedGpuMemory, 3332374528ULL);
    assert_int_equal(p[1].gpuInstanceId, 0xFFFFFFFFU);
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetGraphicsRunningProcesses_v3)(dev, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 0);
    nvmlProcessUtilizationSample_t s[4];
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(dev, s, &n, 0), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].smUtil, 16);
    assert_int_equal(s[0].memUtil, 5);
    assert_int_equal(s[1].smUtil, 81);
    assert_int_equal(s[1].memUtil, 26);
    nvmlEnableState_t active;
    assert_int_equal(NV(nvmlDeviceGetNvLinkState)(dev, 0, &active), NVML_ERROR_NOT_SUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_system_and_identity, sim_teardown),
        cmocka_unit_test_teardown(test_memory_utilization_power, sim_teardown),
        cmocka_unit_test_teardown(test_modes_and_processes, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
