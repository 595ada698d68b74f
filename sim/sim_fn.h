/* SPDX-License-Identifier: Apache-2.0 */
/* The one table of every NVML function the simulator exports: its symbol name, the name without
 * a version suffix (what a scenario's "errors" and "latency_us" may use to hit every version)
 * and how it relates to a device. Feeds call counting, latency and error injection. */
#ifndef NVML_SIM_FN_H
#define NVML_SIM_FN_H

/* X(symbol, base name, kind): kind is SYS (no device), LOOKUP (finds a device: errors named
 * after it apply to the device found, "*" does not) or DEV (takes a device handle). */
#define SIM_FUNCTIONS(X)                                                                           \
    X(nvmlInit, nvmlInit, SYS)                                                                     \
    X(nvmlInit_v2, nvmlInit, SYS)                                                                  \
    X(nvmlInitWithFlags, nvmlInitWithFlags, SYS)                                                   \
    X(nvmlShutdown, nvmlShutdown, SYS)                                                             \
    X(nvmlErrorString, nvmlErrorString, SYS)                                                       \
    X(nvmlSystemGetDriverVersion, nvmlSystemGetDriverVersion, SYS)                                 \
    X(nvmlSystemGetNVMLVersion, nvmlSystemGetNVMLVersion, SYS)                                     \
    X(nvmlSystemGetCudaDriverVersion, nvmlSystemGetCudaDriverVersion, SYS)                         \
    X(nvmlSystemGetCudaDriverVersion_v2, nvmlSystemGetCudaDriverVersion, SYS)                      \
    X(nvmlDeviceGetCount, nvmlDeviceGetCount, SYS)                                                 \
    X(nvmlDeviceGetCount_v2, nvmlDeviceGetCount, SYS)                                              \
    X(nvmlDeviceGetHandleByIndex, nvmlDeviceGetHandleByIndex, LOOKUP)                              \
    X(nvmlDeviceGetHandleByIndex_v2, nvmlDeviceGetHandleByIndex, LOOKUP)                           \
    X(nvmlDeviceGetHandleByUUID, nvmlDeviceGetHandleByUUID, LOOKUP)                                \
    X(nvmlDeviceGetHandleByPciBusId, nvmlDeviceGetHandleByPciBusId, LOOKUP)                        \
    X(nvmlDeviceGetHandleByPciBusId_v2, nvmlDeviceGetHandleByPciBusId, LOOKUP)                     \
    X(nvmlDeviceGetIndex, nvmlDeviceGetIndex, DEV)                                                 \
    X(nvmlDeviceGetName, nvmlDeviceGetName, DEV)                                                   \
    X(nvmlDeviceGetUUID, nvmlDeviceGetUUID, DEV)                                                   \
    X(nvmlDeviceGetSerial, nvmlDeviceGetSerial, DEV)                                               \
    X(nvmlDeviceGetMinorNumber, nvmlDeviceGetMinorNumber, DEV)                                     \
    X(nvmlDeviceGetBrand, nvmlDeviceGetBrand, DEV)                                                 \
    X(nvmlDeviceGetArchitecture, nvmlDeviceGetArchitecture, DEV)                                   \
    X(nvmlDeviceGetPciInfo, nvmlDeviceGetPciInfo, DEV)                                             \
    X(nvmlDeviceGetPciInfo_v2, nvmlDeviceGetPciInfo, DEV)                                          \
    X(nvmlDeviceGetPciInfo_v3, nvmlDeviceGetPciInfo, DEV)                                          \
    X(nvmlDeviceGetMemoryInfo, nvmlDeviceGetMemoryInfo, DEV)                                       \
    X(nvmlDeviceGetMemoryInfo_v2, nvmlDeviceGetMemoryInfo, DEV)                                    \
    X(nvmlDeviceGetBAR1MemoryInfo, nvmlDeviceGetBAR1MemoryInfo, DEV)                               \
    X(nvmlDeviceGetAddressingMode, nvmlDeviceGetAddressingMode, DEV)                               \
    X(nvmlDeviceGetUtilizationRates, nvmlDeviceGetUtilizationRates, DEV)                           \
    X(nvmlDeviceGetEncoderUtilization, nvmlDeviceGetEncoderUtilization, DEV)                       \
    X(nvmlDeviceGetDecoderUtilization, nvmlDeviceGetDecoderUtilization, DEV)                       \
    X(nvmlDeviceGetFanSpeed, nvmlDeviceGetFanSpeed, DEV)                                           \
    X(nvmlDeviceGetFanSpeed_v2, nvmlDeviceGetFanSpeed, DEV)                                        \
    X(nvmlDeviceGetNumFans, nvmlDeviceGetNumFans, DEV)                                             \
    X(nvmlDeviceGetTemperature, nvmlDeviceGetTemperature, DEV)                                     \
    X(nvmlDeviceGetTemperatureV, nvmlDeviceGetTemperature, DEV)                                    \
    X(nvmlDeviceGetTemperatureThreshold, nvmlDeviceGetTemperatureThreshold, DEV)                   \
    X(nvmlDeviceGetPowerUsage, nvmlDeviceGetPowerUsage, DEV)                                       \
    X(nvmlDeviceGetPowerManagementLimit, nvmlDeviceGetPowerManagementLimit, DEV)                   \
    X(nvmlDeviceGetEnforcedPowerLimit, nvmlDeviceGetEnforcedPowerLimit, DEV)                       \
    X(nvmlDeviceGetTotalEnergyConsumption, nvmlDeviceGetTotalEnergyConsumption, DEV)               \
    X(nvmlDeviceGetPerformanceState, nvmlDeviceGetPerformanceState, DEV)                           \
    X(nvmlDeviceGetPersistenceMode, nvmlDeviceGetPersistenceMode, DEV)                             \
    X(nvmlDeviceGetDisplayMode, nvmlDeviceGetDisplayMode, DEV)                                     \
    X(nvmlDeviceGetDisplayActive, nvmlDeviceGetDisplayActive, DEV)                                 \
    X(nvmlDeviceGetComputeMode, nvmlDeviceGetComputeMode, DEV)                                     \
    X(nvmlDeviceGetEccMode, nvmlDeviceGetEccMode, DEV)                                             \
    X(nvmlDeviceGetTotalEccErrors, nvmlDeviceGetTotalEccErrors, DEV)                               \
    X(nvmlDeviceGetClockInfo, nvmlDeviceGetClockInfo, DEV)                                         \
    X(nvmlDeviceGetMaxClockInfo, nvmlDeviceGetMaxClockInfo, DEV)                                   \
    X(nvmlDeviceGetPcieThroughput, nvmlDeviceGetPcieThroughput, DEV)                               \
    X(nvmlDeviceGetMaxPcieLinkGeneration, nvmlDeviceGetMaxPcieLinkGeneration, DEV)                 \
    X(nvmlDeviceGetMaxPcieLinkWidth, nvmlDeviceGetMaxPcieLinkWidth, DEV)                           \
    X(nvmlDeviceGetCurrPcieLinkGeneration, nvmlDeviceGetCurrPcieLinkGeneration, DEV)               \
    X(nvmlDeviceGetCurrPcieLinkWidth, nvmlDeviceGetCurrPcieLinkWidth, DEV)                         \
    X(nvmlDeviceGetCudaComputeCapability, nvmlDeviceGetCudaComputeCapability, DEV)                 \
    X(nvmlDeviceGetComputeRunningProcesses, nvmlDeviceGetComputeRunningProcesses, DEV)             \
    X(nvmlDeviceGetComputeRunningProcesses_v2, nvmlDeviceGetComputeRunningProcesses, DEV)          \
    X(nvmlDeviceGetComputeRunningProcesses_v3, nvmlDeviceGetComputeRunningProcesses, DEV)          \
    X(nvmlDeviceGetGraphicsRunningProcesses, nvmlDeviceGetGraphicsRunningProcesses, DEV)           \
    X(nvmlDeviceGetGraphicsRunningProcesses_v2, nvmlDeviceGetGraphicsRunningProcesses, DEV)        \
    X(nvmlDeviceGetGraphicsRunningProcesses_v3, nvmlDeviceGetGraphicsRunningProcesses, DEV)        \
    X(nvmlDeviceGetMPSComputeRunningProcesses, nvmlDeviceGetMPSComputeRunningProcesses, DEV)       \
    X(nvmlDeviceGetMPSComputeRunningProcesses_v2, nvmlDeviceGetMPSComputeRunningProcesses, DEV)    \
    X(nvmlDeviceGetMPSComputeRunningProcesses_v3, nvmlDeviceGetMPSComputeRunningProcesses, DEV)    \
    X(nvmlDeviceGetProcessUtilization, nvmlDeviceGetProcessUtilization, DEV)                       \
    X(nvmlDeviceGetMigMode, nvmlDeviceGetMigMode, DEV)                                             \
    X(nvmlDeviceGetMaxMigDeviceCount, nvmlDeviceGetMaxMigDeviceCount, DEV)                         \
    X(nvmlDeviceGetMigDeviceHandleByIndex, nvmlDeviceGetMigDeviceHandleByIndex, DEV)               \
    X(nvmlDeviceIsMigDeviceHandle, nvmlDeviceIsMigDeviceHandle, DEV)                               \
    X(nvmlDeviceGetGpuInstanceId, nvmlDeviceGetGpuInstanceId, DEV)                                 \
    X(nvmlDeviceGetComputeInstanceId, nvmlDeviceGetComputeInstanceId, DEV)                         \
    X(nvmlDeviceGetDeviceHandleFromMigDeviceHandle, nvmlDeviceGetDeviceHandleFromMigDeviceHandle,  \
      DEV)                                                                                         \
    X(nvmlDeviceGetFieldValues, nvmlDeviceGetFieldValues, DEV)                                     \
    X(nvmlDeviceGetNvLinkState, nvmlDeviceGetNvLinkState, DEV)                                     \
    X(nvmlDeviceGetCurrentClocksThrottleReasons, nvmlDeviceGetCurrentClocksThrottleReasons, DEV)   \
    X(nvmlDeviceGetCurrentClocksEventReasons, nvmlDeviceGetCurrentClocksEventReasons, DEV)         \
    X(nvmlDeviceGetDriverModel, nvmlDeviceGetDriverModel, DEV)                                     \
    X(nvmlDeviceGetDriverModel_v2, nvmlDeviceGetDriverModel, DEV)                                  \
    X(nvmlDeviceGetRunningProcessDetailList, nvmlDeviceGetRunningProcessDetailList, DEV)           \
    X(nvmlDeviceGetConfComputeMemSizeInfo, nvmlDeviceGetConfComputeMemSizeInfo, DEV)

enum sim_fn_kind { SIM_KIND_SYS, SIM_KIND_LOOKUP, SIM_KIND_DEV };

#define SIM_FN_ENUM(sym, base, kind) SIM_FN_##sym,
enum sim_fn { SIM_FUNCTIONS(SIM_FN_ENUM) SIM_FN_COUNT };
#undef SIM_FN_ENUM

struct sim_fn_info {
    const char *name;
    const char *base;
    enum sim_fn_kind kind;
};

/* Indexed by enum sim_fn. */
extern const struct sim_fn_info sim_fn_table[SIM_FN_COUNT];

/* The function whose symbol is name, or -1. */
int sim_fn_by_name(const char *name);

#endif
