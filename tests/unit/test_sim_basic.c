/* SPDX-License-Identifier: Apache-2.0 */
/* The simulator's library surface: exported symbols, init/shutdown reference counting,
 * nvmlErrorString, system getters, the three handle lookups, identity strings and PCI info. */
#include "test_sim_common.h"

#include <stddef.h>

#define UUID_A "GPU-aaaaaaaa-0000-1111-2222-333333333333"
#define UUID_B "GPU-bbbbbbbb-0000-1111-2222-333333333333"

static const char two_gpus[] =
    "{'driver_version': '580.159.04', 'nvml_version': '13.580.159.04',"
    " 'cuda_driver_version': 13000,"
    " 'devices': ["
    "  {'name': 'Sim GPU Alpha', 'uuid': '" UUID_A "', 'serial': '1653723031174',"
    "   'bus_id': '00000000:3B:00.0', 'pci_device_id': 590352606,"
    "   'pci_subsystem_id': 381751518, 'minor_number': 3, 'architecture': 9, 'brand': 14,"
    "   'cuda_compute_capability': [9, 0]},"
    "  {'name': 'Sim GPU Beta', 'uuid': '" UUID_B "', 'bus_id': '0001:5e:1f.0'}"
    " ]}";

static void test_every_function_is_exported(void **state)
{
    (void)state;
#define CHECK_EXPORTED(sym, base, kind) assert_non_null(sim_sym(#sym));
    SIM_FUNCTIONS(CHECK_EXPORTED)
#undef CHECK_EXPORTED
    /* A function the simulator does not implement is absent, as with an old driver. */
    assert_null(dlsym(sim_lib, "nvmlDeviceGetBoardPartNumber"));
    assert_null(dlsym(sim_lib, "sim_begin"));
}

static void test_uninitialized(void **state)
{
    (void)state;
    unsigned int n = 7;
    char buf[96];
    nvmlDevice_t dev = NULL;
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_ERROR_UNINITIALIZED);
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(0, &dev), NVML_ERROR_UNINITIALIZED);
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(buf, sizeof buf), NVML_ERROR_UNINITIALIZED);
    assert_int_equal(NV(nvmlDeviceGetName)(dev, buf, sizeof buf), NVML_ERROR_UNINITIALIZED);
    assert_int_equal(NV(nvmlShutdown)(), NVML_ERROR_UNINITIALIZED);
    assert_int_equal(n, 7);
}

static void test_driver_not_loaded(void **state)
{
    (void)state;
    unsetenv("NVML_SIM_SCENARIO");
    assert_int_equal(NV(nvmlInit_v2)(), NVML_ERROR_DRIVER_NOT_LOADED);
    assert_int_equal(NV(nvmlInit)(), NVML_ERROR_DRIVER_NOT_LOADED);
    assert_int_equal(NV(nvmlInitWithFlags)(0), NVML_ERROR_DRIVER_NOT_LOADED);
    unsigned int n;
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_ERROR_UNINITIALIZED);
}

static void test_init_error(void **state)
{
    (void)state;
    sim_use_scenario("{'init_error': 'LIB_RM_VERSION_MISMATCH', 'devices': [{'name': 'x'}]}");
    assert_int_equal(NV(nvmlInit_v2)(), NVML_ERROR_LIB_RM_VERSION_MISMATCH);
    unsigned int n;
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_ERROR_UNINITIALIZED);
    sim_use_scenario("{'init_error': 'NVML_ERROR_NO_PERMISSION'}");
    assert_int_equal(NV(nvmlInitWithFlags)(1), NVML_ERROR_NO_PERMISSION);
    sim_use_scenario("{'init_error': null, 'devices': []}");
    assert_int_equal(NV(nvmlInit)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetCount)(&n), NVML_SUCCESS);
    assert_int_equal(n, 0);
}

