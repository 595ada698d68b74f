/* SPDX-License-Identifier: Apache-2.0 */
/* The probe table: one row per driver call the recorder makes for a device, in the order of
 * the scenario reference (docs/simulator.md), with the scenario key each answer feeds. Several
 * rows may feed one key: the first that answered gives the value, and the others' errors go to
 * the device's "errors" (nvmlDeviceGetMemoryInfo_v2 failing where the unversioned call works). */
#include <string.h>

#include "record/record_internal.h"

#define NONE                                                                                       \
    {                                                                                              \
        NULL                                                                                       \
    }
#define F(...)                                                                                     \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

const rec_probe_t rec_probes[] = {
    {"name", NONE, REC_TEXT, NVML_FN_NAME, REC_TEXT_NAME, 0, REC_ON_MIG},
    {"uuid", NONE, REC_TEXT, NVML_FN_UUID, REC_TEXT_UUID, 0, REC_ON_MIG},
    {"serial", NONE, REC_TEXT, NVML_FN_SERIAL, REC_TEXT_SERIAL, 0, 0},
    {"bus_id", NONE, REC_BUS_ID, NVML_FN_PCI_INFO, REC_TEXT_BUS_ID, 0, 0},
    {NULL, F("pci_device_id", "pci_subsystem_id"), REC_PCI_IDS, NVML_FN_PCI_INFO, 0, 0, 0},
    {"minor_number", NONE, REC_UINT, NVML_FN_MINOR_NUMBER, 0, 0, 0},
    {"architecture", NONE, REC_UINT, NVML_FN_ARCHITECTURE, 0, 0, 0},
    {"brand", NONE, REC_UINT, NVML_FN_BRAND, 0, 0, 0},
    {"addressing_mode", NONE, REC_ADDRESSING, NVML_FN_ADDRESSING_MODE, 0, 0, 0},
    {"cuda_compute_capability", NONE, REC_PAIR, NVML_FN_CUDA_COMPUTE_CAPABILITY, 0, 0,
     REC_ARRAY | REC_FIRST_ONLY},
    {"memory", F("total", "reserved", "used"), REC_MEMORY, NVML_FN_MEMORY_INFO, 0, 0, REC_ON_MIG},
    {"memory", F("total", "used"), REC_MEMORY_V1, NVML_FN_MEMORY_INFO_V1, 0, 0, REC_ON_MIG},
    {"bar1_memory", F("total", "used"), REC_BAR1, NVML_FN_BAR1_MEMORY_INFO, 0, 0, REC_ON_MIG},
    {"utilization", F("gpu", "memory"), REC_UTIL, NVML_FN_UTILIZATION_RATES, 0, 0, REC_ON_MIG},
    {"encoder_utilization", NONE, REC_PAIR, NVML_FN_ENCODER_UTILIZATION, 0, 0, 0},
    {"decoder_utilization", NONE, REC_PAIR, NVML_FN_DECODER_UTILIZATION, 0, 0, 0},
    {"fan_speed", NONE, REC_UINT, NVML_FN_FAN_SPEED, 0, 0, 0},
    {"temperature", NONE, REC_TEMP_V, NVML_FN_TEMPERATURE_V, 0, 0, 0},
    {"temperature", NONE, REC_UINT_ARG, NVML_FN_TEMPERATURE, NVML_TEMPERATURE_GPU, 0, 0},
    {"temperature_thresholds", F("shutdown"), REC_UINT_ARG, NVML_FN_TEMPERATURE_THRESHOLD,
     NVML_TEMPERATURE_THRESHOLD_SHUTDOWN, 0, 0},
    {"temperature_thresholds", F("slowdown"), REC_UINT_ARG, NVML_FN_TEMPERATURE_THRESHOLD,
     NVML_TEMPERATURE_THRESHOLD_SLOWDOWN, 0, 0},
    {"temperature_thresholds", F("mem_max"), REC_UINT_ARG, NVML_FN_TEMPERATURE_THRESHOLD,
     NVML_TEMPERATURE_THRESHOLD_MEM_MAX, 0, 0},
    {"temperature_thresholds", F("gpu_max"), REC_UINT_ARG, NVML_FN_TEMPERATURE_THRESHOLD,
     NVML_TEMPERATURE_THRESHOLD_GPU_MAX, 0, 0},
    {"power_usage", NONE, REC_UINT, NVML_FN_POWER_USAGE, 0, 0, 0},
    {"power_limit", NONE, REC_UINT, NVML_FN_POWER_MANAGEMENT_LIMIT, 0, 0, 0},
    {"power_limit", NONE, REC_UINT, NVML_FN_ENFORCED_POWER_LIMIT, 0, 0, 0},
    {"total_energy_consumption", NONE, REC_ULL, NVML_FN_TOTAL_ENERGY, 0, 0, 0},
    {"performance_state", NONE, REC_UINT, NVML_FN_PERFORMANCE_STATE, 0, 0, 0},
    {"persistence_mode", NONE, REC_UINT, NVML_FN_PERSISTENCE_MODE, 0, 0, 0},
    {"display_mode", NONE, REC_UINT, NVML_FN_DISPLAY_MODE, 0, 0, 0},
    {"display_active", NONE, REC_UINT, NVML_FN_DISPLAY_ACTIVE, 0, 0, 0},
    {"compute_mode", NONE, REC_UINT, NVML_FN_COMPUTE_MODE, 0, 0, 0},
    {"ecc_mode", NONE, REC_PAIR, NVML_FN_ECC_MODE, 0, 0, REC_ARRAY | REC_FIRST_ONLY},
    {"ecc_errors", F("volatile_uncorrected"), REC_ECC, NVML_FN_TOTAL_ECC_ERRORS,
     NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NVML_VOLATILE_ECC, 0},
    {"ecc_errors", F("aggregate_uncorrected"), REC_ECC, NVML_FN_TOTAL_ECC_ERRORS,
     NVML_MEMORY_ERROR_TYPE_UNCORRECTED, NVML_AGGREGATE_ECC, 0},
    {"ecc_errors", F("volatile_corrected"), REC_ECC, NVML_FN_TOTAL_ECC_ERRORS,
     NVML_MEMORY_ERROR_TYPE_CORRECTED, NVML_VOLATILE_ECC, 0},
    {"ecc_errors", F("aggregate_corrected"), REC_ECC, NVML_FN_TOTAL_ECC_ERRORS,
     NVML_MEMORY_ERROR_TYPE_CORRECTED, NVML_AGGREGATE_ECC, 0},
    {"clocks", F("graphics"), REC_UINT_ARG, NVML_FN_CLOCK_INFO, NVML_CLOCK_GRAPHICS, 0, 0},
    {"clocks", F("sm"), REC_UINT_ARG, NVML_FN_CLOCK_INFO, NVML_CLOCK_SM, 0, 0},
    {"clocks", F("mem"), REC_UINT_ARG, NVML_FN_CLOCK_INFO, NVML_CLOCK_MEM, 0, 0},
    {"clocks", F("video"), REC_UINT_ARG, NVML_FN_CLOCK_INFO, NVML_CLOCK_VIDEO, 0, 0},
    {"max_clocks", F("graphics"), REC_UINT_ARG, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_GRAPHICS, 0, 0},
    {"max_clocks", F("sm"), REC_UINT_ARG, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_SM, 0, 0},
    {"max_clocks", F("mem"), REC_UINT_ARG, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_MEM, 0, 0},
    {"max_clocks", F("video"), REC_UINT_ARG, NVML_FN_MAX_CLOCK_INFO, NVML_CLOCK_VIDEO, 0, 0},
    {"pcie", F("tx_kib_s"), REC_UINT_ARG, NVML_FN_PCIE_THROUGHPUT, NVML_PCIE_UTIL_TX_BYTES, 0, 0},
    {"pcie", F("rx_kib_s"), REC_UINT_ARG, NVML_FN_PCIE_THROUGHPUT, NVML_PCIE_UTIL_RX_BYTES, 0, 0},
    {"pcie", F("max_link_gen"), REC_UINT, NVML_FN_MAX_PCIE_LINK_GENERATION, 0, 0, 0},
    {"pcie", F("max_link_width"), REC_UINT, NVML_FN_MAX_PCIE_LINK_WIDTH, 0, 0, 0},
    {"pcie", F("curr_link_gen"), REC_UINT, NVML_FN_CURR_PCIE_LINK_GENERATION, 0, 0, 0},
    {"pcie", F("curr_link_width"), REC_UINT, NVML_FN_CURR_PCIE_LINK_WIDTH, 0, 0, 0},
    {"throttle_reasons", NONE, REC_ULL, NVML_FN_THROTTLE_REASONS, 0, 0, 0},
    {"mig_mode", NONE, REC_PAIR, NVML_FN_MIG_MODE, 0, 0, REC_ARRAY | REC_FIRST_ONLY},
    {"max_mig_device_count", NONE, REC_UINT, NVML_FN_MAX_MIG_DEVICE_COUNT, 0, 0, 0},
};
const size_t rec_probe_count = ARRAY_LEN(rec_probes);
_Static_assert(ARRAY_LEN(rec_probes) <= REC_MAX_PROBES, "raise REC_MAX_PROBES");

