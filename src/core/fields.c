/* SPDX-License-Identifier: Apache-2.0 */
/* The device field table: the one description of every scalar field of a device snapshot
 * (name with its unit, type, place in the struct, the query that fills it). JSON, the
 * exporter and the snapshot machinery all read it. */
#include "core/core_internal.h"

#include <stddef.h>

#define F(key, unit, type, query, desc)                                                            \
    {                                                                                              \
#key, unit, desc, NVITOP_VALUE_##type, offsetof(nvitop_device_snapshot_t, key),            \
            NVITOP_DQ_##query                                                                      \
    }

static const nvitop_field_info_t device_fields[] = {
    F(name, "", STR, NAME, "product name"),
    F(uuid, "", STR, UUID, "UUID (GPU-... or MIG-...)"),
    F(bus_id, "", STR, BUS_ID, "PCI bus id"),
    F(serial, "", STR, SERIAL, "board serial number"),
    F(minor_number, "", INT, BOARD, "minor number of /dev/nvidiaN"),
    F(brand, "", INT, BOARD, "NVML brand number"),
    F(architecture, "", INT, BOARD, "NVML architecture number"),
    F(cuda_capability_major, "", INT, CUDA_CAPABILITY, "CUDA compute capability, major"),
    F(cuda_capability_minor, "", INT, CUDA_CAPABILITY, "CUDA compute capability, minor"),
    F(memory_total_bytes, "B", INT, MEMORY, "total memory"),
    F(memory_used_bytes, "B", INT, MEMORY, "used memory"),
    F(memory_free_bytes, "B", INT, MEMORY, "free memory"),
    F(memory_reserved_bytes, "B", INT, MEMORY, "memory reserved by the driver"),
    F(memory_percent, "%", REAL, MEMORY, "used memory in percent of total"),
    F(bar1_total_bytes, "B", INT, BAR1, "total BAR1 memory"),
    F(bar1_used_bytes, "B", INT, BAR1, "used BAR1 memory"),
    F(bar1_free_bytes, "B", INT, BAR1, "free BAR1 memory"),
    F(bar1_percent, "%", REAL, BAR1, "used BAR1 memory in percent of total"),
    F(gpu_utilization_percent, "%", INT, UTILIZATION, "GPU utilization"),
    F(memory_utilization_percent, "%", INT, UTILIZATION, "memory bandwidth utilization"),
    F(encoder_utilization_percent, "%", INT, ENCODER, "encoder utilization"),
    F(decoder_utilization_percent, "%", INT, DECODER, "decoder utilization"),
    F(clock_graphics_mhz, "MHz", INT, CLOCK_GRAPHICS, "graphics clock"),
    F(clock_sm_mhz, "MHz", INT, CLOCK_SM, "SM clock"),
    F(clock_memory_mhz, "MHz", INT, CLOCK_MEMORY, "memory clock"),
    F(clock_video_mhz, "MHz", INT, CLOCK_VIDEO, "video clock"),
    F(max_clock_graphics_mhz, "MHz", INT, MAX_CLOCKS, "maximum graphics clock"),
    F(max_clock_sm_mhz, "MHz", INT, MAX_CLOCKS, "maximum SM clock"),
    F(max_clock_memory_mhz, "MHz", INT, MAX_CLOCKS, "maximum memory clock"),
    F(max_clock_video_mhz, "MHz", INT, MAX_CLOCKS, "maximum video clock"),
    F(fan_speed_percent, "%", INT, FAN, "fan speed"),
    F(temperature_c, "C", INT, TEMPERATURE, "GPU temperature"),
    F(temperature_slowdown_c, "C", INT, TEMPERATURE_LIMITS, "slowdown temperature"),
    F(temperature_shutdown_c, "C", INT, TEMPERATURE_LIMITS, "shutdown temperature"),
    F(power_usage_mw, "mW", INT, POWER_USAGE, "power draw"),
    F(power_limit_mw, "mW", INT, POWER_LIMIT, "power management limit"),
    F(power_percent, "%", REAL, POWER_USAGE, "power draw in percent of the limit"),
    F(energy_consumption_mj, "mJ", INT, ENERGY, "energy used since the driver was loaded"),
    F(performance_state, "", INT, PSTATE, "performance state (0 = P0)"),
    F(persistence_mode, "", INT, PERSISTENCE, "persistence mode (1 = enabled)"),
    F(display_mode, "", INT, DISPLAY_MODE, "display mode (1 = enabled)"),
    F(display_active, "", INT, DISPLAY_ACTIVE, "display active (1 = enabled)"),
    F(compute_mode, "", INT, COMPUTE_MODE, "compute mode (0 = default)"),
    F(driver_model, "", INT, DRIVER_MODEL, "Windows driver model"),
    F(ecc_mode, "", INT, ECC_MODE, "ECC mode (1 = enabled)"),
    F(ecc_errors_volatile_uncorrected, "", INT, ECC_ERRORS, "volatile uncorrected ECC errors"),
    F(ecc_errors_aggregate_uncorrected, "", INT, ECC_AGGREGATE, "aggregate uncorrected ECC errors"),
    F(clocks_throttle_reasons, "", INT, THROTTLE, "NVML clock throttle reason bits"),
    F(mig_mode, "", INT, MIG, "MIG mode (1 = enabled)"),
    F(max_mig_device_count, "", INT, MIG, "maximum number of MIG devices"),
    F(gpu_instance_id, "", INT, MIG, "MIG GPU instance id"),
    F(compute_instance_id, "", INT, MIG, "MIG compute instance id"),
    F(pcie_tx_kibps, "KiB/s", INT, PCIE_THROUGHPUT, "PCIe transmit throughput"),
    F(pcie_rx_kibps, "KiB/s", INT, PCIE_THROUGHPUT, "PCIe receive throughput"),
    F(pcie_link_gen_max, "", INT, PCIE_LINK, "maximum PCIe link generation"),
    F(pcie_link_width_max, "", INT, PCIE_LINK, "maximum PCIe link width"),
    F(pcie_link_gen, "", INT, PCIE_LINK, "current PCIe link generation"),
    F(pcie_link_width, "", INT, PCIE_LINK, "current PCIe link width"),
    F(nvlink_count, "", INT, NVLINK, "number of NVLinks"),
    F(nvlink_total_tx_kibps, "KiB/s", INT, NVLINK, "NVLink transmit throughput, all links"),
    F(nvlink_total_rx_kibps, "KiB/s", INT, NVLINK, "NVLink receive throughput, all links"),
    F(nvlink_mean_tx_kibps, "KiB/s", INT, NVLINK, "NVLink transmit throughput, link mean"),
    F(nvlink_mean_rx_kibps, "KiB/s", INT, NVLINK, "NVLink receive throughput, link mean"),
};

const nvitop_field_info_t *nvitop_device_fields(size_t *count)
{
    if (count) *count = ARRAY_LEN(device_fields);
    return device_fields;
}
