/* SPDX-License-Identifier: Apache-2.0 */
/* MIG: mode, MIG device handles, instance ids, parents, UUID lookups (MIG-... and the legacy
 * MIG-GPU-<uuid>/<gi>/<ci>), what MIG handles answer, process lists across MIG devices. NVLink:
 * link count, link state and the cumulative throughput counters of nvmlDeviceGetFieldValues. */
#include "test_sim_common.h"

#define GPU0 "GPU-a100a100-0000-1111-2222-333333333333"
#define MIG0 "MIG-11111111-2222-3333-4444-555555555555"
#define MIG1 "MIG-66666666-7777-8888-9999-000000000000"

static const char mig[] =
    "{'devices': ["
    " {'name': 'NVIDIA A100-SXM4-40GB', 'uuid': '" GPU0 "', 'temperature': 40,"
    "  'mig_mode': 1, 'processes': [{'pid': 3000, 'type': 'C', 'used_memory': 5}],"
    "  'mig_devices': ["
    "   {'gpu_instance_id': 1, 'compute_instance_id': 0, 'uuid': '" MIG0 "',"
    "    'name': 'NVIDIA A100-SXM4-40GB MIG 3g.20gb', 'memory': {'total': 20000, 'used': 100},"
    "    'bar1_memory': {'total': 4000, 'used': 10}, 'utilization': {'gpu': 40, 'memory': 10},"
    "    'processes': [{'pid': 2001, 'type': 'C', 'used_memory': 100, 'sm': 30}]},"
    "   {'gpu_instance_id': 2, 'compute_instance_id': 0, 'uuid': '" MIG1 "',"
    "    'name': 'NVIDIA A100-SXM4-40GB MIG 2g.10gb', 'memory': {'total': 10000, 'used': 200},"
    "    'processes': [{'pid': 2002, 'type': 'C', 'used_memory': 200, 'sm': 50},"
    "                  {'pid': 2003, 'type': 'G', 'used_memory': 1}]}]},"
    " {'name': 'NVLink GPU', 'mig_mode': [0, 1],"
    "  'nvlink': {'links': 12, 'tx_kib_s': 1000000, 'rx_kib_s': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9,"
    "             10, null]}},"
    " {'name': 'no MIG, no NVLink'}"
    "]}";

static nvmlDevice_t gpu(unsigned int i)
{
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(i, &dev), NVML_SUCCESS);
    return dev;
}

static nvmlDevice_t mig_handle(nvmlDevice_t parent, unsigned int i)
{
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(parent, i, &dev), NVML_SUCCESS);
    return dev;
}

static void test_mig_mode_and_handles(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(mig, 0), b = gpu(1), c = gpu(2), h = NULL;
    unsigned int cur = 9, pend = 9, v = 9;
    assert_int_equal(NV(nvmlDeviceGetMigMode)(a, &cur, &pend), NVML_SUCCESS);
    assert_int_equal(cur, 1);
    assert_int_equal(pend, 1);
    assert_int_equal(NV(nvmlDeviceGetMigMode)(b, &cur, &pend), NVML_SUCCESS);
    assert_int_equal(cur, 0);
    assert_int_equal(pend, 1);
    assert_int_equal(NV(nvmlDeviceGetMigMode)(c, &cur, &pend), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetMaxMigDeviceCount)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 7);
    assert_int_equal(NV(nvmlDeviceGetMaxMigDeviceCount)(b, &v), NVML_SUCCESS);
    assert_int_equal(v, 0);

    nvmlDevice_t m0 = mig_handle(a, 0), m1 = mig_handle(a, 1);
    assert_ptr_not_equal(m0, m1);
    assert_ptr_not_equal(m0, a);
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(a, 2, &h), NVML_ERROR_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(a, 7, &h),
                     NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(b, 0, &h),
                     NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(c, 0, &h), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetMigDeviceHandleByIndex)(m0, 0, &h),
                     NVML_ERROR_INVALID_ARGUMENT);

    assert_int_equal(NV(nvmlDeviceIsMigDeviceHandle)(m1, &v), NVML_SUCCESS);
    assert_int_equal(v, 1);
    assert_int_equal(NV(nvmlDeviceIsMigDeviceHandle)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 0);
    assert_int_equal(NV(nvmlDeviceGetGpuInstanceId)(m1, &v), NVML_SUCCESS);
    assert_int_equal(v, 2);
    assert_int_equal(NV(nvmlDeviceGetComputeInstanceId)(m1, &v), NVML_SUCCESS);
    assert_int_equal(v, 0);
    assert_int_equal(NV(nvmlDeviceGetGpuInstanceId)(a, &v), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetComputeInstanceId)(a, &v), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetDeviceHandleFromMigDeviceHandle)(m1, &h), NVML_SUCCESS);
    assert_ptr_equal(h, a);
    assert_int_equal(NV(nvmlDeviceGetDeviceHandleFromMigDeviceHandle)(a, &h),
                     NVML_ERROR_INVALID_ARGUMENT);
    /* The MIG devices are not in NVML's device list. */
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&v), NVML_SUCCESS);
    assert_int_equal(v, 3);
}

