/* SPDX-License-Identifier: Apache-2.0 */
/* An independent NVML client: its own declarations written from the public NVML API reference
 * (nothing of this project is included or linked). It loads libnvidia-ml.so.1 with dlopen (the
 * path in argv[1], else the loader's search path) and prints, as JSON, every value it reads for
 * every device and MIG device; a failed call prints {"error": "NVML_ERROR_..."}.
 * The output format is shared with nvml_client.py; tests/e2e/test_sim_clients.sh checks both. */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int nvmlReturn_t;
typedef void *nvmlDevice_t;

typedef struct {
    char busIdLegacy[16];
    unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
    char busId[32];
} PciInfo;
typedef struct {
    char busId[16];
    unsigned int domain, bus, device, pciDeviceId, pciSubSystemId, reserved[4];
} PciInfoV1;
typedef struct {
    unsigned long long total, free, used;
} Memory;
typedef struct {
    unsigned int version;
    unsigned long long total, reserved, free, used;
} MemoryV2;
typedef struct {
    unsigned int gpu, memory;
} Utilization;
typedef struct {
    unsigned int version, sensorType;
    int temperature;
} TemperatureV1;
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
} ProcessV1;
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId, computeInstanceId;
} ProcessV2;
typedef struct {
    unsigned int pid;
    unsigned long long timeStamp;
    unsigned int smUtil, memUtil, encUtil, decUtil;
} ProcessSample;
typedef struct {
    unsigned int fieldId, scopeId;
    long long timestamp, latencyUsec;
    int valueType;
    nvmlReturn_t nvmlReturn;
    union {
        double d;
        unsigned int ui;
        unsigned long long ull;
    } value;
} FieldValue;

#define MEMORY_V2_VERSION ((unsigned int)(sizeof(MemoryV2) | (2U << 24)))
#define TEMPERATURE_V1_VERSION ((unsigned int)(sizeof(TemperatureV1) | (1U << 24)))
#define FI_NVLINK_LINK_COUNT 91
#define FI_NVLINK_DATA_TX 138
#define FI_NVLINK_DATA_RX 139
#define ERROR_NOT_FOUND 6
#define ERROR_FUNCTION_NOT_FOUND 13
#define MAX_LIST 512

static void *lib;

/* Calls symbol NAME with the arguments that follow, or yields FUNCTION_NOT_FOUND. */
#define CALL(name, type, ...)                                                                      \
    (sym(name) ? ((type)fnptr(sym(name)))(__VA_ARGS__) : ERROR_FUNCTION_NOT_FOUND)
#define CALL0(name) (sym(name) ? ((fn_void)fnptr(sym(name)))() : ERROR_FUNCTION_NOT_FOUND)

typedef void (*anyfn)(void);
static void *sym(const char *name)
{
    return dlsym(lib, name);
}
static anyfn fnptr(void *p)
{
    anyfn f;
    memcpy(&f, &p, sizeof f);
    return f;
}

typedef nvmlReturn_t (*fn_void)(void);
typedef nvmlReturn_t (*fn_str)(char *, unsigned int);
typedef nvmlReturn_t (*fn_int)(int *);
typedef nvmlReturn_t (*fn_uint)(unsigned int *);
typedef nvmlReturn_t (*fn_index)(unsigned int, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_lookup)(const char *, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_dev_str)(nvmlDevice_t, char *, unsigned int);
typedef nvmlReturn_t (*fn_dev_uint)(nvmlDevice_t, unsigned int *);
typedef nvmlReturn_t (*fn_dev_ull)(nvmlDevice_t, unsigned long long *);
typedef nvmlReturn_t (*fn_dev_arg_uint)(nvmlDevice_t, unsigned int, unsigned int *);
typedef nvmlReturn_t (*fn_dev_2uint)(nvmlDevice_t, unsigned int *, unsigned int *);
typedef nvmlReturn_t (*fn_dev_2int)(nvmlDevice_t, int *, int *);
typedef nvmlReturn_t (*fn_dev_ptr)(nvmlDevice_t, void *);
typedef nvmlReturn_t (*fn_dev_dev)(nvmlDevice_t, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_dev_idx_dev)(nvmlDevice_t, unsigned int, nvmlDevice_t *);
typedef nvmlReturn_t (*fn_dev_list)(nvmlDevice_t, unsigned int *, void *);
typedef nvmlReturn_t (*fn_dev_samples)(nvmlDevice_t, ProcessSample *, unsigned int *,
                                       unsigned long long);
