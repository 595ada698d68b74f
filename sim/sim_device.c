/* SPDX-License-Identifier: Apache-2.0 */
/* Per-device getters for identity (name, UUID, serial, PCI), memory, utilization, power and
 * modes: each reads the scenario's value at the current time or answers NOT_SUPPORTED. */
#include "sim_api.h"

#include <stdio.h>
#include <string.h>

#define FIELD(member) offsetof(struct sim_dev, member)
#define CODEC_SAMPLING_PERIOD_US 100000U /* what an H100 on R580 reports */

static const struct sim_num *num_at(const struct sim_dev *d, size_t off)
{
    return (const struct sim_num *)(const void *)((const char *)d + off);
}

nvmlReturn_t sim_dev_uint(enum sim_fn fn, nvmlDevice_t device, size_t off, unsigned int *out)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, fn, device);
    if (r == NVML_SUCCESS) r = sim_get_uint(&c, num_at(c.dev, off), out);
    return sim_end(&c, r);
}

nvmlReturn_t sim_dev_ull(enum sim_fn fn, nvmlDevice_t device, size_t off, unsigned long long *out)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, fn, device);
    if (r == NVML_SUCCESS) r = sim_get_ull(&c, num_at(c.dev, off), out);
    return sim_end(&c, r);
}

/* For getters whose out-type is an enum: read into an unsigned int, then convert. */
#define DEV_ENUM(fn, device, member, type, out)                                                    \
    do {                                                                                           \
        unsigned int v_;                                                                           \
        nvmlReturn_t r_ = sim_dev_uint(SIM_FN_##fn, device, FIELD(member), (out) ? &v_ : NULL);    \
        if (r_ == NVML_SUCCESS) *(out) = (type)v_;                                                 \
        return r_;                                                                                 \
    } while (0)

enum str_field { STR_NAME, STR_UUID, STR_SERIAL };

static nvmlReturn_t dev_str(enum sim_fn fn, nvmlDevice_t device, enum str_field which, char *buf,
                            unsigned int length)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, fn, device);
    if (r == NVML_SUCCESS) {
        const char *s = which == STR_NAME   ? c.dev->name
                        : which == STR_UUID ? c.dev->uuid
                                            : c.dev->serial;
        r = sim_copy_str(s, buf, length);
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name, unsigned int length)
{
    return dev_str(SIM_FN_nvmlDeviceGetName, device, STR_NAME, name, length);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, unsigned int length)
{
    return dev_str(SIM_FN_nvmlDeviceGetUUID, device, STR_UUID, uuid, length);
}

nvmlReturn_t nvmlDeviceGetSerial(nvmlDevice_t device, char *serial, unsigned int length)
{
    return dev_str(SIM_FN_nvmlDeviceGetSerial, device, STR_SERIAL, serial, length);
}

nvmlReturn_t nvmlDeviceGetMinorNumber(nvmlDevice_t device, unsigned int *minorNumber)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetMinorNumber, device, FIELD(minor_number), minorNumber);
}

nvmlReturn_t nvmlDeviceGetBrand(nvmlDevice_t device, nvmlBrandType_t *type)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetBrand, device, FIELD(brand), type);
}

nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t device, nvmlDeviceArchitecture_t *arch)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetArchitecture, device, FIELD(architecture), arch);
}

/* Fills the fields shared by every nvmlPciInfo layout; legacy is the 16-byte busId form. */
static nvmlReturn_t pci_begin(struct sim_call *c, enum sim_fn fn, nvmlDevice_t device,
                              const void *out)
{
    nvmlReturn_t r = sim_begin_out(c, fn, device, out);
    if (r == NVML_SUCCESS && !c->dev->has_pci) r = NVML_ERROR_NOT_SUPPORTED;
    return r;
}

static unsigned int num_or_zero(const struct sim_call *c, const struct sim_num *num)
{
    return num->kind == SIM_NUM_NONE ? 0U : (unsigned int)sim_num_at(num, c->t);
}

static void legacy_bus_id(const struct sim_dev *d, char out[NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE])
{
    snprintf(out, NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE, "%04X:%02X:%02X.0",
             d->pci_domain & 0xFFFFU, d->pci_bus & 0xFFU, d->pci_device & 0x1FU);
}