static void test_mig_uuid_lookups(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(mig, 0), h = NULL;
    nvmlDevice_t m0 = mig_handle(a, 0), m1 = mig_handle(a, 1);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)(MIG1, &h), NVML_SUCCESS);
    assert_ptr_equal(h, m1);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("MIG-" GPU0 "/1/0", &h), NVML_SUCCESS);
    assert_ptr_equal(h, m0);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("MIG-" GPU0 "/2/0", &h), NVML_SUCCESS);
    assert_ptr_equal(h, m1);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("MIG-" GPU0 "/3/0", &h), NVML_ERROR_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("MIG-" GPU0 "/1/0x", &h), NVML_ERROR_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)(GPU0, &h), NVML_SUCCESS);
    assert_ptr_equal(h, a);
}

static void test_mig_device_answers(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(mig, 0);
    nvmlDevice_t m0 = mig_handle(a, 0), m1 = mig_handle(a, 1);
    char buf[96];
    unsigned int v;
    assert_int_equal(NV(nvmlDeviceGetName)(m0, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "NVIDIA A100-SXM4-40GB MIG 3g.20gb");
    assert_int_equal(NV(nvmlDeviceGetUUID)(m0, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, MIG0);
    nvmlMemory_v2_t mem = {.version = nvmlMemory_v2};
    assert_int_equal(NV(nvmlDeviceGetMemoryInfo_v2)(m1, &mem), NVML_SUCCESS);
    assert_int_equal(mem.total, 10000);
    assert_int_equal(mem.used, 200);
    nvmlBAR1Memory_t bar1;
    assert_int_equal(NV(nvmlDeviceGetBAR1MemoryInfo)(m0, &bar1), NVML_SUCCESS);
    assert_int_equal(bar1.bar1Free, 3990);
    assert_int_equal(NV(nvmlDeviceGetBAR1MemoryInfo)(m1, &bar1), NVML_ERROR_NOT_SUPPORTED);
    nvmlUtilization_t u;
    assert_int_equal(NV(nvmlDeviceGetUtilizationRates)(m0, &u), NVML_SUCCESS);
    assert_int_equal(u.gpu, 40);
    assert_int_equal(NV(nvmlDeviceGetUtilizationRates)(m1, &u), NVML_ERROR_NOT_SUPPORTED);
    /* What belongs to the physical GPU is not answered for a MIG handle. */
    assert_int_equal(NV(nvmlDeviceGetTemperature)(m0, NVML_TEMPERATURE_GPU, &v),
                     NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetIndex)(m0, &v), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetNumFans)(m0, &v), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetMigMode)(m0, &v, &v), NVML_ERROR_NOT_SUPPORTED);
    nvmlPciInfo_t pci;
    assert_int_equal(NV(nvmlDeviceGetPciInfo_v3)(m0, &pci), NVML_ERROR_NOT_SUPPORTED);
}

static void test_mig_processes(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(mig, 0);
    nvmlDevice_t m1 = mig_handle(a, 1);
    nvmlProcessInfo_v2_t p[8];
    unsigned int n = 8;
    /* The parent lists its own processes and its MIG devices' with their instance ids. */
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(a, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].pid, 3000);
    assert_int_equal(p[0].gpuInstanceId, 0xFFFFFFFFU);
    assert_int_equal(p[1].pid, 2001);
    assert_int_equal(p[1].gpuInstanceId, 1);
    assert_int_equal(p[1].computeInstanceId, 0);
    assert_int_equal(p[2].pid, 2002);
    assert_int_equal(p[2].gpuInstanceId, 2);
    n = 8;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v3)(m1, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].pid, 2002);
    assert_int_equal(p[0].usedGpuMemory, 200);
    assert_int_equal(p[0].gpuInstanceId, 2);
    n = 8;
    assert_int_equal(NV(nvmlDeviceGetGraphicsRunningProcesses_v3)(m1, &n, p), NVML_SUCCESS);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].pid, 2003);
    n = 0;
    assert_int_equal(NV(nvmlDeviceGetComputeRunningProcesses_v2)(a, &n, NULL),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(n, 3);
    nvmlProcessUtilizationSample_t s[4];
    n = 4;
    assert_int_equal(NV(nvmlDeviceGetProcessUtilization)(m1, s, &n, 0), NVML_SUCCESS);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].pid, 2002);
    assert_int_equal(s[0].smUtil, 50);
}

