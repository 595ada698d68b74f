/* SPDX-License-Identifier: Apache-2.0 */
/* The typed NVML wrappers (src/nvml/nvml_calls.c) on the simulator: which struct version each
 * sends (memory v2 or v1, process entries of 24, 16 or the early-R535 32 bytes, PCI info v3 or
 * the legacy v1), how the list calls size their buffers and retry on "insufficient size", and
 * what a missing symbol or a driver error comes back as. An older driver is played by resolving
 * an older candidate name of the symbol table; answers no simulator gives (a list that keeps
 * growing, the 32-byte layout) come from stand-in functions put in the table. */
#include "testutil.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvml/nvml_lib.h"
#include "util/util.h"

typedef struct fixture {
    nvml_lib_t lib;
    nvmlDevice_t dev;
    char *scenario;
    char *calls;
} fixture_t;

static const char scenario_json[] =
    "{\"process_sample_period_us\": 50000, \"devices\": [{"
    " \"name\": \"NVIDIA H100 80GB HBM3\", \"bus_id\": \"0000000A:3B:1F.0\","
    " \"memory\": {\"total\": 85520809984, \"reserved\": 536870912, \"used\": 11478171648},"
    " \"temperature\": 54,"
    " \"processes\": ["
    "  {\"pid\": 1045, \"type\": \"C\", \"used_memory\": 3332374528, \"sm\": 81, \"mem\": 26},"
    "  {\"pid\": 1046, \"type\": \"C\", \"used_memory\": null, \"sm\": 16, \"mem\": 5},"
    "  {\"pid\": 4194305, \"type\": \"C+G\", \"used_memory\": 1000, \"sm\": 3, \"mem\": 1}]"
    "}, {"
    " \"name\": \"NVIDIA A100-SXM4-40GB\", \"mig_mode\": 1, \"processes\": [],"
    " \"mig_devices\": [{\"gpu_instance_id\": 2, \"compute_instance_id\": 1,"
    "  \"uuid\": \"MIG-1484f407-bc99-74b8-436f-a8a80c425b3f\", \"name\": \"3g.20gb\","
    "  \"memory\": {\"total\": 21072183296, \"used\": 6934233088},"
    "  \"processes\": [{\"pid\": 21000, \"type\": \"C\", \"used_memory\": 4718592000}]}]"
    "}, {"
    " \"name\": \"lost\", \"errors\": {\"*\": \"GPU_IS_LOST\"}"
    "}, {"
    " \"name\": \"refusing\", \"memory\": {\"total\": 100, \"used\": 10},"
    " \"errors\": {\"nvmlDeviceGetMemoryInfo\": \"NO_PERMISSION\","
    "  \"nvmlDeviceGetComputeRunningProcesses\": \"TIMEOUT\","
    "  \"nvmlDeviceGetTemperatureV\": \"ARGUMENT_VERSION_MISMATCH\"}, \"temperature\": 61"
    "}, {"
    " \"name\": \"v2 refused\", \"memory\": {\"total\": 100, \"reserved\": 5, \"used\": 10},"
    " \"errors\": {\"nvmlDeviceGetMemoryInfo_v2\": \"FUNCTION_NOT_FOUND\"}"
    "}, {"
    " \"name\": \"v2 mismatch\", \"memory\": {\"total\": 100, \"reserved\": 5, \"used\": 10},"
    " \"errors\": {\"nvmlDeviceGetMemoryInfo_v2\": \"ARGUMENT_VERSION_MISMATCH\"}"
    "}]}";

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->scenario = test_write_temp(scenario_json);
    f->calls = test_write_temp("");
    setenv("NVML_SIM_SCENARIO", f->scenario, 1);
    setenv("NVML_SIM_CALLS", f->calls, 1);
    strbuf_t msg = {0};
    const char *path = getenv("NVITOP_SIM_LIB");
    if (!path) fail_msg("NVITOP_SIM_LIB is not set (run the tests through ctest)");
    assert_int_equal(nvml_lib_open(&f->lib, path, &msg), NVITOP_OK);
    strbuf_fini(&msg);
    assert_int_equal(nvml_init(&f->lib), NVML_SUCCESS);
    assert_int_equal(nvml_handle_by_index(&f->lib, 0, &f->dev), NVML_SUCCESS);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    if (f->lib.dl) {
        nvml_shutdown(&f->lib);
        nvml_lib_close(&f->lib);
    }
    unlink(f->scenario);
    unlink(f->calls);
    free(f->scenario);
    free(f->calls);
    free(f);
    unsetenv("NVML_SIM_SCENARIO");
    unsetenv("NVML_SIM_CALLS");
    return 0;
}