static void test_init_is_reference_counted(void **state)
{
    (void)state;
    unsigned int n = 0;
    sim_use_scenario(two_gpus);
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlInit)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlInitWithFlags)(0), NVML_SUCCESS);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(&n), NVML_ERROR_UNINITIALIZED);
    assert_int_equal(NV(nvmlShutdown)(), NVML_ERROR_UNINITIALIZED);
    /* A handle from before a full shutdown works again after the next init. */
    nvmlDevice_t dev = sim_start(two_gpus, 1);
    assert_int_equal(NV(nvmlShutdown)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    unsigned int index = 0;
    assert_int_equal(NV(nvmlDeviceGetIndex)(dev, &index), NVML_SUCCESS);
    assert_int_equal(index, 1);
}

static void test_error_strings(void **state)
{
    (void)state;
    static const struct {
        nvmlReturn_t code;
        const char *text;
    } cases[] = {
        {NVML_SUCCESS, "Success"},
        {NVML_ERROR_UNINITIALIZED, "Uninitialized"},
        {NVML_ERROR_INVALID_ARGUMENT, "Invalid Argument"},
        {NVML_ERROR_NOT_SUPPORTED, "Not Supported"},
        {NVML_ERROR_NO_PERMISSION, "Insufficient Permissions"},
        {NVML_ERROR_ALREADY_INITIALIZED, "Already Initialized"},
        {NVML_ERROR_NOT_FOUND, "Not Found"},
        {NVML_ERROR_INSUFFICIENT_SIZE, "Insufficient Size"},
        {NVML_ERROR_INSUFFICIENT_POWER, "Insufficient External Power"},
        {NVML_ERROR_DRIVER_NOT_LOADED, "Driver Not Loaded"},
        {NVML_ERROR_TIMEOUT, "Timeout"},
        {NVML_ERROR_IRQ_ISSUE, "Interrupt request issue"},
        {NVML_ERROR_LIBRARY_NOT_FOUND, "NVML Shared Library Not Found"},
        {NVML_ERROR_FUNCTION_NOT_FOUND, "Function Not Found"},
        {NVML_ERROR_CORRUPTED_INFOROM, "Corrupted infoROM"},
        {NVML_ERROR_GPU_IS_LOST, "GPU is lost"},
        {NVML_ERROR_RESET_REQUIRED, "GPU requires restart"},
        {NVML_ERROR_OPERATING_SYSTEM, "GPU access blocked by the operating system"},
        {NVML_ERROR_LIB_RM_VERSION_MISMATCH, "Driver/library version mismatch"},
        {NVML_ERROR_IN_USE, "In use by another client"},
        {NVML_ERROR_MEMORY, "Insufficient Memory"},
        {NVML_ERROR_NO_DATA, "No data"},
        {NVML_ERROR_ARGUMENT_VERSION_MISMATCH, "Argument version mismatch"},
        {NVML_ERROR_UNKNOWN, "Unknown Error"},
        {12345, "Unknown Error"},
    };
    /* Works without nvmlInit, as in NVML. */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(NV(nvmlErrorString)(cases[i].code), cases[i].text);
}

static void test_system_getters(void **state)
{
    (void)state;
    char buf[80];
    int cuda = 0;
    unsigned int n = 0;
    sim_start(two_gpus, 0);
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "580.159.04");
    assert_int_equal(NV(nvmlSystemGetNVMLVersion)(buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "13.580.159.04");
    assert_int_equal(NV(nvmlSystemGetCudaDriverVersion)(&cuda), NVML_SUCCESS);
    assert_int_equal(cuda, 13000);
    cuda = 0;
    assert_int_equal(NV(nvmlSystemGetCudaDriverVersion_v2)(&cuda), NVML_SUCCESS);
    assert_int_equal(cuda, 13000);
    assert_int_equal(NV(nvmlDeviceGetCount)(&n), NVML_SUCCESS);
    assert_int_equal(n, 2);
    /* Strings: NUL-terminated within the caller's length, else INSUFFICIENT_SIZE. */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(buf, 10), NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(buf, 11), NVML_SUCCESS);
    assert_string_equal(buf, "580.159.04");
    assert_int_equal(buf[11], 'x');
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(NULL, 80), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlSystemGetCudaDriverVersion)(NULL), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetCount_v2)(NULL), NVML_ERROR_INVALID_ARGUMENT);
    sim_teardown(NULL);
    /* Absent versions are not supported. */
    sim_use_scenario("{'devices': []}");
    assert_int_equal(NV(nvmlInit_v2)(), NVML_SUCCESS);
    assert_int_equal(NV(nvmlSystemGetDriverVersion)(buf, sizeof buf), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlSystemGetCudaDriverVersion_v2)(&cuda), NVML_ERROR_NOT_SUPPORTED);
}