static void read_fields(nvmlDevice_t dev, nvmlFieldValue_t *f, unsigned int scope)
{
    memset(f, 0, 3 * sizeof *f);
    f[0].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX;
    f[1].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX;
    f[0].scopeId = f[1].scopeId = scope;
    f[2].fieldId = NVML_FI_DEV_NVLINK_LINK_COUNT;
    assert_int_equal(NV(nvmlDeviceGetFieldValues)(dev, 3, f), NVML_SUCCESS);
}

static void test_nvlink(void **state)
{
    (void)state;
    assert_int_equal(sizeof(nvmlFieldValue_t), 40);
    sim_start(mig, 0);
    nvmlDevice_t b = gpu(1), c = gpu(2);
    nvmlFieldValue_t f[3], g[3];
    nvmlEnableState_t active = NVML_FEATURE_DISABLED;
    read_fields(b, f, 3);
    assert_int_equal(f[2].nvmlReturn, NVML_SUCCESS);
    assert_int_equal(f[2].valueType, NVML_VALUE_TYPE_UNSIGNED_INT);
    assert_int_equal(f[2].value.uiVal, 12);
    assert_int_equal(f[0].nvmlReturn, NVML_SUCCESS);
    assert_int_equal(f[0].valueType, NVML_VALUE_TYPE_UNSIGNED_LONG_LONG);
    assert_true(f[0].timestamp > 1600000000000000LL);
    sim_sleep_ms(100);
    read_fields(b, g, 3);
    /* Counters grow at the scenario's KiB/s: 1000000 KiB/s on TX, 3 KiB/s on RX of link 3. */
    double dt = (double)(g[0].timestamp - f[0].timestamp) / 1e6;
    unsigned long long dtx = g[0].value.ullVal - f[0].value.ullVal;
    assert_true(dt >= 0.09);
    assert_true(dtx >= (unsigned long long)(1000000 * (dt - 0.02)));
    assert_true(dtx <= (unsigned long long)(1000000 * (dt + 0.02)));
    assert_true(g[1].value.ullVal >= f[1].value.ullVal);
    read_fields(b, f, 11); /* link 11 has no RX rate */
    assert_int_equal(f[0].nvmlReturn, NVML_SUCCESS);
    assert_int_equal(f[1].nvmlReturn, NVML_ERROR_NOT_SUPPORTED);
    read_fields(b, f, 12);
    assert_int_equal(f[0].nvmlReturn, NVML_ERROR_INVALID_ARGUMENT);
    read_fields(c, f, 0);
    assert_int_equal(f[0].nvmlReturn, NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(f[2].nvmlReturn, NVML_ERROR_NOT_SUPPORTED);
    f[0].fieldId = 1; /* a field the simulator does not model */
    assert_int_equal(NV(nvmlDeviceGetFieldValues)(b, 1, f), NVML_SUCCESS);
    assert_int_equal(f[0].nvmlReturn, NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetFieldValues)(b, 1, NULL), NVML_ERROR_INVALID_ARGUMENT);

    assert_int_equal(NV(nvmlDeviceGetNvLinkState)(b, 11, &active), NVML_SUCCESS);
    assert_int_equal(active, NVML_FEATURE_ENABLED);
    assert_int_equal(NV(nvmlDeviceGetNvLinkState)(b, 12, &active), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetNvLinkState)(c, 0, &active), NVML_ERROR_NOT_SUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_mig_mode_and_handles, sim_teardown),
        cmocka_unit_test_teardown(test_mig_uuid_lookups, sim_teardown),
        cmocka_unit_test_teardown(test_mig_device_answers, sim_teardown),
        cmocka_unit_test_teardown(test_mig_processes, sim_teardown),
        cmocka_unit_test_teardown(test_nvlink, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