static nvmlReturn_t pci_info(enum sim_fn fn, nvmlDevice_t device, nvmlPciInfo_t *pci)
{
    struct sim_call c;
    nvmlReturn_t r = pci_begin(&c, fn, device, pci);
    if (r == NVML_SUCCESS) {
        const struct sim_dev *d = c.dev;
        memset(pci, 0, sizeof *pci);
        legacy_bus_id(d, pci->busIdLegacy);
        snprintf(pci->busId, sizeof pci->busId, "%08X:%02X:%02X.0", d->pci_domain,
                 d->pci_bus & 0xFFU, d->pci_device & 0x1FU);
        pci->domain = d->pci_domain;
        pci->bus = d->pci_bus;
        pci->device = d->pci_device;
        pci->pciDeviceId = num_or_zero(&c, &d->pci_device_id);
        pci->pciSubSystemId = num_or_zero(&c, &d->pci_subsystem_id);
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetPciInfo(nvmlDevice_t device, nvmlPciInfo_v1_t *pci)
{
    struct sim_call c;
    nvmlReturn_t r = pci_begin(&c, SIM_FN_nvmlDeviceGetPciInfo, device, pci);
    if (r == NVML_SUCCESS) {
        const struct sim_dev *d = c.dev;
        memset(pci, 0, sizeof *pci);
        legacy_bus_id(d, pci->busId);
        pci->domain = d->pci_domain;
        pci->bus = d->pci_bus;
        pci->device = d->pci_device;
        pci->pciDeviceId = num_or_zero(&c, &d->pci_device_id);
        pci->pciSubSystemId = num_or_zero(&c, &d->pci_subsystem_id);
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetPciInfo_v2(nvmlDevice_t device, nvmlPciInfo_t *pci)
{
    return pci_info(SIM_FN_nvmlDeviceGetPciInfo_v2, device, pci);
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, nvmlPciInfo_t *pci)
{
    return pci_info(SIM_FN_nvmlDeviceGetPciInfo_v3, device, pci);
}

nvmlReturn_t nvmlDeviceGetCudaComputeCapability(nvmlDevice_t device, int *major, int *minor)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetCudaComputeCapability, device);
    if (r == NVML_SUCCESS && (!major || !minor))
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS && !c.dev->has_cc)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS) {
        *major = c.dev->cc_major;
        *minor = c.dev->cc_minor;
    }
    return sim_end(&c, r);
}

/* total, reserved (0 when not given), used at the call's time; free never goes negative. */
static nvmlReturn_t memory_now(const struct sim_call *c, unsigned long long v[4])
{
    const struct sim_dev *d = c->dev;
    if (d->mem_total.kind == SIM_NUM_NONE || d->mem_used.kind == SIM_NUM_NONE)
        return NVML_ERROR_NOT_SUPPORTED;
    unsigned long long total = (unsigned long long)sim_num_at(&d->mem_total, c->t);
    unsigned long long used = (unsigned long long)sim_num_at(&d->mem_used, c->t);
    unsigned long long reserved =
        d->mem_reserved.kind ? (unsigned long long)sim_num_at(&d->mem_reserved, c->t) : 0;
    v[0] = total;
    v[1] = reserved;
    v[2] = used + reserved <= total ? total - reserved - used : 0;
    v[3] = used;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t *memory)
{
    struct sim_call c;
    unsigned long long v[4];
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetMemoryInfo, device);
    if (r == NVML_SUCCESS && !memory) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS && (r = memory_now(&c, v)) == NVML_SUCCESS) {
        memory->total = v[0];
        memory->free = v[2];
        memory->used = v[3] + v[1]; /* v1 counts reserved memory as used */
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t device, nvmlMemory_v2_t *memory)
{
    struct sim_call c;
    unsigned long long v[4];
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetMemoryInfo_v2, device);
    if (r == NVML_SUCCESS && !memory)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS && memory->version != nvmlMemory_v2)
        r = NVML_ERROR_FUNCTION_NOT_FOUND; /* what drivers answer here: docs/simulator.md */
    if (r == NVML_SUCCESS && (r = memory_now(&c, v)) == NVML_SUCCESS) {
        memory->total = v[0];
        memory->reserved = v[1];
        memory->free = v[2];
        memory->used = v[3];
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetBAR1MemoryInfo(nvmlDevice_t device, nvmlBAR1Memory_t *bar1Memory)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetBAR1MemoryInfo, device);
    const struct sim_dev *d = c.dev;
    if (r == NVML_SUCCESS && !bar1Memory)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS &&
             (d->bar1_total.kind == SIM_NUM_NONE || d->bar1_used.kind == SIM_NUM_NONE))
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS) {
        unsigned long long total = (unsigned long long)sim_num_at(&d->bar1_total, c.t);
        unsigned long long used = (unsigned long long)sim_num_at(&d->bar1_used, c.t);
        bar1Memory->bar1Total = total;
        bar1Memory->bar1Used = used;
        bar1Memory->bar1Free = used <= total ? total - used : 0;
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t *utilization)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetUtilizationRates, device);
    if (r == NVML_SUCCESS && !utilization)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS &&
             (c.dev->util_gpu.kind == SIM_NUM_NONE || c.dev->util_mem.kind == SIM_NUM_NONE))
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS) {
        utilization->gpu = (unsigned int)sim_num_at(&c.dev->util_gpu, c.t);
        utilization->memory = (unsigned int)sim_num_at(&c.dev->util_mem, c.t);
    }
    return sim_end(&c, r);
}

