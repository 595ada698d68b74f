/* SPDX-License-Identifier: Apache-2.0 */
/* MIG (mode, MIG device handles, instance ids, parent) and NVLink (link state and the
 * throughput counters of nvmlDeviceGetFieldValues, growing at the scenario's rates). */
#include "sim_api.h"

#include <math.h>

#define SIM_DEFAULT_MAX_MIG 7 /* A100/H100: seven compute slices */

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *currentMode,
                                  unsigned int *pendingMode)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetMigMode, device,
                                   currentMode && pendingMode ? currentMode : NULL);
    if (r == NVML_SUCCESS && !c.dev->has_mig_mode)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS) {
        *currentMode = c.dev->mig_current;
        *pendingMode = c.dev->mig_pending;
    }
    return sim_end(&c, r);
}

/* "max_mig_device_count" if given, else 7 (or more if listed) with MIG on, 0 with it off. */
static unsigned int max_mig(const struct sim_call *c)
{
    const struct sim_dev *d = c->dev;
    if (d->max_mig_count.kind != SIM_NUM_NONE)
        return (unsigned int)sim_num_at(&d->max_mig_count, c->t);
    if (!d->mig_current) return 0;
    return d->n_mig > SIM_DEFAULT_MAX_MIG ? (unsigned int)d->n_mig : SIM_DEFAULT_MAX_MIG;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device, unsigned int *count)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetMaxMigDeviceCount, device, count);
    if (r == NVML_SUCCESS && !c.dev->has_mig_mode)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS)
        *count = max_mig(&c);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device, unsigned int index,
                                                 nvmlDevice_t *migDevice)
{
    struct sim_call c;
    nvmlReturn_t r =
        sim_begin_out(&c, SIM_FN_nvmlDeviceGetMigDeviceHandleByIndex, device, migDevice);
    if (r != NVML_SUCCESS) return sim_end(&c, r);
    if (c.dev->is_mig)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!c.dev->has_mig_mode)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (index >= max_mig(&c))
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (index >= c.dev->n_mig)
        r = NVML_ERROR_NOT_FOUND;
    else
        *migDevice = sim_handle(&c.dev->mig[index]);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceIsMigDeviceHandle(nvmlDevice_t device, unsigned int *isMigDevice)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceIsMigDeviceHandle, device, isMigDevice);
    if (r == NVML_SUCCESS) *isMigDevice = c.dev->is_mig ? 1U : 0U;
    return sim_end(&c, r);
}

/* The instance ids and the parent exist for MIG handles only; a GPU handle is not a valid
 * argument there. */
static nvmlReturn_t instance_id(enum sim_fn fn, nvmlDevice_t device, unsigned int *id, bool gi)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, fn, device, id);
    if (r == NVML_SUCCESS && !c.dev->is_mig)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        *id = gi ? c.dev->gpu_instance_id : c.dev->compute_instance_id;
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t device, unsigned int *id)
{
    return instance_id(SIM_FN_nvmlDeviceGetGpuInstanceId, device, id, true);
}

nvmlReturn_t nvmlDeviceGetComputeInstanceId(nvmlDevice_t device, unsigned int *id)
{
    return instance_id(SIM_FN_nvmlDeviceGetComputeInstanceId, device, id, false);
}

nvmlReturn_t nvmlDeviceGetDeviceHandleFromMigDeviceHandle(nvmlDevice_t migDevice,
                                                          nvmlDevice_t *device)
{
    struct sim_call c;
    nvmlReturn_t r =
        sim_begin_out(&c, SIM_FN_nvmlDeviceGetDeviceHandleFromMigDeviceHandle, migDevice, device);
    if (r == NVML_SUCCESS && !c.dev->is_mig)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        *device = sim_handle(c.dev->parent);
    return sim_end(&c, r);
}

/* A GPU with "nvlink": {"links": 0} (or none) has no NVLink to ask about. */
nvmlReturn_t nvmlDeviceGetNvLinkState(nvmlDevice_t device, unsigned int link,
                                      nvmlEnableState_t *isActive)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetNvLinkState, device, isActive);
    if (r == NVML_SUCCESS && (!c.dev->has_nvlink || c.dev->n_links == 0))
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS && link >= c.dev->n_links)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        *isActive = NVML_FEATURE_ENABLED;
    return sim_end(&c, r);
}

/* KiB a link has moved: what earlier scenarios counted plus this one's rate integrated. */
static unsigned long long link_kib(const struct sim_call *c, const struct sim_link *l, bool tx)
{
    const struct sim_num *rate = tx ? &l->tx : &l->rx;
    double base = tx ? l->base_tx : l->base_rx;
    double kib =
        base + sim_num_integral(rate, c->t) - sim_num_integral(rate, c->dev->nvlink_t_base);
    return kib > 0 ? (unsigned long long)floor(kib) : 0ULL;
}

static void field_value(const struct sim_call *c, nvmlFieldValue_t *v, long long now_us)
{
    const struct sim_dev *d = c->dev;
    v->timestamp = now_us;
    v->latencyUsec = 0;
    v->nvmlReturn = NVML_SUCCESS;
    switch (v->fieldId) {
    case NVML_FI_DEV_NVLINK_LINK_COUNT:
        if (!d->has_nvlink) {
            v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
            return;
        }
        v->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
        v->value.uiVal = (unsigned int)d->n_links;
        return;
    case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX:
    case NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX: {
        bool tx = v->fieldId == NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX;
        if (!d->has_nvlink || d->n_links == 0) {
            v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        } else if (v->scopeId >= d->n_links) {
            v->nvmlReturn = NVML_ERROR_INVALID_ARGUMENT;
        } else if ((tx ? d->links[v->scopeId].tx : d->links[v->scopeId].rx).kind == SIM_NUM_NONE) {
            v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        } else {
            v->valueType = NVML_VALUE_TYPE_UNSIGNED_LONG_LONG;
            v->value.ullVal = link_kib(c, &d->links[v->scopeId], tx);
        }
        return;
    }
    default:
        v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
        return;
    }
}

/* Per-field results go in each value's nvmlReturn; the call itself succeeds. */
nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int valuesCount,
                                      nvmlFieldValue_t *values)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_dev(&c, SIM_FN_nvmlDeviceGetFieldValues, device);
    if (r == NVML_SUCCESS && (valuesCount < 0 || (valuesCount > 0 && !values)))
        r = NVML_ERROR_INVALID_ARGUMENT;
    if (r == NVML_SUCCESS) {
        long long now = (long long)sim_realtime_us();
        for (int i = 0; i < valuesCount; i++)
            field_value(&c, &values[i], now);
    }
    return sim_end(&c, r);
}
