/* SPDX-License-Identifier: Apache-2.0 */
/* The NVML symbol table: for each function the product uses, its exported names newest first.
 * The loader takes the first one the driver exports; the wrappers pick the struct layout that
 * goes with it. */
#include "nvml/nvml_lib.h"

#define SYM(...)                                                                                   \
    {                                                                                              \
        {                                                                                          \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    }

const nvml_symbol_t nvml_symbols[NVML_FN__COUNT] = {
    [NVML_FN_INIT] = SYM("nvmlInit_v2", "nvmlInit"),
    [NVML_FN_SHUTDOWN] = SYM("nvmlShutdown"),
    [NVML_FN_ERROR_STRING] = SYM("nvmlErrorString"),
    [NVML_FN_SYSTEM_DRIVER_VERSION] = SYM("nvmlSystemGetDriverVersion"),
    [NVML_FN_SYSTEM_NVML_VERSION] = SYM("nvmlSystemGetNVMLVersion"),
    [NVML_FN_SYSTEM_CUDA_DRIVER_VERSION] =
        SYM("nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion"),
    [NVML_FN_DEVICE_COUNT] = SYM("nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"),
    [NVML_FN_HANDLE_BY_INDEX] = SYM("nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"),
    [NVML_FN_HANDLE_BY_UUID] = SYM("nvmlDeviceGetHandleByUUID"),
    [NVML_FN_HANDLE_BY_PCI_BUS_ID] =
        SYM("nvmlDeviceGetHandleByPciBusId_v2", "nvmlDeviceGetHandleByPciBusId"),
    [NVML_FN_INDEX] = SYM("nvmlDeviceGetIndex"),
    [NVML_FN_NAME] = SYM("nvmlDeviceGetName"),
    [NVML_FN_UUID] = SYM("nvmlDeviceGetUUID"),
    [NVML_FN_SERIAL] = SYM("nvmlDeviceGetSerial"),
    [NVML_FN_MINOR_NUMBER] = SYM("nvmlDeviceGetMinorNumber"),
    [NVML_FN_BRAND] = SYM("nvmlDeviceGetBrand"),
    [NVML_FN_ARCHITECTURE] = SYM("nvmlDeviceGetArchitecture"),
    [NVML_FN_PCI_INFO] =
        SYM("nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetPciInfo_v2", "nvmlDeviceGetPciInfo"),
    [NVML_FN_MEMORY_INFO] = SYM("nvmlDeviceGetMemoryInfo_v2", "nvmlDeviceGetMemoryInfo"),
    [NVML_FN_ADDRESSING_MODE] = SYM("nvmlDeviceGetAddressingMode"),
    [NVML_FN_BAR1_MEMORY_INFO] = SYM("nvmlDeviceGetBAR1MemoryInfo"),
    [NVML_FN_UTILIZATION_RATES] = SYM("nvmlDeviceGetUtilizationRates"),
    [NVML_FN_ENCODER_UTILIZATION] = SYM("nvmlDeviceGetEncoderUtilization"),
    [NVML_FN_DECODER_UTILIZATION] = SYM("nvmlDeviceGetDecoderUtilization"),
    [NVML_FN_FAN_SPEED] = SYM("nvmlDeviceGetFanSpeed"),
    [NVML_FN_TEMPERATURE] = SYM("nvmlDeviceGetTemperature"),
    [NVML_FN_TEMPERATURE_V] = SYM("nvmlDeviceGetTemperatureV"),
    [NVML_FN_TEMPERATURE_THRESHOLD] = SYM("nvmlDeviceGetTemperatureThreshold"),
    [NVML_FN_POWER_USAGE] = SYM("nvmlDeviceGetPowerUsage"),
    [NVML_FN_POWER_MANAGEMENT_LIMIT] = SYM("nvmlDeviceGetPowerManagementLimit"),
    [NVML_FN_ENFORCED_POWER_LIMIT] = SYM("nvmlDeviceGetEnforcedPowerLimit"),
    [NVML_FN_TOTAL_ENERGY] = SYM("nvmlDeviceGetTotalEnergyConsumption"),
    [NVML_FN_PERFORMANCE_STATE] = SYM("nvmlDeviceGetPerformanceState"),
    [NVML_FN_PERSISTENCE_MODE] = SYM("nvmlDeviceGetPersistenceMode"),
    [NVML_FN_DISPLAY_MODE] = SYM("nvmlDeviceGetDisplayMode"),
    [NVML_FN_DISPLAY_ACTIVE] = SYM("nvmlDeviceGetDisplayActive"),
    [NVML_FN_COMPUTE_MODE] = SYM("nvmlDeviceGetComputeMode"),
    [NVML_FN_DRIVER_MODEL] = SYM("nvmlDeviceGetDriverModel_v2", "nvmlDeviceGetDriverModel"),
    [NVML_FN_ECC_MODE] = SYM("nvmlDeviceGetEccMode"),
    [NVML_FN_TOTAL_ECC_ERRORS] = SYM("nvmlDeviceGetTotalEccErrors"),
    [NVML_FN_CLOCK_INFO] = SYM("nvmlDeviceGetClockInfo"),
    [NVML_FN_MAX_CLOCK_INFO] = SYM("nvmlDeviceGetMaxClockInfo"),
    [NVML_FN_PCIE_THROUGHPUT] = SYM("nvmlDeviceGetPcieThroughput"),
    [NVML_FN_MAX_PCIE_LINK_GENERATION] = SYM("nvmlDeviceGetMaxPcieLinkGeneration"),
    [NVML_FN_MAX_PCIE_LINK_WIDTH] = SYM("nvmlDeviceGetMaxPcieLinkWidth"),
    [NVML_FN_CURR_PCIE_LINK_GENERATION] = SYM("nvmlDeviceGetCurrPcieLinkGeneration"),
    [NVML_FN_CURR_PCIE_LINK_WIDTH] = SYM("nvmlDeviceGetCurrPcieLinkWidth"),
    [NVML_FN_CUDA_COMPUTE_CAPABILITY] = SYM("nvmlDeviceGetCudaComputeCapability"),
    [NVML_FN_COMPUTE_PROCESSES] =
        SYM("nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2",
            "nvmlDeviceGetComputeRunningProcesses"),
    [NVML_FN_GRAPHICS_PROCESSES] =
        SYM("nvmlDeviceGetGraphicsRunningProcesses_v3", "nvmlDeviceGetGraphicsRunningProcesses_v2",
            "nvmlDeviceGetGraphicsRunningProcesses"),
    [NVML_FN_PROCESS_UTILIZATION] = SYM("nvmlDeviceGetProcessUtilization"),
    [NVML_FN_MIG_MODE] = SYM("nvmlDeviceGetMigMode"),
    [NVML_FN_MAX_MIG_DEVICE_COUNT] = SYM("nvmlDeviceGetMaxMigDeviceCount"),
    [NVML_FN_MIG_HANDLE_BY_INDEX] = SYM("nvmlDeviceGetMigDeviceHandleByIndex"),
    [NVML_FN_IS_MIG_HANDLE] = SYM("nvmlDeviceIsMigDeviceHandle"),
    [NVML_FN_GPU_INSTANCE_ID] = SYM("nvmlDeviceGetGpuInstanceId"),
    [NVML_FN_COMPUTE_INSTANCE_ID] = SYM("nvmlDeviceGetComputeInstanceId"),
    [NVML_FN_PARENT_OF_MIG] = SYM("nvmlDeviceGetDeviceHandleFromMigDeviceHandle"),
    [NVML_FN_FIELD_VALUES] = SYM("nvmlDeviceGetFieldValues"),
    [NVML_FN_THROTTLE_REASONS] =
        SYM("nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons"),
    [NVML_FN_RUNNING_PROCESS_DETAIL_LIST] = SYM("nvmlDeviceGetRunningProcessDetailList"),
    [NVML_FN_CONF_COMPUTE_MEM_SIZE_INFO] = SYM("nvmlDeviceGetConfComputeMemSizeInfo"),
    [NVML_FN_MEMORY_INFO_V1] = SYM("nvmlDeviceGetMemoryInfo"),
};