static void test_handle_lookups(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(two_gpus, 0), b = NULL, h = NULL;
    unsigned int index = 99;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex)(1, &b), NVML_SUCCESS);
    assert_ptr_not_equal(a, b);
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(2, &h), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(0, NULL), NVML_ERROR_INVALID_ARGUMENT);

    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)(UUID_B, &h), NVML_SUCCESS);
    assert_ptr_equal(h, b);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)("GPU-nope", &h), NVML_ERROR_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetHandleByUUID)(NULL, &h), NVML_ERROR_INVALID_ARGUMENT);

    static const char *const a_ids[] = {"00000000:3B:00.0", "0000:3b:00.0", "3B:00.0"};
    for (size_t i = 0; i < 3; i++) {
        h = NULL;
        assert_int_equal(NV(nvmlDeviceGetHandleByPciBusId_v2)(a_ids[i], &h), NVML_SUCCESS);
        assert_ptr_equal(h, a);
    }
    assert_int_equal(NV(nvmlDeviceGetHandleByPciBusId)("00000001:5E:1F.0", &h), NVML_SUCCESS);
    assert_ptr_equal(h, b);
    assert_int_equal(NV(nvmlDeviceGetHandleByPciBusId_v2)("0000:3C:00.0", &h),
                     NVML_ERROR_NOT_FOUND);
    assert_int_equal(NV(nvmlDeviceGetHandleByPciBusId_v2)("not a bus id", &h),
                     NVML_ERROR_INVALID_ARGUMENT);

    assert_int_equal(NV(nvmlDeviceGetIndex)(b, &index), NVML_SUCCESS);
    assert_int_equal(index, 1);
    assert_int_equal(NV(nvmlDeviceGetIndex)(b, NULL), NVML_ERROR_INVALID_ARGUMENT);
    /* Handles that the simulator did not hand out are invalid arguments, never a crash. */
    int local;
    assert_int_equal(NV(nvmlDeviceGetIndex)(NULL, &index), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetIndex)((nvmlDevice_t)(void *)&local, &index),
                     NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetIndex)((nvmlDevice_t)(void *)((char *)a + 1), &index),
                     NVML_ERROR_INVALID_ARGUMENT);
}

static void test_identity(void **state)
{
    (void)state;
    nvmlDevice_t a = sim_start(two_gpus, 0), b = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &b), NVML_SUCCESS);
    char buf[96];
    unsigned int v = 0;
    int major = 0, minor = 0;
    assert_int_equal(NV(nvmlDeviceGetName)(a, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "Sim GPU Alpha");
    assert_int_equal(NV(nvmlDeviceGetName)(a, buf, 13), NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(NV(nvmlDeviceGetName)(a, buf, 14), NVML_SUCCESS);
    assert_int_equal(NV(nvmlDeviceGetName)(a, NULL, 14), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetUUID)(a, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, UUID_A);
    assert_int_equal(NV(nvmlDeviceGetUUID)(a, buf, (unsigned int)strlen(UUID_A)),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(NV(nvmlDeviceGetSerial)(a, buf, sizeof buf), NVML_SUCCESS);
    assert_string_equal(buf, "1653723031174");
    assert_int_equal(NV(nvmlDeviceGetSerial)(b, buf, sizeof buf), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetMinorNumber)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 3);
    assert_int_equal(NV(nvmlDeviceGetMinorNumber)(b, &v), NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetMinorNumber)(a, NULL), NVML_ERROR_INVALID_ARGUMENT);
    assert_int_equal(NV(nvmlDeviceGetBrand)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 14);
    assert_int_equal(NV(nvmlDeviceGetArchitecture)(a, &v), NVML_SUCCESS);
    assert_int_equal(v, 9);
    assert_int_equal(NV(nvmlDeviceGetCudaComputeCapability)(a, &major, &minor), NVML_SUCCESS);
    assert_int_equal(major, 9);
    assert_int_equal(minor, 0);
    assert_int_equal(NV(nvmlDeviceGetCudaComputeCapability)(b, &major, &minor),
                     NVML_ERROR_NOT_SUPPORTED);
    assert_int_equal(NV(nvmlDeviceGetCudaComputeCapability)(a, NULL, &minor),
                     NVML_ERROR_INVALID_ARGUMENT);
}