typedef nvmlReturn_t (*fn_dev_ecc)(nvmlDevice_t, int, int, unsigned long long *);
typedef nvmlReturn_t (*fn_dev_fields)(nvmlDevice_t, int, FieldValue *);

static const char *const error_names[] = {
    "NVML_SUCCESS",
    "NVML_ERROR_UNINITIALIZED",
    "NVML_ERROR_INVALID_ARGUMENT",
    "NVML_ERROR_NOT_SUPPORTED",
    "NVML_ERROR_NO_PERMISSION",
    "NVML_ERROR_ALREADY_INITIALIZED",
    "NVML_ERROR_NOT_FOUND",
    "NVML_ERROR_INSUFFICIENT_SIZE",
    "NVML_ERROR_INSUFFICIENT_POWER",
    "NVML_ERROR_DRIVER_NOT_LOADED",
    "NVML_ERROR_TIMEOUT",
    "NVML_ERROR_IRQ_ISSUE",
    "NVML_ERROR_LIBRARY_NOT_FOUND",
    "NVML_ERROR_FUNCTION_NOT_FOUND",
    "NVML_ERROR_CORRUPTED_INFOROM",
    "NVML_ERROR_GPU_IS_LOST",
    "NVML_ERROR_RESET_REQUIRED",
    "NVML_ERROR_OPERATING_SYSTEM",
    "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
    "NVML_ERROR_IN_USE",
    "NVML_ERROR_MEMORY",
    "NVML_ERROR_NO_DATA",
    "NVML_ERROR_VGPU_ECC_NOT_SUPPORTED",
    "NVML_ERROR_INSUFFICIENT_RESOURCES",
    "NVML_ERROR_FREQ_NOT_SUPPORTED",
    "NVML_ERROR_ARGUMENT_VERSION_MISMATCH",
    "NVML_ERROR_DEPRECATED",
    "NVML_ERROR_NOT_READY",
    "NVML_ERROR_GPU_NOT_FOUND",
    "NVML_ERROR_INVALID_STATE",
};

/* --- a minimal JSON writer: keys, scalars, nesting, commas --- */

static int depth;
static bool need_comma[64];

static void begin_item(const char *key)
{
    if (need_comma[depth]) fputc(',', stdout);
    need_comma[depth] = true;
    printf("\n%*s", 2 * depth, "");
    if (key) printf("\"%s\": ", key);
}

static void open_(const char *key, char brace)
{
    begin_item(key);
    fputc(brace, stdout);
    need_comma[++depth] = false;
}

static void close_(char brace)
{
    bool any = need_comma[depth--];
    if (any) printf("\n%*s", 2 * depth, "");
    fputc(brace, stdout);
}

static void obj(const char *key)
{
    open_(key, '{');
}
static void end_obj(void)
{
    close_('}');
}
static void arr(const char *key)
{
    open_(key, '[');
}
static void end_arr(void)
{
    close_(']');
}

static void num(const char *key, unsigned long long v)
{
    begin_item(key);
    printf("%llu", v);
}

static void boolean(const char *key, bool v)
{
    begin_item(key);
    fputs(v ? "true" : "false", stdout);
}

static void str(const char *key, const char *s)
{
    begin_item(key);
    fputc('"', stdout);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if (*c < 0x20)
            printf("\\u%04x", *c);
        else
            fputc(*c, stdout);
    }
    fputc('"', stdout);
}

static void error(const char *key, nvmlReturn_t r)
{
    obj(key);
    if (r >= 0 && (size_t)r < sizeof error_names / sizeof error_names[0])
        str("error", error_names[r]);
    else if (r == 999)
        str("error", "NVML_ERROR_UNKNOWN");
    else {
        char buf[48];
        snprintf(buf, sizeof buf, "NVML_ERROR_%d", r);
        str("error", buf);
    }
    end_obj();
}

/* Prints the value, or the error in place of it. */
static void uint_or_error(const char *key, nvmlReturn_t r, unsigned long long v)
{
    if (r == 0)
        num(key, v);
    else
        error(key, r);
}