/* Plays a driver whose newest name for fn is candidate `variant` of the symbol table. */
static void resolve_variant(nvml_lib_t *lib, nvml_fn_t fn, uint8_t variant)
{
    const char *name = nvml_symbols[fn].names[variant];
    assert_non_null(name);
    lib->sym[fn] = dlsym(lib->dl, name);
    assert_non_null(lib->sym[fn]);
    lib->variant[fn] = variant;
}

/* How often the simulator saw `name` called, read after NVML is shut down (the simulator writes
 * its counts then). */
static unsigned long calls_after_shutdown(fixture_t *f, const char *name)
{
    nvml_shutdown(&f->lib);
    nvml_lib_close(&f->lib);
    char *calls = test_read_file(f->calls, NULL), key[128];
    snprintf(key, sizeof key, "\"%s\": ", name);
    const char *at = strstr(calls, key);
    unsigned long n = at ? strtoul(at + strlen(key), NULL, 10) : 0;
    free(calls);
    return n;
}

static nvmlDevice_t device(fixture_t *f, unsigned index)
{
    nvmlDevice_t dev = NULL;
    assert_int_equal(nvml_handle_by_index(&f->lib, index, &dev), NVML_SUCCESS);
    return dev;
}

/* ---- struct versions ---- */

static void test_memory_v2_keeps_reserved_apart(void **state)
{
    fixture_t *f = *state;
    assert_string_equal(nvml_fn_name(&f->lib, NVML_FN_MEMORY_INFO), "nvmlDeviceGetMemoryInfo_v2");
    nvml_memory_t m;
    /* The simulator answers ARGUMENT_VERSION_MISMATCH unless the v2 version word is set. */
    assert_int_equal(nvml_device_memory(&f->lib, f->dev, &m), NVML_SUCCESS);
    assert_true(m.has_reserved);
    assert_int_equal(m.total, 85520809984ULL);
    assert_int_equal(m.reserved, 536870912ULL);
    assert_int_equal(m.used, 11478171648ULL);
    assert_int_equal(m.free, 85520809984ULL - 536870912ULL - 11478171648ULL);
}

static void test_memory_v1_used_includes_reserved(void **state)
{
    fixture_t *f = *state;
    resolve_variant(&f->lib, NVML_FN_MEMORY_INFO, 1);
    nvml_memory_t m;
    assert_int_equal(nvml_device_memory(&f->lib, f->dev, &m), NVML_SUCCESS);
    assert_false(m.has_reserved);
    assert_int_equal(m.total, 85520809984ULL);
    assert_int_equal(m.reserved, 0);
    assert_int_equal(m.used, 11478171648ULL + 536870912ULL);
    assert_int_equal(m.free, 85520809984ULL - 536870912ULL - 11478171648ULL);
    assert_int_equal(calls_after_shutdown(f, "nvmlDeviceGetMemoryInfo"), 1);
}

/* A driver that refuses our v2 version word (drivers answer FUNCTION_NOT_FOUND to a word they
 * do not know; some functions ARGUMENT_VERSION_MISMATCH): memory comes from v1 instead. */
static void test_memory_v2_refused_falls_back_to_v1(void **state)
{
    fixture_t *f = *state;
    for (unsigned index = 4; index <= 5; index++) {
        nvml_memory_t m;
        assert_int_equal(nvml_device_memory(&f->lib, device(f, index), &m), NVML_SUCCESS);
        assert_false(m.has_reserved);
        assert_int_equal(m.total, 100);
        assert_int_equal(m.used, 15);
        assert_int_equal(m.free, 85);
    }
    /* Other errors of _v2 are the answer, without a second call. */
    nvml_memory_t m;
    assert_int_equal(nvml_device_memory(&f->lib, device(f, 2), &m), NVML_ERROR_GPU_IS_LOST);
    assert_int_equal(calls_after_shutdown(f, "nvmlDeviceGetMemoryInfo"), 2);
}