uint64_t rec_timed_begin(void)
{
    return clock_monotonic_ns();
}

nvmlReturn_t rec_timed_end(const rec_t *r, rec_latency_t *lat, nvml_fn_t fn, uint64_t began,
                           nvmlReturn_t rc)
{
    if (rc != NVML_ERROR_FUNCTION_NOT_FOUND || r->lib.sym[fn]) {
        lat->sum_us[fn] += (double)(clock_monotonic_ns() - began) / 1e3;
        lat->calls[fn]++;
    }
    return rc;
}

static nvmlReturn_t ask_memory(const nvml_lib_t *lib, const rec_probe_t *p, nvmlDevice_t h,
                               long long *v)
{
    nvml_memory_t m;
    nvmlReturn_t rc =
        p->kind == REC_MEMORY ? nvml_device_memory(lib, h, &m) : nvml_device_memory_v1(lib, h, &m);
    if (rc != NVML_SUCCESS) return rc;
    v[0] = (long long)m.total;
    if (p->kind == REC_MEMORY_V1) {
        v[1] = (long long)m.used;
    } else if (m.has_reserved) {
        v[1] = (long long)m.reserved, v[2] = (long long)m.used;
    } else { /* a driver without _v2: used includes reserved, as the simulator's v1 answers */
        v[1] = 0, v[2] = (long long)m.used;
    }
    return rc;
}