static void str_or_error(const char *key, nvmlReturn_t r, const char *s)
{
    if (r == 0)
        str(key, s);
    else
        error(key, r);
}

static void status(const char *key, nvmlReturn_t r)
{
    str_or_error(key, r, "NVML_SUCCESS");
}

/* --- what is read --- */

static void sys_str(const char *key, const char *name)
{
    char buf[96] = "";
    str_or_error(key, CALL(name, fn_str, buf, sizeof buf), buf);
}

static void sys_int(const char *key, const char *name)
{
    int v = 0;
    {
        nvmlReturn_t rc = CALL(name, fn_int, &v);
        uint_or_error(key, rc, (unsigned long long)v);
    }
}

static void print_system(void)
{
    unsigned int count = 0;
    sys_str("driver_version", "nvmlSystemGetDriverVersion");
    sys_str("nvml_version", "nvmlSystemGetNVMLVersion");
    sys_int("cuda_driver_version", "nvmlSystemGetCudaDriverVersion");
    sys_int("cuda_driver_version_v2", "nvmlSystemGetCudaDriverVersion_v2");
    {
        nvmlReturn_t rc = CALL("nvmlDeviceGetCount", fn_uint, &count);
        uint_or_error("count", rc, count);
    }
}

static nvmlReturn_t dev_str(nvmlDevice_t dev, const char *key, const char *name, char *buf,
                            unsigned int len)
{
    buf[0] = '\0';
    nvmlReturn_t r = CALL(name, fn_dev_str, dev, buf, len);
    str_or_error(key, r, buf);
    return r;
}

static nvmlReturn_t dev_uint(nvmlDevice_t dev, const char *key, const char *name, unsigned int *out)
{
    unsigned int v = 0;
    nvmlReturn_t r = CALL(name, fn_dev_uint, dev, &v);
    uint_or_error(key, r, v);
    if (out) *out = v;
    return r;
}

static void dev_ull(nvmlDevice_t dev, const char *key, const char *name)
{
    unsigned long long v = 0;
    {
        nvmlReturn_t rc = CALL(name, fn_dev_ull, dev, &v);
        uint_or_error(key, rc, v);
    }
}

/* name(dev, arg, &value) for each argument 0..n-1, printed under keys[i]. */
static void dev_selected(nvmlDevice_t dev, const char *key, const char *name,
                         const char *const *keys, unsigned int n)
{
    obj(key);
    for (unsigned int i = 0; i < n; i++) {
        unsigned int v = 0;
        {
            nvmlReturn_t rc = CALL(name, fn_dev_arg_uint, dev, i, &v);
            uint_or_error(keys[i], rc, v);
        }
    }
    end_obj();
}

static nvmlReturn_t print_pci(nvmlDevice_t dev, char bus_id[32])
{
    PciInfo pci;
    PciInfoV1 v1;
    memset(&pci, 0, sizeof pci);
    nvmlReturn_t r = CALL("nvmlDeviceGetPciInfo_v3", fn_dev_ptr, dev, &pci);
    if (r == 0) {
        obj("pci");
        str("bus_id", pci.busId);
        str("bus_id_legacy", pci.busIdLegacy);
        num("domain", pci.domain);
        num("bus", pci.bus);
        num("device", pci.device);
        num("pci_device_id", pci.pciDeviceId);
        num("pci_subsystem_id", pci.pciSubSystemId);
        end_obj();
        memcpy(bus_id, pci.busId, 32);
    } else {
        error("pci", r);
    }
    nvmlReturn_t r3 = r;
    r = CALL("nvmlDeviceGetPciInfo", fn_dev_ptr, dev, &v1);
    if (r == 0) {
        obj("pci_v1");
        str("bus_id", v1.busId);
        num("domain", v1.domain);
        num("bus", v1.bus);
        num("device", v1.device);
        num("pci_device_id", v1.pciDeviceId);
        num("pci_subsystem_id", v1.pciSubSystemId);
        end_obj();
    } else {
        error("pci_v1", r);
    }
    return r3;
}