static void test_pci_bus_id_v3_and_legacy_v1(void **state)
{
    fixture_t *f = *state;
    char bus_id[32];
    assert_string_equal(nvml_fn_name(&f->lib, NVML_FN_PCI_INFO), "nvmlDeviceGetPciInfo_v3");
    assert_int_equal(nvml_device_pci_bus_id(&f->lib, f->dev, bus_id, sizeof bus_id), NVML_SUCCESS);
    assert_string_equal(bus_id, "0000000A:3B:1F.0");
    /* A pre-R390 driver: the 16-byte v1 struct, whose bus id is the short legacy form; the
     * wrapper writes the full form from the numbers instead. */
    resolve_variant(&f->lib, NVML_FN_PCI_INFO, 2);
    memset(bus_id, 'x', sizeof bus_id);
    assert_int_equal(nvml_device_pci_bus_id(&f->lib, f->dev, bus_id, sizeof bus_id), NVML_SUCCESS);
    assert_string_equal(bus_id, "0000000A:3B:1F.0");
    /* A short buffer is cut, still terminated. */
    assert_int_equal(nvml_device_pci_bus_id(&f->lib, f->dev, bus_id, 9), NVML_SUCCESS);
    assert_string_equal(bus_id, "0000000A");
    assert_int_equal(calls_after_shutdown(f, "nvmlDeviceGetPciInfo"), 2);
}

static void expect_h100_processes(const nvml_process_t *p, unsigned n)
{
    assert_int_equal(n, 3);
    assert_int_equal(p[0].pid, 1045);
    assert_int_equal(p[0].used_memory, 3332374528ULL);
    assert_int_equal(p[1].pid, 1046);
    assert_int_equal(p[1].used_memory, NVML_VALUE_NOT_AVAILABLE_ULL);
    assert_int_equal(p[2].pid, 4194305);
    assert_int_equal(p[2].used_memory, 1000);
    for (unsigned i = 0; i < n; i++) {
        assert_int_equal(p[i].gpu_instance_id, NVML_INSTANCE_ID_NONE);
        assert_int_equal(p[i].compute_instance_id, NVML_INSTANCE_ID_NONE);
    }
}

static void test_processes_v3_24_byte_entries(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(f->lib.process_layout, 2);
    nvml_process_t *p = NULL;
    unsigned n = 0;
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 8, &p, &n),
                     NVML_SUCCESS);
    expect_h100_processes(p, n);
    free(p);
    /* A MIG device's entries carry its instance ids. */
    nvmlDevice_t mig = NULL;
    assert_int_equal(nvml_device_mig_handle(&f->lib, device(f, 1), 0, &mig), NVML_SUCCESS);
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, mig, 8, &p, &n),
                     NVML_SUCCESS);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].pid, 21000);
    assert_int_equal(p[0].used_memory, 4718592000ULL);
    assert_int_equal(p[0].gpu_instance_id, 2);
    assert_int_equal(p[0].compute_instance_id, 1);
    free(p);
}

static void test_processes_v1_16_byte_entries(void **state)
{
    fixture_t *f = *state;
    resolve_variant(&f->lib, NVML_FN_COMPUTE_PROCESSES, 2);
    f->lib.process_layout = 1;
    nvml_process_t *p = NULL;
    unsigned n = 0;
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 8, &p, &n),
                     NVML_SUCCESS);
    expect_h100_processes(p, n);
    free(p);
    assert_int_equal(calls_after_shutdown(f, "nvmlDeviceGetComputeRunningProcesses"), 1);
}

/* The early-R535 _v3 entry (32 bytes): what such a driver writes. */
typedef struct r535_entry {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
    unsigned long long usedGpuCcProtectedMemory;
} r535_entry_t;

