/* SPDX-License-Identifier: Apache-2.0 */
/* Every per-device value getter against the scenario's numbers (memory v1/v2, BAR1,
 * utilization, codecs, fans, temperatures, power, modes, ECC, clocks, PCIe), NOT_SUPPORTED for
 * what a scenario leaves out, argument checks, version words, and {"seq": ...} stepping. */
#include "test_sim_common.h"

#include <stddef.h>

static const char full[] =
    "{'devices': ["
    " {'name': 'Sim GPU Alpha',"
    "  'memory': {'total': 85520809984, 'reserved': 503775232, 'used': 10974396416},"
    "  'bar1_memory': {'total': 137438953472, 'used': 10976624640},"
    "  'utilization': {'gpu': 99, 'memory': 33},"
    "  'encoder_utilization': 11, 'decoder_utilization': 12, 'fan_speed': [41, 42],"
    "  'temperature': 54,"
    "  'temperature_thresholds': {'shutdown': 95, 'slowdown': 89, 'mem_max': 94, 'gpu_max': 87},"
    "  'power_usage': 691822, 'power_limit': 700000, 'total_energy_consumption': 19481729,"
    "  'performance_state': 2, 'persistence_mode': 1, 'display_mode': 1, 'display_active': 0,"
    "  'compute_mode': 3, 'ecc_mode': [1, 0],"
    "  'ecc_errors': {'volatile_uncorrected': 5, 'aggregate_uncorrected': 6,"
    "                 'volatile_corrected': 7, 'aggregate_corrected': 8},"
    "  'clocks': {'graphics': 1560, 'sm': 1561, 'mem': 2619, 'video': 1545},"
    "  'max_clocks': {'graphics': 1980, 'sm': 1981, 'mem': 2620, 'video': 1546},"
    "  'pcie': {'tx_kib_s': 10092, 'rx_kib_s': 18813, 'max_link_gen': 5, 'max_link_width': 16,"
    "           'curr_link_gen': 4, 'curr_link_width': 8},"
    "  'throttle_reasons': 4},"
    " {'name': 'Sim GPU Bare', 'memory': {'total': 1000, 'used': 400}, 'fan_speed': null,"
    "  'utilization': {'gpu': 5}}"
    "]}";

static nvmlDevice_t second(void)
{
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &dev), NVML_SUCCESS);
    return dev;
}

static void test_memory(void **state)
{
    (void)state;
    assert_int_equal(sizeof(nvmlMemory_t), 24);
    assert_int_equal(sizeof(nvmlMemory_v2_t), 40);
    assert_int_equal(nvmlMemory_v2, 40U | (2U << 24));
    nvmlDevice_t a = sim_start(full, 0), b = second();
    unsigned char raw[sizeof(nvmlMemory_t) + 8];
    memset(raw, 0xAB, sizeof raw);
    nvmlMemory_t *v1 = (nvmlMemory_t *)(void *)raw;
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo)(a, v1), NVML_SUCCESS);
    assert_int_equal(v1->total, 85520809984ULL);
    assert_int_equal(v1->used, 11478171648ULL); /* used + reserved, as NVML v1 reports */
    assert_int_equal(v1->free, 74042638336ULL);
    assert_int_equal(raw[sizeof(nvmlMemory_t)], 0xAB);

    nvmlMemory_v2_t v2 = {.version = nvmlMemory_v2};
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(a, &v2), NVML_SUCCESS);
    assert_int_equal(v2.total, 85520809984ULL);
    assert_int_equal(v2.reserved, 503775232ULL);
    assert_int_equal(v2.used, 10974396416ULL);
    assert_int_equal(v2.free, 74042638336ULL);
    /* A wrong version word: drivers answer FUNCTION_NOT_FOUND here (R510 to R560 reports in
     * docs/simulator.md), not ARGUMENT_VERSION_MISMATCH. */
    v2.version = NVML_STRUCT_VERSION(sizeof(nvmlMemory_v2_t), 1);
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(a, &v2), NVML_ERROR_FUNCTION_NOT_FOUND);
    v2.version = 2; /* "must be 2", as NVML's documentation says */
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(a, &v2), NVML_ERROR_FUNCTION_NOT_FOUND);
    v2.version = 0;
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(a, &v2), NVML_ERROR_FUNCTION_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(a, NULL), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo)(a, NULL), NVML_ERROR_INVALID_ARGUMENT);

    /* No "reserved": 0. */
    v2.version = nvmlMemory_v2;
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(b, &v2), NVML_SUCCESS);
    assert_int_equal(v2.reserved, 0);
    assert_int_equal(v2.free, 600);

    nvmlBAR1Memory_t bar1;
    assert_int_equal(NV(nvmlDeviceGetBAR1MemoryInfo)(a, &bar1), NVML_SUCCESS);
    assert_int_equal(bar1.bar1Total, 137438953472ULL);
    assert_int_equal(bar1.bar1Used, 10976624640ULL);
    assert_int_equal(bar1.bar1Free, 126462328832ULL);
    assert_int_equal(NV(nvmlDeviceGetBAR1MemoryInfo)(b, &bar1), NVML_ERROR_NOT_SUPPORTED);
}

