/* SPDX-License-Identifier: Apache-2.0 */
/* Typed wrappers over the resolved NVML symbols: each picks the layout of the version the
 * driver exports and reports a missing symbol as NVML_ERROR_FUNCTION_NOT_FOUND. */
#include "nvml/nvml_lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Function pointers come out of dlsym() as void *; memcpy converts without the cast ISO C
 * leaves undefined. */
#define LOAD(lib, fn, var)                                                                         \
    do {                                                                                           \
        if (!(lib)->sym[fn]) return NVML_ERROR_FUNCTION_NOT_FOUND;                                 \
        memcpy(&(var), &(lib)->sym[fn], sizeof(var));                                              \
    } while (0)

typedef nvmlReturn_t (*fn_void)(void);
typedef nvmlReturn_t (*fn_str)(char *, unsigned);
typedef nvmlReturn_t (*fn_int_out)(int *);
typedef nvmlReturn_t (*fn_uint_out)(unsigned *);
typedef nvmlReturn_t (*fn_index)(unsigned, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_key)(const char *, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_dev_str)(nvmlDevice_t, char *, unsigned);
typedef nvmlReturn_t (*fn_dev_uint)(nvmlDevice_t, unsigned *);
typedef nvmlReturn_t (*fn_dev_ull)(nvmlDevice_t, unsigned long long *);
typedef nvmlReturn_t (*fn_dev_arg_uint)(nvmlDevice_t, unsigned, unsigned *);
typedef nvmlReturn_t (*fn_dev_pair)(nvmlDevice_t, int *, int *);
typedef nvmlReturn_t (*fn_dev_ptr)(nvmlDevice_t, void *);
typedef nvmlReturn_t (*fn_dev_index_dev)(nvmlDevice_t, unsigned, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_dev_dev)(nvmlDevice_t, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_ecc)(nvmlDevice_t, nvmlMemoryErrorType_t, nvmlEccCounterType_t,
                               unsigned long long *);
typedef nvmlReturn_t (*fn_fields)(nvmlDevice_t, int, nvmlFieldValue_t *);
typedef nvmlReturn_t (*fn_procs)(nvmlDevice_t, unsigned *, void *);
typedef nvmlReturn_t (*fn_proc_util)(nvmlDevice_t, nvmlProcessUtilizationSample_t *, unsigned *,
                                     unsigned long long);

nvmlReturn_t nvml_init(const nvml_lib_t *lib)
{
    fn_void f;
    LOAD(lib, NVML_FN_INIT, f);
    return f();
}

nvmlReturn_t nvml_shutdown(const nvml_lib_t *lib)
{
    fn_void f;
    LOAD(lib, NVML_FN_SHUTDOWN, f);
    return f();
}

nvmlReturn_t nvml_system_string(const nvml_lib_t *lib, nvml_fn_t fn, char *buf, unsigned len)
{
    fn_str f;
    LOAD(lib, fn, f);
    buf[0] = '\0';
    nvmlReturn_t rc = f(buf, len);
    buf[len - 1] = '\0';
    return rc;
}

nvmlReturn_t nvml_system_cuda_driver_version(const nvml_lib_t *lib, int *version)
{
    fn_int_out f;
    LOAD(lib, NVML_FN_SYSTEM_CUDA_DRIVER_VERSION, f);
    return f(version);
}

nvmlReturn_t nvml_device_count(const nvml_lib_t *lib, unsigned *count)
{
    fn_uint_out f;
    LOAD(lib, NVML_FN_DEVICE_COUNT, f);
    return f(count);
}

nvmlReturn_t nvml_handle_by_index(const nvml_lib_t *lib, unsigned index, nvmlDevice_t *dev)
{
    fn_index f;
    LOAD(lib, NVML_FN_HANDLE_BY_INDEX, f);
    return f(index, dev);
}

nvmlReturn_t nvml_handle_by_string(const nvml_lib_t *lib, nvml_fn_t fn, const char *key,
                                   nvmlDevice_t *dev)
{
    fn_key f;
    LOAD(lib, fn, f);
    return f(key, dev);
}

nvmlReturn_t nvml_device_string(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev, char *buf,
                                unsigned len)
{
    fn_dev_str f;
    LOAD(lib, fn, f);
    buf[0] = '\0';
    nvmlReturn_t rc = f(dev, buf, len);
    buf[len - 1] = '\0';
    return rc;
}