static void print_memory(nvmlDevice_t dev)
{
    Memory m;
    MemoryV2 m2 = {.version = MEMORY_V2_VERSION};
    Memory bar1;
    nvmlReturn_t r = CALL("nvmlDeviceGetMemoryInfo", fn_dev_ptr, dev, &m);
    if (r == 0) {
        obj("memory");
        num("total", m.total);
        num("free", m.free);
        num("used", m.used);
        end_obj();
    } else {
        error("memory", r);
    }
    r = CALL("nvmlDeviceGetMemoryInfo_v2", fn_dev_ptr, dev, &m2);
    if (r == 0) {
        obj("memory_v2");
        num("total", m2.total);
        num("reserved", m2.reserved);
        num("free", m2.free);
        num("used", m2.used);
        end_obj();
    } else {
        error("memory_v2", r);
    }
    /* nvmlBAR1Memory_t is {bar1Total, bar1Free, bar1Used}: the same shape as Memory. */
    r = CALL("nvmlDeviceGetBAR1MemoryInfo", fn_dev_ptr, dev, &bar1);
    if (r == 0) {
        obj("bar1");
        num("total", bar1.total);
        num("free", bar1.free);
        num("used", bar1.used);
        end_obj();
    } else {
        error("bar1", r);
    }
}

static void print_utilization(nvmlDevice_t dev)
{
    Utilization u;
    nvmlReturn_t r = CALL("nvmlDeviceGetUtilizationRates", fn_dev_ptr, dev, &u);
    if (r == 0) {
        obj("utilization");
        num("gpu", u.gpu);
        num("memory", u.memory);
        end_obj();
    } else {
        error("utilization", r);
    }
}

static void print_codec(nvmlDevice_t dev, const char *key, const char *name)
{
    unsigned int v = 0, period = 0;
    nvmlReturn_t r = CALL(name, fn_dev_2uint, dev, &v, &period);
    if (r == 0) {
        obj(key);
        num("utilization", v);
        num("sampling_period_us", period);
        end_obj();
    } else {
        error(key, r);
    }
}

static void print_fans(nvmlDevice_t dev)
{
    unsigned int n = 0, v = 0;
    {
        nvmlReturn_t rc = CALL("nvmlDeviceGetFanSpeed", fn_dev_uint, dev, &v);
        uint_or_error("fan_speed", rc, v);
    }
    if (dev_uint(dev, "num_fans", "nvmlDeviceGetNumFans", &n) != 0) return;
    arr("fan_speeds");
    for (unsigned int i = 0; i < n && i < 64; i++) {
        nvmlReturn_t rc = CALL("nvmlDeviceGetFanSpeed_v2", fn_dev_arg_uint, dev, i, &v);
        uint_or_error(NULL, rc, v);
    }
    end_arr();
}

static void print_temperatures(nvmlDevice_t dev)
{
    static const char *const thresholds[] = {"shutdown", "slowdown", "mem_max", "gpu_max"};
    unsigned int v = 0;
    TemperatureV1 t = {.version = TEMPERATURE_V1_VERSION, .sensorType = 0};
    {
        nvmlReturn_t rc = CALL("nvmlDeviceGetTemperature", fn_dev_arg_uint, dev, 0, &v);
        uint_or_error("temperature", rc, v);
    }
    nvmlReturn_t r = CALL("nvmlDeviceGetTemperatureV", fn_dev_ptr, dev, &t);
    uint_or_error("temperature_v", r, (unsigned long long)t.temperature);
    dev_selected(dev, "thresholds", "nvmlDeviceGetTemperatureThreshold", thresholds, 4);
}

static void print_modes(nvmlDevice_t dev)
{
    unsigned int cur = 0, pend = 0;
    dev_uint(dev, "performance_state", "nvmlDeviceGetPerformanceState", NULL);
    dev_uint(dev, "persistence_mode", "nvmlDeviceGetPersistenceMode", NULL);
    dev_uint(dev, "display_mode", "nvmlDeviceGetDisplayMode", NULL);
    dev_uint(dev, "display_active", "nvmlDeviceGetDisplayActive", NULL);
    dev_uint(dev, "compute_mode", "nvmlDeviceGetComputeMode", NULL);
    nvmlReturn_t r = CALL("nvmlDeviceGetEccMode", fn_dev_2uint, dev, &cur, &pend);
    if (r == 0) {
        obj("ecc_mode");
        num("current", cur);
        num("pending", pend);
        end_obj();
    } else {
        error("ecc_mode", r);
    }
    static const char *const ecc_keys[2][2] = {{"volatile_corrected", "aggregate_corrected"},
                                               {"volatile_uncorrected", "aggregate_uncorrected"}};
    obj("ecc_errors");
    for (int unc = 1; unc >= 0; unc--)
        for (int agg = 0; agg < 2; agg++) {
            unsigned long long v = 0;
            {
                nvmlReturn_t rc =
                    CALL("nvmlDeviceGetTotalEccErrors", fn_dev_ecc, dev, unc, agg, &v);
                uint_or_error(ecc_keys[unc][agg], rc, v);
            }
        }
    end_obj();
}