static void test_utilization_and_codecs(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(full, 0), b = second();
    nvmlUtilization_t u;
    unsigned int v = 0, period = 0;
    assert_int_equal(NV(nvmlDeviceGetUtilizationRates)(a, &u), NVML_SUCCESS);
    assert_int_equal(u.gpu, 99);
    assert_int_equal(u.memory, 33);
    /* Half an object (no "memory") is not enough for the call. */
    assert_int_equal(NV(nvmlDeviceGetUtilizationRates)(b, &u), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetEncoderUtilization)(a, &v, &period), NVML_SUCCESS);
    assert_int_equal(v, 11);
    assert_int_equal(period, 100000);
    assert_int_equal(NV(nvmlDeviceGetDecoderUtilization)(a, &v, &period), NVML_SUCCESS);
    assert_int_equal(v, 12);
    assert_int_equal(NV(nvmlDeviceGetDecoderUtilization)(a, &v, NULL), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetEncoderUtilization)(b, &v, &period), NVML_ERROR_NOT_SUPPORTED);
}

static void test_fans(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(full, 0), b = second();
    unsigned int v = 0;
    assert_int_equal(NV(nvmlDeviceGetFanSpeed)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 41);
    assert_int_equal(NV(nvmlDeviceGetFanSpeed_v2)(a, 1, &v), NVML_SUCCESS);
    assert_int_equal(v, 42);
    assert_int_equal(NV(nvmlDeviceGetFanSpeed_v2)(a, 2, &v), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetNumFans)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 2);
    assert_int_equal(NV(nvmlDeviceGetFanSpeed)(b, &v), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetFanSpeed_v2)(b, 0, &v), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetNumFans)(b, &v), NVML_SUCCESS);
    assert_int_equal(v, 0);
}