nvmlReturn_t nvml_device_uint(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                              unsigned *value)
{
    fn_dev_uint f;
    LOAD(lib, fn, f);
    return f(dev, value);
}

nvmlReturn_t nvml_device_ull(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                             unsigned long long *value)
{
    fn_dev_ull f;
    LOAD(lib, fn, f);
    return f(dev, value);
}

nvmlReturn_t nvml_device_uint_arg(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                                  unsigned arg, unsigned *value)
{
    fn_dev_arg_uint f;
    LOAD(lib, fn, f);
    return f(dev, arg, value);
}

nvmlReturn_t nvml_device_pair(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev, int *first,
                              int *second)
{
    fn_dev_pair f;
    LOAD(lib, fn, f);
    return f(dev, first, second);
}

nvmlReturn_t nvml_device_pci_bus_id(const nvml_lib_t *lib, nvmlDevice_t dev, char *buf,
                                    unsigned len)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_PCI_INFO, f);
    if (lib->variant[NVML_FN_PCI_INFO] < 2) {
        nvmlPciInfo_t info;
        memset(&info, 0, sizeof(info));
        nvmlReturn_t rc = f(dev, &info);
        if (rc == NVML_SUCCESS) snprintf(buf, len, "%.*s", (int)sizeof(info.busId), info.busId);
        return rc;
    }
    /* Pre-R390 drivers: a 16-byte bus id in the legacy "DDDD:BB:DD.F" form. */
    nvmlPciInfo_v1_t info;
    memset(&info, 0, sizeof(info));
    nvmlReturn_t rc = f(dev, &info);
    if (rc == NVML_SUCCESS)
        snprintf(buf, len, "%08X:%02X:%02X.0", info.domain, info.bus, info.device);
    return rc;
}

static nvmlReturn_t memory_v1(fn_dev_ptr f, nvmlDevice_t dev, nvml_memory_t *out)
{
    nvmlMemory_t m;
    memset(&m, 0, sizeof(m));
    nvmlReturn_t rc = f(dev, &m);
    if (rc == NVML_SUCCESS) *out = (nvml_memory_t){m.total, m.used, m.free, 0, false};
    return rc;
}

/* A driver refusing the version word of a struct it does not know: see nvml_lib.h. */
static bool refuses_struct_version(nvmlReturn_t rc)
{
    return rc == NVML_ERROR_FUNCTION_NOT_FOUND || rc == NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
}

nvmlReturn_t nvml_device_memory(const nvml_lib_t *lib, nvmlDevice_t dev, nvml_memory_t *out)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_MEMORY_INFO, f);
    memset(out, 0, sizeof(*out));
    if (lib->variant[NVML_FN_MEMORY_INFO] != 0) return memory_v1(f, dev, out);
    nvmlMemory_v2_t m;
    memset(&m, 0, sizeof(m));
    m.version = nvmlMemory_v2;
    nvmlReturn_t rc = f(dev, &m);
    if (rc == NVML_SUCCESS) *out = (nvml_memory_t){m.total, m.used, m.free, m.reserved, true};
    if (!refuses_struct_version(rc) || !lib->sym[NVML_FN_MEMORY_INFO_V1]) return rc;
    LOAD(lib, NVML_FN_MEMORY_INFO_V1, f);
    return memory_v1(f, dev, out);
}

nvmlReturn_t nvml_device_memory_v1(const nvml_lib_t *lib, nvmlDevice_t dev, nvml_memory_t *out)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_MEMORY_INFO_V1, f);
    memset(out, 0, sizeof(*out));
    return memory_v1(f, dev, out);
}

nvmlReturn_t nvml_device_pci_ids(const nvml_lib_t *lib, nvmlDevice_t dev, unsigned *device_id,
                                 unsigned *subsystem_id)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_PCI_INFO, f);
    union {
        nvmlPciInfo_t v3;
        nvmlPciInfo_v1_t v1;
    } info;
    memset(&info, 0, sizeof(info));
    nvmlReturn_t rc = f(dev, &info);
    if (rc == NVML_SUCCESS)
        *device_id = info.v3.pciDeviceId, *subsystem_id = info.v3.pciSubSystemId;
    return rc;
}