static nvmlReturn_t r535_processes(nvmlDevice_t dev, unsigned *count, void *infos)
{
    (void)dev;
    static const r535_entry_t entries[] = {{7, 1000, 1, 0, 99}, {8, 2000, 3, 2, 99}};
    /* Such a driver writes 32 bytes an entry: a buffer sized for 24 would overflow. */
    if (infos && malloc_usable_size(infos) < sizeof entries) return NVML_ERROR_INVALID_ARGUMENT;
    if (*count < 2) {
        *count = 2;
        return NVML_ERROR_INSUFFICIENT_SIZE;
    }
    memcpy(infos, entries, sizeof entries);
    *count = 2;
    return NVML_SUCCESS;
}

/* Puts a stand-in function into the symbol table (as dlsym would hand it over). */
static void put_function(nvml_lib_t *lib, nvml_fn_t fn, void (*function)(void))
{
    memcpy(&lib->sym[fn], &function, sizeof(lib->sym[fn]));
}

#define PUT(lib, fn, function) put_function(lib, fn, (void (*)(void))(function))

static void test_processes_early_r535_32_byte_entries(void **state)
{
    fixture_t *f = *state;
    PUT(&f->lib, NVML_FN_COMPUTE_PROCESSES, r535_processes);
    f->lib.process_layout = 3;
    nvml_process_t *p = NULL;
    unsigned n = 0;
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 2, &p, &n),
                     NVML_SUCCESS);
    assert_int_equal(n, 2);
    assert_int_equal(p[0].pid, 7);
    assert_int_equal(p[0].used_memory, 1000);
    assert_int_equal(p[0].gpu_instance_id, 1);
    assert_int_equal(p[0].compute_instance_id, 0);
    assert_int_equal(p[1].pid, 8);
    assert_int_equal(p[1].used_memory, 2000);
    assert_int_equal(p[1].gpu_instance_id, 3);
    assert_int_equal(p[1].compute_instance_id, 2);
    free(p);
}

static void test_temperature_v_then_the_plain_call(void **state)
{
    fixture_t *f = *state;
    int celsius = 0;
    assert_int_equal(nvml_device_temperature(&f->lib, f->dev, &celsius), NVML_SUCCESS);
    assert_int_equal(celsius, 54);
    /* A driver whose TemperatureV wants another struct version: the plain call answers. */
    celsius = 0;
    assert_int_equal(nvml_device_temperature(&f->lib, device(f, 3), &celsius), NVML_SUCCESS);
    assert_int_equal(celsius, 61);
    /* A driver without TemperatureV. */
    f->lib.sym[NVML_FN_TEMPERATURE_V] = NULL;
    celsius = 0;
    assert_int_equal(nvml_device_temperature(&f->lib, f->dev, &celsius), NVML_SUCCESS);
    assert_int_equal(celsius, 54);
    assert_int_equal(calls_after_shutdown(f, "nvmlDeviceGetTemperature"), 2);
}

/* ---- buffer sizing ---- */

static void test_processes_retry_with_the_size_asked(void **state)
{
    fixture_t *f = *state;
    nvml_process_t *p = NULL;
    unsigned n = 99;
    /* Room for one: the driver asks for three, the second call fits. */
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 1, &p, &n),
                     NVML_SUCCESS);
    expect_h100_processes(p, n);
    free(p);
    /* No hint is room for one too. */
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 0, &p, &n),
                     NVML_SUCCESS);
    assert_int_equal(n, 3);
    free(p);
    assert_int_equal(calls_after_shutdown(f, "nvmlDeviceGetComputeRunningProcesses_v3"), 4);
}

static void test_processes_none(void **state)
{
    fixture_t *f = *state;
    nvml_process_t sentinel, *p = &sentinel;
    unsigned n = 99;
    assert_int_equal(
        nvml_device_processes(&f->lib, NVML_FN_GRAPHICS_PROCESSES, device(f, 1), 4, &p, &n),
        NVML_SUCCESS);
    assert_null(p);
    assert_int_equal(n, 0);
}

static unsigned growing_calls;

/* A list that grows by ten between any two calls. */
static nvmlReturn_t growing_processes(nvmlDevice_t dev, unsigned *count, void *infos)
{
    (void)dev;
    (void)infos;
    growing_calls++;
    unsigned needed = *count + 10;
    *count = needed;
    return NVML_ERROR_INSUFFICIENT_SIZE;
}