static nvmlReturn_t codec(enum sim_fn fn, nvmlDevice_t device, size_t off,
                          unsigned int *utilization, unsigned int *samplingPeriodUs)
{
    if (!samplingPeriodUs)
        utilization = NULL; /* makes sim_dev_uint answer INVALID_ARGUMENT after its checks */
    nvmlReturn_t r = sim_dev_uint(fn, device, off, utilization);
    if (r == NVML_SUCCESS) *samplingPeriodUs = CODEC_SAMPLING_PERIOD_US;
    return r;
}

nvmlReturn_t nvmlDeviceGetEncoderUtilization(nvmlDevice_t device, unsigned int *utilization,
                                             unsigned int *samplingPeriodUs)
{
    return codec(SIM_FN_nvmlDeviceGetEncoderUtilization, device, FIELD(enc_util), utilization,
                 samplingPeriodUs);
}

nvmlReturn_t nvmlDeviceGetDecoderUtilization(nvmlDevice_t device, unsigned int *utilization,
                                             unsigned int *samplingPeriodUs)
{
    return codec(SIM_FN_nvmlDeviceGetDecoderUtilization, device, FIELD(dec_util), utilization,
                 samplingPeriodUs);
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int *power)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetPowerUsage, device, FIELD(power_usage), power);
}

nvmlReturn_t nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, unsigned int *limit)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetPowerManagementLimit, device, FIELD(power_limit),
                        limit);
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t device, unsigned int *limit)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetEnforcedPowerLimit, device, FIELD(power_limit), limit);
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long *energy)
{
    return sim_dev_ull(SIM_FN_nvmlDeviceGetTotalEnergyConsumption, device, FIELD(energy), energy);
}

nvmlReturn_t nvmlDeviceGetPerformanceState(nvmlDevice_t device, nvmlPstates_t *pState)
{
    DEV_ENUM(nvmlDeviceGetPerformanceState, device, pstate, nvmlPstates_t, pState);
}

nvmlReturn_t nvmlDeviceGetPersistenceMode(nvmlDevice_t device, nvmlEnableState_t *mode)
{
    DEV_ENUM(nvmlDeviceGetPersistenceMode, device, persistence, nvmlEnableState_t, mode);
}

nvmlReturn_t nvmlDeviceGetDisplayMode(nvmlDevice_t device, nvmlEnableState_t *display)
{
    DEV_ENUM(nvmlDeviceGetDisplayMode, device, display_mode, nvmlEnableState_t, display);
}

nvmlReturn_t nvmlDeviceGetDisplayActive(nvmlDevice_t device, nvmlEnableState_t *isActive)
{
    DEV_ENUM(nvmlDeviceGetDisplayActive, device, display_active, nvmlEnableState_t, isActive);
}

nvmlReturn_t nvmlDeviceGetComputeMode(nvmlDevice_t device, nvmlComputeMode_t *mode)
{
    DEV_ENUM(nvmlDeviceGetComputeMode, device, compute_mode, nvmlComputeMode_t, mode);
}

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t device,
                                                       unsigned long long *reasons)
{
    return sim_dev_ull(SIM_FN_nvmlDeviceGetCurrentClocksThrottleReasons, device,
                       FIELD(throttle_reasons), reasons);
}

nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t device,
                                                    unsigned long long *reasons)
{
    return sim_dev_ull(SIM_FN_nvmlDeviceGetCurrentClocksEventReasons, device,
                       FIELD(throttle_reasons), reasons);
}

/* Functions that exist for clients to find but that a Linux driver answers NOT_SUPPORTED. */
static nvmlReturn_t unsupported(enum sim_fn fn, nvmlDevice_t device, const void *out)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, fn, device);
    if (r == NVML_SUCCESS) r = out ? NVML_ERROR_NOT_SUPPORTED : NVML_ERROR_INVALID_ARGUMENT;
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetDriverModel(nvmlDevice_t device, nvmlDriverModel_t *current,
                                      nvmlDriverModel_t *pending)
{
    return unsupported(SIM_FN_nvmlDeviceGetDriverModel, device, current ? current : pending);
}

nvmlReturn_t nvmlDeviceGetDriverModel_v2(nvmlDevice_t device, nvmlDriverModel_t *current,
                                         nvmlDriverModel_t *pending)
{
    return unsupported(SIM_FN_nvmlDeviceGetDriverModel_v2, device, current ? current : pending);
}

nvmlReturn_t nvmlDeviceGetRunningProcessDetailList(nvmlDevice_t device,
                                                   nvmlProcessDetailList_t *plist)
{
    return unsupported(SIM_FN_nvmlDeviceGetRunningProcessDetailList, device, plist);
}

nvmlReturn_t nvmlDeviceGetConfComputeMemSizeInfo(nvmlDevice_t device,
                                                 nvmlConfComputeMemSizeInfo_t *info)
{
    return unsupported(SIM_FN_nvmlDeviceGetConfComputeMemSizeInfo, device, info);
}