static void print_clocks_pcie(nvmlDevice_t dev)
{
    static const char *const clocks[] = {"graphics", "sm", "mem", "video"};
    static const char *const pcie[] = {"pcie_tx", "pcie_rx"};
    int major = 0, minor = 0;
    dev_selected(dev, "clocks", "nvmlDeviceGetClockInfo", clocks, 4);
    dev_selected(dev, "max_clocks", "nvmlDeviceGetMaxClockInfo", clocks, 4);
    for (unsigned int i = 0; i < 2; i++) {
        unsigned int v = 0;
        {
            nvmlReturn_t rc = CALL("nvmlDeviceGetPcieThroughput", fn_dev_arg_uint, dev, i, &v);
            uint_or_error(pcie[i], rc, v);
        }
    }
    dev_uint(dev, "max_link_gen", "nvmlDeviceGetMaxPcieLinkGeneration", NULL);
    dev_uint(dev, "max_link_width", "nvmlDeviceGetMaxPcieLinkWidth", NULL);
    dev_uint(dev, "curr_link_gen", "nvmlDeviceGetCurrPcieLinkGeneration", NULL);
    dev_uint(dev, "curr_link_width", "nvmlDeviceGetCurrPcieLinkWidth", NULL);
    nvmlReturn_t r = CALL("nvmlDeviceGetCudaComputeCapability", fn_dev_2int, dev, &major, &minor);
    if (r == 0) {
        arr("cuda_compute_capability");
        num(NULL, (unsigned long long)major);
        num(NULL, (unsigned long long)minor);
        end_arr();
    } else {
        error("cuda_compute_capability", r);
    }
    dev_ull(dev, "throttle_reasons", "nvmlDeviceGetCurrentClocksThrottleReasons");
}

/* The two-call pattern: ask for the count, then for the list. */
static void print_processes(nvmlDevice_t dev, const char *key, const char *name, bool v2)
{
    static ProcessV2 list2[MAX_LIST];
    static ProcessV1 list1[MAX_LIST];
    unsigned int n = 0;
    nvmlReturn_t r = CALL(name, fn_dev_list, dev, &n, NULL);
    if (r == 7 /* INSUFFICIENT_SIZE */ && n <= MAX_LIST)
        r = CALL(name, fn_dev_list, dev, &n, v2 ? (void *)list2 : (void *)list1);
    if (r != 0) {
        error(key, r);
        return;
    }
    arr(key);
    for (unsigned int i = 0; i < n; i++) {
        obj(NULL);
        num("pid", v2 ? list2[i].pid : list1[i].pid);
        num("used_memory", v2 ? list2[i].usedGpuMemory : list1[i].usedGpuMemory);
        if (v2) {
            num("gpu_instance_id", list2[i].gpuInstanceId);
            num("compute_instance_id", list2[i].computeInstanceId);
        }
        end_obj();
    }
    end_arr();
}

static void print_samples(nvmlDevice_t dev)
{
    static ProcessSample samples[MAX_LIST];
    unsigned int n = 0;
    nvmlReturn_t r = CALL("nvmlDeviceGetProcessUtilization", fn_dev_samples, dev, NULL, &n, 0ULL);
    if (r == 7 && n <= MAX_LIST)
        r = CALL("nvmlDeviceGetProcessUtilization", fn_dev_samples, dev, samples, &n, 0ULL);
    if (r != 0) {
        error("process_utilization", r);
        return;
    }
    arr("process_utilization");
    for (unsigned int i = 0; i < n; i++) {
        obj(NULL);
        num("pid", samples[i].pid);
        num("sm", samples[i].smUtil);
        num("mem", samples[i].memUtil);
        num("enc", samples[i].encUtil);
        num("dec", samples[i].decUtil);
        end_obj();
    }
    end_arr();
}