nvmlReturn_t nvml_device_addressing_mode(const nvml_lib_t *lib, nvmlDevice_t dev, unsigned *mode)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_ADDRESSING_MODE, f);
    nvmlDeviceAddressingMode_t m = {nvmlDeviceAddressingMode_v1, 0};
    nvmlReturn_t rc = f(dev, &m);
    if (rc == NVML_SUCCESS) *mode = m.value;
    return rc;
}

nvmlReturn_t nvml_device_bar1(const nvml_lib_t *lib, nvmlDevice_t dev, nvmlBAR1Memory_t *out)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_BAR1_MEMORY_INFO, f);
    return f(dev, out);
}

nvmlReturn_t nvml_device_utilization(const nvml_lib_t *lib, nvmlDevice_t dev,
                                     nvmlUtilization_t *out)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_UTILIZATION_RATES, f);
    return f(dev, out);
}

nvmlReturn_t nvml_device_temperature_v(const nvml_lib_t *lib, nvmlDevice_t dev, int *celsius)
{
    fn_dev_ptr f;
    LOAD(lib, NVML_FN_TEMPERATURE_V, f);
    nvmlTemperature_v1_t t = {nvmlTemperature_v1, NVML_TEMPERATURE_GPU, 0};
    nvmlReturn_t rc = f(dev, &t);
    if (rc == NVML_SUCCESS) *celsius = t.temperature;
    return rc;
}

nvmlReturn_t nvml_device_temperature(const nvml_lib_t *lib, nvmlDevice_t dev, int *celsius)
{
    if (lib->sym[NVML_FN_TEMPERATURE_V]) {
        fn_dev_ptr f;
        LOAD(lib, NVML_FN_TEMPERATURE_V, f);
        nvmlTemperature_v1_t t = {nvmlTemperature_v1, NVML_TEMPERATURE_GPU, 0};
        nvmlReturn_t rc = f(dev, &t);
        if (rc == NVML_SUCCESS) *celsius = t.temperature;
        if (!refuses_struct_version(rc)) return rc;
    }
    unsigned value = 0;
    nvmlReturn_t rc =
        nvml_device_uint_arg(lib, NVML_FN_TEMPERATURE, dev, NVML_TEMPERATURE_GPU, &value);
    if (rc == NVML_SUCCESS) *celsius = (int)value;
    return rc;
}

nvmlReturn_t nvml_device_ecc_count(const nvml_lib_t *lib, nvmlDevice_t dev,
                                   nvmlMemoryErrorType_t type, nvmlEccCounterType_t counter,
                                   unsigned long long *out)
{
    fn_ecc f;
    LOAD(lib, NVML_FN_TOTAL_ECC_ERRORS, f);
    return f(dev, type, counter, out);
}

nvmlReturn_t nvml_device_total_ecc_errors(const nvml_lib_t *lib, nvmlDevice_t dev,
                                          nvmlEccCounterType_t counter, unsigned long long *out)
{
    fn_ecc f;
    LOAD(lib, NVML_FN_TOTAL_ECC_ERRORS, f);
    return f(dev, NVML_MEMORY_ERROR_TYPE_UNCORRECTED, counter, out);
}

nvmlReturn_t nvml_device_mig_handle(const nvml_lib_t *lib, nvmlDevice_t dev, unsigned index,
                                    nvmlDevice_t *mig)
{
    fn_dev_index_dev f;
    LOAD(lib, NVML_FN_MIG_HANDLE_BY_INDEX, f);
    return f(dev, index, mig);
}

nvmlReturn_t nvml_device_parent_of_mig(const nvml_lib_t *lib, nvmlDevice_t mig,
                                       nvmlDevice_t *parent)
{
    fn_dev_dev f;
    LOAD(lib, NVML_FN_PARENT_OF_MIG, f);
    return f(mig, parent);
}

nvmlReturn_t nvml_device_field_values(const nvml_lib_t *lib, nvmlDevice_t dev, int count,
                                      nvmlFieldValue_t *values)
{
    fn_fields f;
    LOAD(lib, NVML_FN_FIELD_VALUES, f);
    return f(dev, count, values);
}