static void test_temperatures(void **state)
{
    (void)state;
    assert_int_equal(sizeof(nvmlTemperature_v1_t), 12);
    nvmlDevice_t a = sim_start(full, 0), b = second();
    unsigned int v = 0;
    assert_int_equal(NV(nvmlDeviceGetTemperature)(a, NVML_TEMPERATURE_GPU, &v), NVML_SUCCESS);
    assert_int_equal(v, 54);
    assert_int_equal(NV(nvmlDeviceGetTemperature)(a, (nvmlTemperatureSensors_t)1, &v),
                     NVML_ERROR_INVALID_ARGUMENT);
    nvmlTemperature_v1_t t = {.version = nvmlTemperature_v1, .sensorType = NVML_TEMPERATURE_GPU};
    assert_int_equal(NV(nvmlDeviceGetTemperatureV)(a, &t), NVML_SUCCESS);
    assert_int_equal(t.temperature, 54);
    t.version = nvmlMemory_v2;
    assert_int_equal(NV(nvmlDeviceGetTemperatureV)(a, &t), NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
    static const unsigned int expect[] = {95, 89, 94, 87};
    for (unsigned int type = 0; type < 4; type++) {
        assert_int_equal(
            NV(nvmlDeviceGetTemperatureThreshold)(a, (nvmlTemperatureThresholds_t)type, &v),
            NVML_SUCCESS);
        assert_int_equal(v, expect[type]);
    }
    assert_int_equal(NV(nvmlDeviceGetTemperatureThreshold)(a, (nvmlTemperatureThresholds_t)5, &v),
                     NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetTemperatureThreshold)(a, (nvmlTemperatureThresholds_t)99, &v),
                     NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetTemperature)(b, NVML_TEMPERATURE_GPU, &v),
                     NVML_ERROR_NOT_SUPPORTED);
    t.version = nvmlTemperature_v1;
    assert_int_equal(NV(nvmlDeviceGetTemperatureV)(b, &t), NVML_ERROR_NOT_SUPPORTED);
}

static void test_power_and_modes(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(full, 0);
    unsigned int v = 0;
    unsigned long long ull = 0;
    nvmlPstates_t ps;
    nvmlEnableState_t es, pending;
    nvmlComputeMode_t cm;
    assert_int_equal(NV(nvmlDeviceGetPowerUsage)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 691822);
    assert_int_equal(NV(nvmlDeviceGetPowerManagementLimit)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 700000);
    v = 0;
    assert_int_equal(NV(nvmlDeviceGetEnforcedPowerLimit)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 700000);
    assert_int_equal(NV(nvmlDeviceGetTotalEnergyConsumption)(a, &ull), NVML_SUCCESS);
    assert_int_equal(ull, 19481729ULL);
    assert_int_equal(NV(nvmlDeviceGetPerformanceState)(a, &ps), NVML_SUCCESS);
    assert_int_equal(ps, 2);
    assert_int_equal(NV(nvmlDeviceGetPerformanceState)(a, NULL), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetPersistenceMode)(a, &es), NVML_SUCCESS);
    assert_int_equal(es, NVML_FEATURE_ENABLED);
    assert_int_equal(NV(nvmlDeviceGetDisplayMode)(a, &es), NVML_SUCCESS);
    assert_int_equal(es, NVML_FEATURE_ENABLED);
    assert_int_equal(NV(nvmlDeviceGetDisplayActive)(a, &es), NVML_SUCCESS);
    assert_int_equal(es, NVML_FEATURE_DISABLED);
    assert_int_equal(NV(nvmlDeviceGetComputeMode)(a, &cm), NVML_SUCCESS);
    assert_int_equal(cm, NVML_COMPUTEMODE_EXCLUSIVE_PROCESS);
    assert_int_equal(NV(nvmlDeviceGetEccMode)(a, &es, &pending), NVML_SUCCESS);
    assert_int_equal(es, NVML_FEATURE_ENABLED);
    assert_int_equal(pending, NVML_FEATURE_DISABLED);
    assert_int_equal(NV(nvmlDeviceGetEccMode)(a, &es, NULL), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetCurrentClocksThrottleReasons)(a, &ull), NVML_SUCCESS);
    assert_int_equal(ull, 4);
    ull = 0;
    assert_int_equal(NV(nvmlDeviceGetCurrentClocksEventReasons)(a, &ull), NVML_SUCCESS);
    assert_int_equal(ull, 4);
    nvmlDriverModel_t dm, dmp;
    assert_int_equal(NV(nvmlDeviceGetDriverModel)(a, &dm, &dmp), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetDriverModel_v2)(a, &dm, &dmp), NVML_ERROR_NOT_SUPPORTED);
    char opaque[256];
    assert_int_equal(NV(nvmlDeviceGetRunningProcessDetailList)(a, (void *)opaque),
                     NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetConfComputeMemSizeInfo)(a, (void *)opaque),
                     NVML_ERROR_NOT_SUPPORTED);
}