static void print_all_processes(nvmlDevice_t dev)
{
    print_processes(dev, "compute_processes", "nvmlDeviceGetComputeRunningProcesses_v3", true);
    print_processes(dev, "graphics_processes", "nvmlDeviceGetGraphicsRunningProcesses_v3", true);
    print_processes(dev, "mps_processes", "nvmlDeviceGetMPSComputeRunningProcesses_v3", true);
    print_processes(dev, "compute_processes_v1", "nvmlDeviceGetComputeRunningProcesses", false);
    print_samples(dev);
}

static void field_or_error(const char *key, const FieldValue *f)
{
    uint_or_error(key, f->nvmlReturn, f->valueType == 1 ? f->value.ui : f->value.ull);
}

static void print_nvlink(nvmlDevice_t dev)
{
    FieldValue f[2];
    memset(f, 0, sizeof f);
    f[0].fieldId = FI_NVLINK_LINK_COUNT;
    obj("nvlink");
    nvmlReturn_t r = CALL("nvmlDeviceGetFieldValues", fn_dev_fields, dev, 1, f);
    if (r != 0) {
        error("link_count", r);
        end_obj();
        return;
    }
    field_or_error("link_count", &f[0]);
    unsigned int links = f[0].nvmlReturn == 0 ? f[0].value.ui : 0;
    arr("links");
    for (unsigned int i = 0; i < links && i < 36; i++) { /* NVML_NVLINK_MAX_LINKS, CUDA 13.3 */
        unsigned int state = 0;
        obj(NULL);
        {
            nvmlReturn_t rc = CALL("nvmlDeviceGetNvLinkState", fn_dev_arg_uint, dev, i, &state);
            uint_or_error("state", rc, state);
        }
        memset(f, 0, sizeof f);
        f[0].fieldId = FI_NVLINK_DATA_TX;
        f[1].fieldId = FI_NVLINK_DATA_RX;
        f[0].scopeId = f[1].scopeId = i;
        r = CALL("nvmlDeviceGetFieldValues", fn_dev_fields, dev, 2, f);
        if (r != 0) f[0].nvmlReturn = f[1].nvmlReturn = r;
        field_or_error("tx", &f[0]);
        field_or_error("rx", &f[1]);
        end_obj();
    }
    end_arr();
    end_obj();
}

/* Does looking the UUID (or bus id) up give back the same handle? */
static void lookup(const char *key, const char *name, nvmlReturn_t have, const char *id,
                   nvmlDevice_t expect)
{
    nvmlDevice_t found = NULL;
    nvmlReturn_t r = have != 0 ? have : CALL(name, fn_lookup, id, &found);
    if (r == 0)
        boolean(key, found == expect);
    else
        error(key, r);
}

static void print_mig_device(nvmlDevice_t parent, nvmlDevice_t mig)
{
    char buf[96];
    nvmlDevice_t up = NULL;
    dev_uint(mig, "gpu_instance_id", "nvmlDeviceGetGpuInstanceId", NULL);
    dev_uint(mig, "compute_instance_id", "nvmlDeviceGetComputeInstanceId", NULL);
    dev_uint(mig, "is_mig", "nvmlDeviceIsMigDeviceHandle", NULL);
    nvmlReturn_t r = CALL("nvmlDeviceGetDeviceHandleFromMigDeviceHandle", fn_dev_dev, mig, &up);
    if (r == 0)
        boolean("parent_is_device", up == parent);
    else
        error("parent_is_device", r);
    dev_str(mig, "name", "nvmlDeviceGetName", buf, sizeof buf);
    r = dev_str(mig, "uuid", "nvmlDeviceGetUUID", buf, sizeof buf);
    lookup("uuid_lookup", "nvmlDeviceGetHandleByUUID", r, buf, mig);
    dev_uint(mig, "index", "nvmlDeviceGetIndex", NULL);
    unsigned int v = 0;
    {
        nvmlReturn_t rc = CALL("nvmlDeviceGetTemperature", fn_dev_arg_uint, mig, 0, &v);
        uint_or_error("temperature", rc, v);
    }
    print_memory(mig);
    print_utilization(mig);
    print_processes(mig, "compute_processes", "nvmlDeviceGetComputeRunningProcesses_v3", true);
    print_processes(mig, "graphics_processes", "nvmlDeviceGetGraphicsRunningProcesses_v3", true);
    print_samples(mig);
}

