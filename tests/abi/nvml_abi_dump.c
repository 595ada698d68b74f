/* SPDX-License-Identifier: Apache-2.0 */
/* Prints the size and field offsets of every NVML struct and the value of every constant we
 * declare. Built twice by scripts/check-nvml-abi.sh: against NVIDIA's nvml.h
 * (-DNVML_FROM_NVIDIA) and against src/nvml/nvml_abi.h; the two outputs must be equal. */
#include <stddef.h>
#include <stdio.h>

#ifdef NVML_FROM_NVIDIA
#include <nvml.h>
#else
#include "nvml/nvml_abi.h"
#endif

#define SIZE(t) printf("sizeof(%s) = %zu\n", #t, sizeof(t))
#define FIELD(t, f)                                                                                \
    printf("%s.%s: offset %zu size %zu\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f))
#define VALUE(c) printf("%s = %lld\n", #c, (long long)(c))

int main(void)
{
    SIZE(nvmlPciInfo_t);
    FIELD(nvmlPciInfo_t, busIdLegacy);
    FIELD(nvmlPciInfo_t, domain);
    FIELD(nvmlPciInfo_t, bus);
    FIELD(nvmlPciInfo_t, device);
    FIELD(nvmlPciInfo_t, pciDeviceId);
    FIELD(nvmlPciInfo_t, pciSubSystemId);
    FIELD(nvmlPciInfo_t, busId);
    SIZE(nvmlUtilization_t);
    FIELD(nvmlUtilization_t, gpu);
    FIELD(nvmlUtilization_t, memory);
    SIZE(nvmlMemory_t);
    FIELD(nvmlMemory_t, total);
    FIELD(nvmlMemory_t, free);
    FIELD(nvmlMemory_t, used);
    SIZE(nvmlMemory_v2_t);
    FIELD(nvmlMemory_v2_t, version);
    FIELD(nvmlMemory_v2_t, total);
    FIELD(nvmlMemory_v2_t, reserved);
    FIELD(nvmlMemory_v2_t, free);
    FIELD(nvmlMemory_v2_t, used);
    VALUE(nvmlMemory_v2);
    SIZE(nvmlBAR1Memory_t);
    FIELD(nvmlBAR1Memory_t, bar1Total);
    FIELD(nvmlBAR1Memory_t, bar1Free);
    FIELD(nvmlBAR1Memory_t, bar1Used);
    SIZE(nvmlProcessInfo_v1_t);
    FIELD(nvmlProcessInfo_v1_t, pid);
    FIELD(nvmlProcessInfo_v1_t, usedGpuMemory);
    SIZE(nvmlProcessInfo_v2_t);
    FIELD(nvmlProcessInfo_v2_t, pid);
    FIELD(nvmlProcessInfo_v2_t, usedGpuMemory);
    FIELD(nvmlProcessInfo_v2_t, gpuInstanceId);
    FIELD(nvmlProcessInfo_v2_t, computeInstanceId);
    SIZE(nvmlProcessUtilizationSample_t);
    FIELD(nvmlProcessUtilizationSample_t, pid);
    FIELD(nvmlProcessUtilizationSample_t, timeStamp);
    FIELD(nvmlProcessUtilizationSample_t, smUtil);
    FIELD(nvmlProcessUtilizationSample_t, memUtil);
    FIELD(nvmlProcessUtilizationSample_t, encUtil);
    FIELD(nvmlProcessUtilizationSample_t, decUtil);
    SIZE(nvmlTemperature_v1_t);
    FIELD(nvmlTemperature_v1_t, version);
    FIELD(nvmlTemperature_v1_t, sensorType);
    FIELD(nvmlTemperature_v1_t, temperature);
    VALUE(nvmlTemperature_v1);
    SIZE(nvmlDeviceAddressingMode_t);
    FIELD(nvmlDeviceAddressingMode_t, version);
    FIELD(nvmlDeviceAddressingMode_t, value);
    VALUE(nvmlDeviceAddressingMode_v1);
    VALUE(NVML_DEVICE_ADDRESSING_MODE_ATS);
    SIZE(nvmlValue_t);
    SIZE(nvmlFieldValue_t);
    FIELD(nvmlFieldValue_t, fieldId);
    FIELD(nvmlFieldValue_t, scopeId);
    FIELD(nvmlFieldValue_t, timestamp);
    FIELD(nvmlFieldValue_t, latencyUsec);
    FIELD(nvmlFieldValue_t, valueType);
    FIELD(nvmlFieldValue_t, nvmlReturn);
    FIELD(nvmlFieldValue_t, value);
    VALUE(NVML_FI_DEV_NVLINK_LINK_COUNT);
    VALUE(NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX);
    VALUE(NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX);
    VALUE(NVML_NVLINK_MAX_LINKS);
    VALUE(NVML_DEVICE_NAME_V2_BUFFER_SIZE);
    VALUE(NVML_DEVICE_UUID_V2_BUFFER_SIZE);
    VALUE(NVML_DEVICE_SERIAL_BUFFER_SIZE);
    VALUE(NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE);
    VALUE(NVML_SYSTEM_NVML_VERSION_BUFFER_SIZE);
    VALUE(NVML_DEVICE_PCI_BUS_ID_BUFFER_SIZE);
    VALUE(NVML_DEVICE_PCI_BUS_ID_BUFFER_V2_SIZE);
    VALUE(NVML_ERROR_NOT_SUPPORTED);
    VALUE(NVML_ERROR_NO_PERMISSION);
    VALUE(NVML_ERROR_NOT_FOUND);
    VALUE(NVML_ERROR_INSUFFICIENT_SIZE);
    VALUE(NVML_ERROR_DRIVER_NOT_LOADED);
    VALUE(NVML_ERROR_TIMEOUT);
    VALUE(NVML_ERROR_FUNCTION_NOT_FOUND);
    VALUE(NVML_ERROR_GPU_IS_LOST);
    VALUE(NVML_ERROR_RESET_REQUIRED);
    VALUE(NVML_ERROR_LIB_RM_VERSION_MISMATCH);
    VALUE(NVML_ERROR_NO_DATA);
    VALUE(NVML_ERROR_ARGUMENT_VERSION_MISMATCH);
    VALUE(NVML_ERROR_UNKNOWN);
    VALUE(NVML_TEMPERATURE_GPU);
    VALUE(NVML_TEMPERATURE_THRESHOLD_SHUTDOWN);
    VALUE(NVML_TEMPERATURE_THRESHOLD_SLOWDOWN);
    VALUE(NVML_CLOCK_GRAPHICS);
    VALUE(NVML_CLOCK_SM);
    VALUE(NVML_CLOCK_MEM);
    VALUE(NVML_CLOCK_VIDEO);
    VALUE(NVML_PCIE_UTIL_TX_BYTES);
    VALUE(NVML_PCIE_UTIL_RX_BYTES);
    VALUE(NVML_MEMORY_ERROR_TYPE_UNCORRECTED);
    VALUE(NVML_VOLATILE_ECC);
    VALUE(NVML_AGGREGATE_ECC);
    VALUE(NVML_COMPUTEMODE_EXCLUSIVE_PROCESS);
    VALUE(NVML_DRIVER_MCDM);
    VALUE(NVML_PSTATE_UNKNOWN);
    VALUE(NVML_VALUE_TYPE_UNSIGNED_LONG_LONG);
    VALUE(NVML_DEVICE_MIG_ENABLE);
    return 0;
}