static void test_ecc_clocks_pcie(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(full, 0);
    unsigned long long ull = 0;
    unsigned int v = 0;
    static const unsigned long long ecc[2][2] = {{7, 8}, {5, 6}}; /* [uncorrected][aggregate] */
    for (int unc = 0; unc < 2; unc++)
        for (int agg = 0; agg < 2; agg++) {
            assert_int_equal(NV(nvmlDeviceGetTotalEccErrors)(a, (nvmlMemoryErrorType_t)unc,
                                                             (nvmlEccCounterType_t)agg, &ull),
                             NVML_SUCCESS);
            assert_int_equal(ull, ecc[unc][agg]);
        }
    assert_int_equal(
        NV(nvmlDeviceGetTotalEccErrors)(a, (nvmlMemoryErrorType_t)2, NVML_VOLATILE_ECC, &ull),
        NVML_ERROR_INVALID_ARGUMENT);
    static const unsigned int clocks[] = {1560, 1561, 2619, 1545},
                              max_clocks[] = {1980, 1981, 2620, 1546};
    for (int type = 0; type < 4; type++) {
        assert_int_equal(NV(nvmlDeviceGetClockInfo)(a, (nvmlClockType_t)type, &v), NVML_SUCCESS);
        assert_int_equal(v, clocks[type]);
        assert_int_equal(NV(nvmlDeviceGetMaxClockInfo)(a, (nvmlClockType_t)type, &v), NVML_SUCCESS);
        assert_int_equal(v, max_clocks[type]);
    }
    assert_int_equal(NV(nvmlDeviceGetClockInfo)(a, (nvmlClockType_t)4, &v),
                     NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetPcieThroughput)(a, NVML_PCIE_UTIL_TX_BYTES, &v), NVML_SUCCESS);
    assert_int_equal(v, 10092);
    assert_int_equal(NV(nvmlDeviceGetPcieThroughput)(a, NVML_PCIE_UTIL_RX_BYTES, &v), NVML_SUCCESS);
    assert_int_equal(v, 18813);
    assert_int_equal(NV(nvmlDeviceGetPcieThroughput)(a, (nvmlPcieUtilCounter_t)2, &v),
                     NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetMaxPcieLinkGeneration)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 5);
    assert_int_equal(NV(nvmlDeviceGetMaxPcieLinkWidth)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 16);
    assert_int_equal(NV(nvmlDeviceGetCurrPcieLinkGeneration)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 4);
    assert_int_equal(NV(nvmlDeviceGetCurrPcieLinkWidth)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 8);
}