static void print_mig(nvmlDevice_t dev)
{
    unsigned int cur = 0, pend = 0, max = 0;
    nvmlReturn_t r = CALL("nvmlDeviceGetMigMode", fn_dev_2uint, dev, &cur, &pend);
    if (r == 0) {
        obj("mig_mode");
        num("current", cur);
        num("pending", pend);
        end_obj();
    } else {
        error("mig_mode", r);
    }
    if (dev_uint(dev, "max_mig_device_count", "nvmlDeviceGetMaxMigDeviceCount", &max) != 0) return;
    arr("mig_devices");
    for (unsigned int i = 0; i < max && i < 64; i++) {
        nvmlDevice_t mig = NULL;
        r = CALL("nvmlDeviceGetMigDeviceHandleByIndex", fn_dev_idx_dev, dev, i, &mig);
        if (r == ERROR_NOT_FOUND) continue;
        obj(NULL);
        if (r == 0)
            print_mig_device(dev, mig);
        else
            error("handle", r);
        end_obj();
    }
    end_arr();
}

static void print_device(nvmlDevice_t dev)
{
    char buf[96], bus_id[32] = "";
    dev_uint(dev, "index", "nvmlDeviceGetIndex", NULL);
    dev_str(dev, "name", "nvmlDeviceGetName", buf, sizeof buf);
    nvmlReturn_t r = dev_str(dev, "uuid", "nvmlDeviceGetUUID", buf, sizeof buf);
    lookup("uuid_lookup", "nvmlDeviceGetHandleByUUID", r, buf, dev);
    dev_str(dev, "serial", "nvmlDeviceGetSerial", buf, 30);
    dev_uint(dev, "minor_number", "nvmlDeviceGetMinorNumber", NULL);
    dev_uint(dev, "brand", "nvmlDeviceGetBrand", NULL);
    dev_uint(dev, "architecture", "nvmlDeviceGetArchitecture", NULL);
    r = print_pci(dev, bus_id);
    lookup("pci_lookup", "nvmlDeviceGetHandleByPciBusId_v2", r, bus_id, dev);
    print_memory(dev);
    print_utilization(dev);
    print_codec(dev, "encoder", "nvmlDeviceGetEncoderUtilization");
    print_codec(dev, "decoder", "nvmlDeviceGetDecoderUtilization");
    print_fans(dev);
    print_temperatures(dev);
    dev_uint(dev, "power_usage", "nvmlDeviceGetPowerUsage", NULL);
    dev_uint(dev, "power_limit", "nvmlDeviceGetPowerManagementLimit", NULL);
    dev_uint(dev, "enforced_power_limit", "nvmlDeviceGetEnforcedPowerLimit", NULL);
    dev_ull(dev, "energy", "nvmlDeviceGetTotalEnergyConsumption");
    print_modes(dev);
    print_clocks_pcie(dev);
    print_all_processes(dev);
    dev_uint(dev, "is_mig", "nvmlDeviceIsMigDeviceHandle", NULL);
    print_nvlink(dev);
    print_mig(dev);
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "libnvidia-ml.so.1";
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "nvml_client: cannot load %s: %s\n", path, dlerror());
        return 2;
    }
    obj(NULL);
    nvmlReturn_t r = CALL0("nvmlInit_v2");
    status("init", r);
    if (r != 0) {
        end_obj();
        puts("");
        return 0;
    }
    print_system();
    unsigned int count = 0;
    r = CALL("nvmlDeviceGetCount_v2", fn_uint, &count);
    uint_or_error("count_v2", r, count);
    arr("devices");
    for (unsigned int i = 0; r == 0 && i < count; i++) {
        nvmlDevice_t dev = NULL;
        nvmlReturn_t hr = CALL("nvmlDeviceGetHandleByIndex_v2", fn_index, i, &dev);
        obj(NULL);
        if (hr != 0)
            error("handle", hr);
        else
            print_device(dev);
        end_obj();
    }
    end_arr();
    status("shutdown", CALL0("nvmlShutdown"));
    end_obj();
    puts("");
    dlclose(lib);
    return 0;
}