static void test_processes_give_up_on_a_list_that_keeps_growing(void **state)
{
    fixture_t *f = *state;
    PUT(&f->lib, NVML_FN_COMPUTE_PROCESSES, growing_processes);
    growing_calls = 0;
    nvml_process_t *p = NULL;
    unsigned n = 0;
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 4, &p, &n),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_int_equal(growing_calls, 4);
    assert_null(p);
    assert_int_equal(n, 0);
}

/* A broken answer: more processes than any GPU runs. */
static nvmlReturn_t absurd_processes(nvmlDevice_t dev, unsigned *count, void *infos)
{
    (void)dev;
    (void)infos;
    growing_calls++;
    *count = 1U << 24;
    return NVML_ERROR_INSUFFICIENT_SIZE;
}

static void test_processes_refuse_an_absurd_size(void **state)
{
    fixture_t *f = *state;
    PUT(&f->lib, NVML_FN_COMPUTE_PROCESSES, absurd_processes);
    growing_calls = 0;
    nvml_process_t *p = NULL;
    unsigned n = 0;
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 4, &p, &n),
                     NVML_ERROR_UNKNOWN);
    assert_int_equal(growing_calls, 1);
    assert_null(p);
}

static void test_process_utilization_sizing_and_no_new_samples(void **state)
{
    fixture_t *f = *state;
    nvmlProcessUtilizationSample_t *s = NULL;
    unsigned n = 0;
    assert_int_equal(nvml_device_process_utilization(&f->lib, f->dev, 0, 1, &s, &n), NVML_SUCCESS);
    assert_int_equal(n, 3);
    assert_int_equal(s[0].pid, 1045);
    assert_int_equal(s[0].smUtil, 81);
    assert_int_equal(s[1].memUtil, 5);
    unsigned long long an_hour_later = s[0].timeStamp + 3600ULL * 1000 * 1000;
    free(s);
    /* Nothing newer than the last sample seen: NOT_FOUND, no buffer. */
    assert_int_equal(nvml_device_process_utilization(&f->lib, f->dev, an_hour_later, 4, &s, &n),
                     NVML_ERROR_NOT_FOUND);
    assert_null(s);
    assert_int_equal(n, 0);
    assert_int_equal(nvml_na_from_return(NVML_ERROR_NOT_FOUND), NVITOP_NA_UNAVAILABLE);
}

/* ---- errors ---- */

static void test_missing_symbols_are_function_not_found(void **state)
{
    fixture_t *f = *state;
    nvml_lib_t *lib = &f->lib;
    for (int fn = 0; fn < NVML_FN__COUNT; fn++)
        if (fn != NVML_FN_SHUTDOWN) lib->sym[fn] = NULL;
    nvml_memory_t m;
    nvml_process_t *p = NULL;
    nvmlProcessUtilizationSample_t *s = NULL;
    unsigned n = 0, value = 0;
    unsigned long long big = 0;
    int a = 0, b = 0;
    char buf[32];
    nvmlDevice_t other = NULL;
    const nvmlReturn_t missing = NVML_ERROR_FUNCTION_NOT_FOUND;
    assert_int_equal(nvml_device_memory(lib, f->dev, &m), missing);
    assert_int_equal(nvml_device_pci_bus_id(lib, f->dev, buf, sizeof buf), missing);
    assert_int_equal(nvml_device_processes(lib, NVML_FN_COMPUTE_PROCESSES, f->dev, 4, &p, &n),
                     missing);
    assert_int_equal(nvml_device_process_utilization(lib, f->dev, 0, 4, &s, &n), missing);
    assert_int_equal(nvml_device_temperature(lib, f->dev, &a), missing);
    assert_int_equal(nvml_device_uint(lib, NVML_FN_FAN_SPEED, f->dev, &value), missing);
    assert_int_equal(nvml_device_ull(lib, NVML_FN_TOTAL_ENERGY, f->dev, &big), missing);
    assert_int_equal(nvml_device_pair(lib, NVML_FN_MIG_MODE, f->dev, &a, &b), missing);
    assert_int_equal(nvml_device_string(lib, NVML_FN_NAME, f->dev, buf, sizeof buf), missing);
    assert_int_equal(nvml_device_mig_handle(lib, f->dev, 0, &other), missing);
    assert_int_equal(nvml_system_cuda_driver_version(lib, &a), missing);
    assert_int_equal(nvml_na_from_return(missing), NVITOP_NA_NO_FUNCTION);
    /* The name reported is the newest candidate. */
    assert_string_equal(nvml_fn_name(lib, NVML_FN_COMPUTE_PROCESSES),
                        "nvmlDeviceGetComputeRunningProcesses_v3");
}