/* Everything the bare GPU's scenario leaves out answers NOT_SUPPORTED. */
static void test_absent_is_not_supported(void **state)
{
    (void)state;
    sim_start(full, 0);
    nvmlDevice_t b = second();
    unsigned int v;
    unsigned long long ull;
    nvmlEnableState_t es, es2;
    nvmlPstates_t ps;
    nvmlComputeMode_t cm;
    const nvmlReturn_t rs[] = {
        NV(nvmlDeviceGetPowerUsage)(b, &v),
        NV(nvmlDeviceGetPowerManagementLimit)(b, &v),
        NV(nvmlDeviceGetEnforcedPowerLimit)(b, &v),
        NV(nvmlDeviceGetTotalEnergyConsumption)(b, &ull),
        NV(nvmlDeviceGetPerformanceState)(b, &ps),
        NV(nvmlDeviceGetPersistenceMode)(b, &es),
        NV(nvmlDeviceGetDisplayMode)(b, &es),
        NV(nvmlDeviceGetDisplayActive)(b, &es),
        NV(nvmlDeviceGetComputeMode)(b, &cm),
        NV(nvmlDeviceGetEccMode)(b, &es, &es2),
        NV(nvmlDeviceGetTotalEccErrors)(b, NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NVML_VOLATILE_ECC,
                                        &ull),
        NV(nvmlDeviceGetClockInfo)(b, NVML_CLOCK_SM, &v),
        NV(nvmlDeviceGetMaxClockInfo)(b, NVML_CLOCK_MEM, &v),
        NV(nvmlDeviceGetPcieThroughput)(b, NVML_PCIE_UTIL_TX_BYTES, &v),
        NV(nvmlDeviceGetMaxPcieLinkGeneration)(b, &v),
        NV(nvmlDeviceGetCurrPcieLinkWidth)(b, &v),
        NV(nvmlDeviceGetCurrentClocksThrottleReasons)(b, &ull),
        NV(nvmlDeviceGetTemperatureThreshold)(b, NVML_TEMPERATURE_THRESHOLD_SLOWDOWN, &v),
        NV(nvmlDeviceGetBrand)(b, &v),
        NV(nvmlDeviceGetMigMode)(b, &v, &v),
        NV(nvmlDeviceGetMaxMigDeviceCount)(b, &v),
    };
    for (size_t i = 0; i < sizeof rs / sizeof rs[0]; i++) {
        if (rs[i] != NVML_ERROR_NOT_SUPPORTED)
            fail_msg("call %zu answered %d instead of NOT_SUPPORTED", i, rs[i]);
    }
}

/* {"seq": [...], "step_s": s}: the value is v[floor(t / step_s) % len]. */
static void test_seq_steps_through_values(void **state)
{
    (void)state;
    nvmlDevice_t dev =
        sim_start("{'devices': [{'temperature': {'seq': [10, 20, 30, 40], 'step_s': 0.05},"
                  " 'power_usage': {'seq': [7, 8], 'step_s': 1000},"
                  " 'memory': {'total': 100, 'used': {'seq': [1, 2], 'step_s': 0.05}}}]}",
                  0);
    unsigned int v = 0, prev = 0, distinct = 0, steps_ok = 0;
    bool seen[5] = {false};
    double end = sim_now_s() + 0.6;
    while (sim_now_s() < end) {
        assert_int_equal(NV(nvmlDeviceGetTemperature)(dev, NVML_TEMPERATURE_GPU, &v), NVML_SUCCESS);
        assert_true(v == 10 || v == 20 || v == 30 || v == 40);
        if (!seen[v / 10]) distinct++;
        seen[v / 10] = true;
        /* Consecutive different readings advance in the sequence's order. */
        if (prev && v != prev && v == (prev % 40) + 10) steps_ok++;
        prev = v;
        sim_sleep_ms(5);
    }
    assert_int_equal(distinct, 4);
    assert_true(steps_ok >= 3);
    /* A long step holds the first value. */
    assert_int_equal(NV(nvmlDeviceGetPowerUsage)(dev, &v), NVML_SUCCESS);
    assert_int_equal(v, 7);
    nvmlMemory_v2_t m = {.version = nvmlMemory_v2};
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(dev, &m), NVML_SUCCESS);
    assert_true(m.used == 1 || m.used == 2);
    assert_int_equal(m.free, 100 - m.used);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_memory, sim_teardown),
        cmocka_unit_test_teardown(test_utilization_and_codecs, sim_teardown),
        cmocka_unit_test_teardown(test_fans, sim_teardown),
        cmocka_unit_test_teardown(test_temperatures, sim_teardown),
        cmocka_unit_test_teardown(test_power_and_modes, sim_teardown),
        cmocka_unit_test_teardown(test_ecc_clocks_pcie, sim_teardown),
        cmocka_unit_test_teardown(test_absent_is_not_supported, sim_teardown),
        cmocka_unit_test_teardown(test_seq_steps_through_values, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