/* The early-R535 _v3 entry: v2 plus usedGpuCcProtectedMemory (32 bytes). */
typedef struct process_info_r535 {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
    unsigned long long usedGpuCcProtectedMemory;
} process_info_r535_t;

static size_t process_entry_size(int layout)
{
    switch (layout) {
    case 1:
        return sizeof(nvmlProcessInfo_v1_t);
    case 3:
        return sizeof(process_info_r535_t);
    default:
        return sizeof(nvmlProcessInfo_v2_t);
    }
}

static void convert_processes(int layout, const void *raw, unsigned count, nvml_process_t *out)
{
    for (unsigned i = 0; i < count; i++) {
        nvml_process_t *p = &out[i];
        if (layout == 1) {
            const nvmlProcessInfo_v1_t *e = (const nvmlProcessInfo_v1_t *)raw + i;
            *p = (nvml_process_t){e->pid, e->usedGpuMemory, NVML_INSTANCE_ID_NONE,
                                  NVML_INSTANCE_ID_NONE};
        } else if (layout == 3) {
            const process_info_r535_t *e = (const process_info_r535_t *)raw + i;
            *p = (nvml_process_t){e->pid, e->usedGpuMemory, e->gpuInstanceId, e->computeInstanceId};
        } else {
            const nvmlProcessInfo_v2_t *e = (const nvmlProcessInfo_v2_t *)raw + i;
            *p = (nvml_process_t){e->pid, e->usedGpuMemory, e->gpuInstanceId, e->computeInstanceId};
        }
    }
}

#define MAX_ENTRIES (1U << 20) /* no GPU runs a million processes: a broken answer */

nvmlReturn_t nvml_device_processes(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                                   unsigned hint, nvml_process_t **out, unsigned *count)
{
    fn_procs f;
    LOAD(lib, fn, f);
    *out = NULL;
    *count = 0;
    size_t entry = process_entry_size(lib->process_layout);
    unsigned cap = hint ? hint : 1;
    nvmlReturn_t rc = NVML_ERROR_INSUFFICIENT_SIZE;
    /* Processes may start between two calls: retry with what the driver asks for. */
    for (int attempt = 0; rc == NVML_ERROR_INSUFFICIENT_SIZE && attempt < 4; attempt++) {
        if (cap > MAX_ENTRIES) return NVML_ERROR_UNKNOWN;
        void *raw = calloc(cap, entry);
        if (!raw) return NVML_ERROR_MEMORY;
        unsigned n = cap;
        rc = f(dev, &n, raw);
        if (rc == NVML_SUCCESS && n > 0 && n <= cap) {
            nvml_process_t *procs = calloc(n, sizeof(*procs));
            if (!procs) {
                free(raw);
                return NVML_ERROR_MEMORY;
            }
            convert_processes(lib->process_layout, raw, n, procs);
            *out = procs;
            *count = n;
        }
        free(raw);
        cap = 2 * n + 5;
    }
    return rc;
}

nvmlReturn_t nvml_device_process_utilization(const nvml_lib_t *lib, nvmlDevice_t dev,
                                             unsigned long long last_seen_us, unsigned hint,
                                             nvmlProcessUtilizationSample_t **out, unsigned *count)
{
    fn_proc_util f;
    LOAD(lib, NVML_FN_PROCESS_UTILIZATION, f);
    *out = NULL;
    *count = 0;
    unsigned cap = hint ? hint : 1;
    nvmlReturn_t rc = NVML_ERROR_INSUFFICIENT_SIZE;
    for (int attempt = 0; rc == NVML_ERROR_INSUFFICIENT_SIZE && attempt < 4; attempt++) {
        if (cap > MAX_ENTRIES) return NVML_ERROR_UNKNOWN;
        nvmlProcessUtilizationSample_t *samples = calloc(cap, sizeof(*samples));
        if (!samples) return NVML_ERROR_MEMORY;
        unsigned n = cap;
        rc = f(dev, samples, &n, last_seen_us);
        if (rc == NVML_SUCCESS && n > 0 && n <= cap) {
            *out = samples;
            *count = n;
            return NVML_SUCCESS;
        }
        free(samples);
        cap = 2 * n + 5;
    }
    return rc == NVML_SUCCESS ? NVML_ERROR_NOT_FOUND : rc;
}