/* One call of probe p; numbers into v, text into dev->text. */
static nvmlReturn_t ask(const nvml_lib_t *lib, const rec_probe_t *p, rec_dev_t *dev, long long *v)
{
    nvmlDevice_t h = dev->handle;
    unsigned u[2] = {0, 0};
    unsigned long long ull = 0;
    int pair[2] = {0, 0};
    nvmlReturn_t rc;
    switch (p->kind) {
    case REC_UINT:
        rc = nvml_device_uint(lib, p->fn, h, &u[0]);
        v[0] = u[0];
        return rc;
    case REC_ULL:
        rc = nvml_device_ull(lib, p->fn, h, &ull);
        v[0] = (long long)ull;
        return rc;
    case REC_UINT_ARG:
        rc = nvml_device_uint_arg(lib, p->fn, h, p->arg, &u[0]);
        v[0] = u[0];
        return rc;
    case REC_PAIR:
        rc = nvml_device_pair(lib, p->fn, h, &pair[0], &pair[1]);
        v[0] = pair[0], v[1] = pair[1];
        return rc;
    case REC_MEMORY:
    case REC_MEMORY_V1:
        return ask_memory(lib, p, h, v);
    case REC_BAR1: {
        nvmlBAR1Memory_t b;
        memset(&b, 0, sizeof(b));
        rc = nvml_device_bar1(lib, h, &b);
        v[0] = (long long)b.bar1Total, v[1] = (long long)b.bar1Used;
        return rc;
    }
    case REC_UTIL: {
        nvmlUtilization_t t = {0, 0};
        rc = nvml_device_utilization(lib, h, &t);
        v[0] = t.gpu, v[1] = t.memory;
        return rc;
    }
    case REC_TEMP_V:
        rc = nvml_device_temperature_v(lib, h, &pair[0]);
        v[0] = pair[0];
        return rc;
    case REC_ECC:
        rc = nvml_device_ecc_count(lib, h, (nvmlMemoryErrorType_t)p->arg,
                                   (nvmlEccCounterType_t)p->arg2, &ull);
        v[0] = (long long)ull;
        return rc;
    case REC_PCI_IDS:
        rc = nvml_device_pci_ids(lib, h, &u[0], &u[1]);
        v[0] = u[0], v[1] = u[1];
        return rc;
    case REC_ADDRESSING:
        rc = nvml_device_addressing_mode(lib, h, &u[0]);
        v[0] = u[0];
        return rc;
    case REC_TEXT:
        return nvml_device_string(lib, p->fn, h, dev->text[p->arg], REC_TEXT_LEN);
    case REC_BUS_ID:
        return nvml_device_pci_bus_id(lib, h, dev->text[p->arg], REC_TEXT_LEN);
    }
    return NVML_ERROR_UNKNOWN;
}

void rec_sample_values(const rec_t *r, rec_dev_t *dev, unsigned k)
{
    char keep[REC_TEXTS][REC_TEXT_LEN];
    memcpy(keep, dev->text, sizeof(keep));
    for (size_t i = 0; i < rec_probe_count; i++) {
        const rec_probe_t *p = &rec_probes[i];
        rec_cell_t *c = &dev->cells[(size_t)k * rec_probe_count + i];
        memset(c, 0, sizeof(*c));
        if (dev->is_mig && !(p->flags & REC_ON_MIG)) {
            c->rc = NVML_ERROR_NOT_SUPPORTED;
            continue;
        }
        uint64_t began = rec_timed_begin();
        c->rc = rec_timed_end(r, dev->latency, p->fn, began, ask(&r->lib, p, dev, c->v));
    }
    if (k > 0) memcpy(dev->text, keep, sizeof(keep)); /* texts: the first sample's */
}