static void test_pci_layouts(void **state)
{
    (void)state;
    /* NVML's layouts: nvmlPciInfo_t (v2/v3) and the pre-R390 v1 struct. */
    assert_int_equal(sizeof(nvmlPciInfo_t), 68);
    assert_int_equal(offsetof(nvmlPciInfo_t, domain), 16);
    assert_int_equal(offsetof(nvmlPciInfo_t, pciSubSystemId), 32);
    assert_int_equal(offsetof(nvmlPciInfo_t, busId), 36);
    assert_int_equal(sizeof(nvmlPciInfo_v1_t), 52);

    nvmlDevice_t a = sim_start(two_gpus, 0), b = NULL;
    assert_int_equal(NV(nvmlDeviceGetHandleByIndex_v2)(1, &b), NVML_SUCCESS);
    unsigned char raw[sizeof(nvmlPciInfo_t) + 16];
    memset(raw, 0xAB, sizeof raw);
    nvmlPciInfo_t *pci = (nvmlPciInfo_t *)(void *)raw;
    assert_int_equal(NV(nvmlDeviceGetPciInfo_v3)(a, pci), NVML_SUCCESS);
    assert_string_equal(pci->busId, "00000000:3B:00.0");
    assert_string_equal(pci->busIdLegacy, "0000:3B:00.0");
    assert_int_equal(pci->domain, 0);
    assert_int_equal(pci->bus, 0x3B);
    assert_int_equal(pci->device, 0);
    assert_int_equal(pci->pciDeviceId, 590352606U);
    assert_int_equal(pci->pciSubSystemId, 381751518U);
    assert_int_equal(raw[sizeof(nvmlPciInfo_t)], 0xAB);
    assert_int_equal(NV(nvmlDeviceGetPciInfo_v2)(b, pci), NVML_SUCCESS);
    assert_string_equal(pci->busId, "00000001:5E:1F.0");
    assert_int_equal(pci->domain, 1);
    assert_int_equal(pci->device, 0x1F);
    assert_int_equal(pci->pciDeviceId, 0); /* not in the scenario */

    memset(raw, 0xAB, sizeof raw);
    nvmlPciInfo_v1_t *v1 = (nvmlPciInfo_v1_t *)(void *)raw;
    assert_int_equal(NV(nvmlDeviceGetPciInfo)(a, v1), NVML_SUCCESS);
    assert_string_equal(v1->busId, "0000:3B:00.0");
    assert_int_equal(v1->bus, 0x3B);
    assert_int_equal(v1->pciDeviceId, 590352606U);
    assert_int_equal(raw[sizeof(nvmlPciInfo_v1_t)], 0xAB);
    assert_int_equal(NV(nvmlDeviceGetPciInfo_v3)(a, NULL), NVML_ERROR_INVALID_ARGUMENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_every_function_is_exported, sim_teardown),
        cmocka_unit_test_teardown(test_uninitialized, sim_teardown),
        cmocka_unit_test_teardown(test_driver_not_loaded, sim_teardown),
        cmocka_unit_test_teardown(test_init_error, sim_teardown),
        cmocka_unit_test_teardown(test_init_is_reference_counted, sim_teardown),
        cmocka_unit_test_teardown(test_error_strings, sim_teardown),
        cmocka_unit_test_teardown(test_system_getters, sim_teardown),
        cmocka_unit_test_teardown(test_handle_lookups, sim_teardown),
        cmocka_unit_test_teardown(test_identity, sim_teardown),
        cmocka_unit_test_teardown(test_pci_layouts, sim_teardown),
    };
    sim_load_lib();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
