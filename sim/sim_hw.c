/* SPDX-License-Identifier: Apache-2.0 */
/* Per-device getters that take a selector argument (fan, sensor, threshold, clock type, PCIe
 * counter, ECC counter) or fill a versioned struct: fans, temperatures, clocks, PCIe, ECC. */
#include "sim_api.h"

static nvmlReturn_t fan_speed(enum sim_fn fn, nvmlDevice_t device, unsigned int fan,
                              unsigned int *speed)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, fn, device, speed);
    if (r == NVML_SUCCESS && !c.dev->has_fans)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS && fan >= c.dev->n_fans)
        r = fn == SIM_FN_nvmlDeviceGetFanSpeed ? NVML_ERROR_NOT_SUPPORTED
                                               : NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        r = sim_get_uint(&c, &c.dev->fans[fan], speed);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t device, unsigned int *speed)
{
    return fan_speed(SIM_FN_nvmlDeviceGetFanSpeed, device, 0, speed);
}

nvmlReturn_t nvmlDeviceGetFanSpeed_v2(nvmlDevice_t device, unsigned int fan, unsigned int *speed)
{
    return fan_speed(SIM_FN_nvmlDeviceGetFanSpeed_v2, device, fan, speed);
}

/* A fanless GPU answers 0 fans (as a passively cooled H100 does); a MIG device: unsupported. */
nvmlReturn_t nvmlDeviceGetNumFans(nvmlDevice_t device, unsigned int *numFans)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetNumFans, device, numFans);
    if (r == NVML_SUCCESS && c.dev->is_mig)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS)
        *numFans = (unsigned int)c.dev->n_fans;
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, nvmlTemperatureSensors_t sensorType,
                                      unsigned int *temp)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetTemperature, device, temp);
    if (r == NVML_SUCCESS && sensorType != NVML_TEMPERATURE_GPU)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        r = sim_get_uint(&c, &c.dev->temperature, temp);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetTemperatureV(nvmlDevice_t device, nvmlTemperature_v1_t *temperature)
{
    struct sim_call c;
    unsigned int v;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetTemperatureV, device, temperature);
    if (r == NVML_SUCCESS && temperature->version != nvmlTemperature_v1)
        r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    else if (r == NVML_SUCCESS && temperature->sensorType != NVML_TEMPERATURE_GPU)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS && (r = sim_get_uint(&c, &c.dev->temperature, &v)) == 0)
        temperature->temperature = (int)v;
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetAddressingMode(nvmlDevice_t device, nvmlDeviceAddressingMode_t *mode)
{
    struct sim_call c;
    unsigned int v;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetAddressingMode, device, mode);
    if (r == NVML_SUCCESS && mode->version != nvmlDeviceAddressingMode_v1)
        r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    else if (r == NVML_SUCCESS && (r = sim_get_uint(&c, &c.dev->addressing_mode, &v)) == 0)
        mode->value = v;
    return sim_end(&c, r);
}

/* Thresholds past GPU_MAX exist in NVML's enum but have no scenario key: unsupported. */
nvmlReturn_t nvmlDeviceGetTemperatureThreshold(nvmlDevice_t device,
                                               nvmlTemperatureThresholds_t type, unsigned int *temp)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetTemperatureThreshold, device, temp);
    unsigned int t = (unsigned int)type;
    if (r == NVML_SUCCESS && t >= NVML_TEMPERATURE_THRESHOLD_COUNT)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS && t >= SIM_NUM_THRESHOLDS)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS)
        r = sim_get_uint(&c, &c.dev->thresholds[t], temp);
    return sim_end(&c, r);
}

static nvmlReturn_t clock_info(enum sim_fn fn, nvmlDevice_t device, nvmlClockType_t type,
                               unsigned int *clock, bool max)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, fn, device, clock);
    unsigned int t = (unsigned int)type;
    if (r == NVML_SUCCESS && t >= SIM_NUM_CLOCKS)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        r = sim_get_uint(&c, max ? &c.dev->max_clocks[t] : &c.dev->clocks[t], clock);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, nvmlClockType_t type, unsigned int *clock)
{
    return clock_info(SIM_FN_nvmlDeviceGetClockInfo, device, type, clock, false);
}

nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t device, nvmlClockType_t type,
                                       unsigned int *clock)
{
    return clock_info(SIM_FN_nvmlDeviceGetMaxClockInfo, device, type, clock, true);
}

nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t device, nvmlPcieUtilCounter_t counter,
                                         unsigned int *value)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetPcieThroughput, device, value);
    if (r == NVML_SUCCESS && counter != NVML_PCIE_UTIL_TX_BYTES &&
        counter != NVML_PCIE_UTIL_RX_BYTES)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS)
        r = sim_get_uint(&c, counter == NVML_PCIE_UTIL_TX_BYTES ? &c.dev->pcie_tx : &c.dev->pcie_rx,
                         value);
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetMaxPcieLinkGeneration(nvmlDevice_t device, unsigned int *maxLinkGen)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetMaxPcieLinkGeneration, device,
                        offsetof(struct sim_dev, max_link_gen), maxLinkGen);
}

nvmlReturn_t nvmlDeviceGetMaxPcieLinkWidth(nvmlDevice_t device, unsigned int *maxLinkWidth)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetMaxPcieLinkWidth, device,
                        offsetof(struct sim_dev, max_link_width), maxLinkWidth);
}

nvmlReturn_t nvmlDeviceGetCurrPcieLinkGeneration(nvmlDevice_t device, unsigned int *currLinkGen)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetCurrPcieLinkGeneration, device,
                        offsetof(struct sim_dev, cur_link_gen), currLinkGen);
}

nvmlReturn_t nvmlDeviceGetCurrPcieLinkWidth(nvmlDevice_t device, unsigned int *currLinkWidth)
{
    return sim_dev_uint(SIM_FN_nvmlDeviceGetCurrPcieLinkWidth, device,
                        offsetof(struct sim_dev, cur_link_width), currLinkWidth);
}

nvmlReturn_t nvmlDeviceGetEccMode(nvmlDevice_t device, nvmlEnableState_t *current,
                                  nvmlEnableState_t *pending)
{
    struct sim_call c;
    nvmlReturn_t r =
        sim_begin_out(&c, SIM_FN_nvmlDeviceGetEccMode, device, current && pending ? current : NULL);
    if (r == NVML_SUCCESS && !c.dev->has_ecc_mode)
        r = NVML_ERROR_NOT_SUPPORTED;
    else if (r == NVML_SUCCESS) {
        *current = (nvmlEnableState_t)c.dev->ecc_current;
        *pending = (nvmlEnableState_t)c.dev->ecc_pending;
    }
    return sim_end(&c, r);
}

nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t device, nvmlMemoryErrorType_t errorType,
                                         nvmlEccCounterType_t counterType,
                                         unsigned long long *eccCounts)
{
    struct sim_call c;
    nvmlReturn_t r = sim_begin_out(&c, SIM_FN_nvmlDeviceGetTotalEccErrors, device, eccCounts);
    bool unc = errorType == NVML_MEMORY_ERROR_TYPE_UNCORRECTED;
    bool vol = counterType == NVML_VOLATILE_ECC;
    if (r == NVML_SUCCESS && ((!unc && errorType != NVML_MEMORY_ERROR_TYPE_CORRECTED) ||
                              (!vol && counterType != NVML_AGGREGATE_ECC)))
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (r == NVML_SUCCESS) {
        const struct sim_dev *d = c.dev;
        const struct sim_num *num = unc ? (vol ? &d->ecc_vol_unc : &d->ecc_agg_unc)
                                        : (vol ? &d->ecc_vol_cor : &d->ecc_agg_cor);
        r = sim_get_ull(&c, num, eccCounts);
    }
    return sim_end(&c, r);
}