static void test_driver_errors_come_back_as_they_are(void **state)
{
    fixture_t *f = *state;
    nvml_memory_t m;
    nvml_process_t *p = NULL;
    unsigned n = 0;
    nvmlDevice_t lost = device(f, 2), refusing = device(f, 3);
    assert_int_equal(nvml_device_memory(&f->lib, lost, &m), NVML_ERROR_GPU_IS_LOST);
    assert_int_equal(nvml_na_from_return(NVML_ERROR_GPU_IS_LOST), NVITOP_NA_GPU_LOST);
    assert_int_equal(nvml_device_memory(&f->lib, refusing, &m), NVML_ERROR_NO_PERMISSION);
    assert_int_equal(nvml_na_from_return(NVML_ERROR_NO_PERMISSION), NVITOP_NA_NO_PERMISSION);
    assert_int_equal(nvml_device_processes(&f->lib, NVML_FN_COMPUTE_PROCESSES, refusing, 4, &p, &n),
                     NVML_ERROR_TIMEOUT);
    assert_null(p);
    assert_int_equal(n, 0);
    assert_int_equal(nvml_na_from_return(NVML_ERROR_TIMEOUT), NVITOP_NA_TIMEOUT);
    int celsius = 0;
    assert_int_equal(nvml_device_temperature(&f->lib, lost, &celsius), NVML_ERROR_GPU_IS_LOST);
    assert_int_equal(celsius, 0);
}

/* A driver that fills the whole buffer of a name too long for it, without a terminator. */
static nvmlReturn_t unterminated_name(nvmlDevice_t dev, char *buf, unsigned len)
{
    (void)dev;
    memset(buf, 'x', len);
    return NVML_ERROR_INSUFFICIENT_SIZE;
}

static void test_strings_too_long_are_cut_and_terminated(void **state)
{
    fixture_t *f = *state;
    char name[96];
    assert_int_equal(nvml_device_string(&f->lib, NVML_FN_NAME, f->dev, name, sizeof name),
                     NVML_SUCCESS);
    assert_string_equal(name, "NVIDIA H100 80GB HBM3");
    char buf[8];
    memset(buf, 'y', sizeof buf);
    assert_int_equal(nvml_device_string(&f->lib, NVML_FN_NAME, f->dev, buf, sizeof buf),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_true(memchr(buf, '\0', sizeof buf) != NULL);
    PUT(&f->lib, NVML_FN_NAME, unterminated_name);
    assert_int_equal(nvml_device_string(&f->lib, NVML_FN_NAME, f->dev, buf, sizeof buf),
                     NVML_ERROR_INSUFFICIENT_SIZE);
    assert_string_equal(buf, "xxxxxxx");
}

#define TEST(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(test_memory_v2_keeps_reserved_apart),
        TEST(test_memory_v1_used_includes_reserved),
        TEST(test_memory_v2_refused_falls_back_to_v1),
        TEST(test_pci_bus_id_v3_and_legacy_v1),
        TEST(test_processes_v3_24_byte_entries),
        TEST(test_processes_v1_16_byte_entries),
        TEST(test_processes_early_r535_32_byte_entries),
        TEST(test_temperature_v_then_the_plain_call),
        TEST(test_processes_retry_with_the_size_asked),
        TEST(test_processes_none),
        TEST(test_processes_give_up_on_a_list_that_keeps_growing),
        TEST(test_processes_refuse_an_absurd_size),
        TEST(test_process_utilization_sizing_and_no_new_samples),
        TEST(test_missing_symbols_are_function_not_found),
        TEST(test_driver_errors_come_back_as_they_are),
        TEST(test_strings_too_long_are_cut_and_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
