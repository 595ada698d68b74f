/* SPDX-License-Identifier: Apache-2.0 */
/* NVML's system calls: init/shutdown, error strings, versions, device count and the three ways to
 * get a device handle (index, UUID including MIG UUIDs, PCI bus id). */
#include "sim_api.h"

#include "nvml/nvml_returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

nvmlReturn_t nvmlInit(void)
{
    return sim_state_init(SIM_FN_nvmlInit);
}

nvmlReturn_t nvmlInit_v2(void)
{
    return sim_state_init(SIM_FN_nvmlInit_v2);
}

/* Flags (NO_GPUS, NO_ATTACH) change nothing: a scenario without devices initializes anyway. */
nvmlReturn_t nvmlInitWithFlags(unsigned int flags)
{
    (void)flags;
    return sim_state_init(SIM_FN_nvmlInitWithFlags);
}

nvmlReturn_t nvmlShutdown(void)
{
    return sim_state_shutdown();
}

/* NVML's own wording, as libnvidia-ml R580 prints it. */
const char *nvmlErrorString(nvmlReturn_t result)
{
    sim_count(SIM_FN_nvmlErrorString);
    const nvml_return_info_t *info = nvml_return_info(result);
    return info ? info->text : "Unknown Error";
}

static nvmlReturn_t version_string(enum sim_fn fn, bool nvml, char *version, unsigned int length)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin(&c, fn);
    if (r == NVML_SUCCESS)
        r = sim_copy_str(nvml ? c.sc->nvml_version : c.sc->driver_version, version, length);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
    return version_string(SIM_FN_nvmlSystemGetDriverVersion, false, version, length);
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length)
{
    return version_string(SIM_FN_nvmlSystemGetNVMLVersion, true, version, length);
}

static nvmlReturn_t cuda_version(enum sim_fn fn, int *out)
{
    struct sim_call c;
    unsigned int v;
    nvmlReturn_t r = sim_begin(&c, fn);
    if (r == NVML_SUCCESS && !out) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS && (r = sim_get_uint(&c, &c.sc->cuda_driver_version, &v)) == 0)
        *out = (int)v;
    return sim_end(&c, r);
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *cudaDriverVersion)
{
    return cuda_version(SIM_FN_nvmlSystemGetCudaDriverVersion, cudaDriverVersion);
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *cudaDriverVersion)
{
    return cuda_version(SIM_FN_nvmlSystemGetCudaDriverVersion_v2, cudaDriverVersion);
}

static nvmlReturn_t count(enum sim_fn fn, unsigned int *deviceCount)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin(&c, fn);
    if (r == NVML_SUCCESS && !deviceCount) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS) *deviceCount = (unsigned int)c.sc->n_devs;
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetCount(unsigned int *deviceCount)
{
    return count(SIM_FN_nvmlDeviceGetCount, deviceCount);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount)
{
    return count(SIM_FN_nvmlDeviceGetCount_v2, deviceCount);
}

/* Hands out the handle of a device a lookup found, unless the scenario makes that lookup fail
 * for that device. */
static nvmlReturn_t found(struct sim_call *c, const struct sim_dev *d, nvmlDevice_t *device)
{
    if (!d) return NVML_ERROR_NOT_FOUND;
    nvmlReturn_t r = sim_injected(d, c->fn);
    if (r == NVML_SUCCESS) *device = sim_handle(d);
    return r;
}

static nvmlReturn_t by_index(enum sim_fn fn, unsigned int index, nvmlDevice_t *device)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin(&c, fn);
    if (r == NVML_SUCCESS && (!device || index >= c.sc->n_devs)) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS) r = found(&c, &c.sc->devs[index], device);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int index, nvmlDevice_t *device)
{
    return by_index(SIM_FN_nvmlDeviceGetHandleByIndex, index, device);
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    return by_index(SIM_FN_nvmlDeviceGetHandleByIndex_v2, index, device);
}

/* "MIG-GPU-<gpu uuid>/<gi>/<ci>": the MIG UUID form of drivers before R470. */
static const struct sim_dev *find_legacy_mig(const struct sim_scenario *sc, const char *uuid)
{
    if (strncmp(uuid, "MIG-GPU-", 8) != 0) return NULL;
    const char *gpu = uuid + 4, *slash = strchr(gpu, '/');
    unsigned int gi, ci;
    char tail;
    if (!slash || sscanf(slash, "/%u/%u%c", &gi, &ci, &tail) != 2) return NULL;
    for (size_t i = 0; i < sc->n_devs; i++) {
        const struct sim_dev *d = &sc->devs[i];
        if (!d->uuid || strlen(d->uuid) != (size_t)(slash - gpu) ||
            strncmp(d->uuid, gpu, (size_t)(slash - gpu)) != 0)
            continue;
        for (size_t m = 0; m < d->n_mig; m++)
            if (d->mig[m].gpu_instance_id == gi && d->mig[m].compute_instance_id == ci)
                return &d->mig[m];
    }
    return NULL;
}

static const struct sim_dev *find_uuid(const struct sim_scenario *sc, const char *uuid)
{
    for (size_t i = 0; i < sc->n_devs; i++) {
        const struct sim_dev *d = &sc->devs[i];
        if (d->uuid && strcmp(d->uuid, uuid) == 0) return d;
        for (size_t m = 0; m < d->n_mig; m++)
            if (d->mig[m].uuid && strcmp(d->mig[m].uuid, uuid) == 0) return &d->mig[m];
    }
    return find_legacy_mig(sc, uuid);
}

nvmlReturn_t nvmlDeviceGetHandleByUUID(const char *uuid, nvmlDevice_t *device)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin(&c, SIM_FN_nvmlDeviceGetHandleByUUID);
    if (r == NVML_SUCCESS && (!uuid || !device)) r = NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS) r = found(&c, find_uuid(c.sc, uuid), device);
    return sim_end(&c, r);
}

static nvmlReturn_t by_bus_id(enum sim_fn fn, const char *pciBusId, nvmlDevice_t *device)
{
    struct sim_call c;
    unsigned int domain, bus, dev;
    nvmlReturn_t r = sim_begin(&c, fn);
    if (r == NVML_SUCCESS &&
        (!pciBusId || !device || !sim_parse_bus_id(pciBusId, &domain, &bus, &dev)))
        r = NVML_ERROR_INVALID_ARGUMENT;
    if (r != NVML_SUCCESS) return sim_end(&c, r);
    const struct sim_dev *hit = NULL;
    for (size_t i = 0; i < c.sc->n_devs && !hit; i++) {
        const struct sim_dev *d = &c.sc->devs[i];
        if (d->has_pci && d->pci_domain == domain && d->pci_bus == bus && d->pci_device == dev)
            hit = d;
    }
    return sim_end(&c, found(&c, hit, device));
}

nvmlReturn_t nvmlDeviceGetHandleByPciBusId(const char *pciBusId, nvmlDevice_t *device)
{
    return by_bus_id(SIM_FN_nvmlDeviceGetHandleByPciBusId, pciBusId, device);
}

nvmlReturn_t nvmlDeviceGetHandleByPciBusId_v2(const char *pciBusId, nvmlDevice_t *device)
{
    return by_bus_id(SIM_FN_nvmlDeviceGetHandleByPciBusId_v2, pciBusId, device);
}

/* A MIG device has no index of its own in NVML's device list. */
nvmlReturn_t nvmlDeviceGetIndex(nvmlDevice_t device, unsigned int *index)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetIndex, device);
    if (r == NVML_SUCCESS && !index)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS && c.dev->is_mig)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS)
        *index = c.dev->index;
    return sim_end(&c, r);
}
