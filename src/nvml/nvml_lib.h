/* SPDX-License-Identifier: Apache-2.0 */
/* The NVML loader: dlopen, the symbol table with versioned fallbacks, and typed wrappers that
 * hide which struct layout each resolved version takes. Only src/nvml/ knows NVML. */
#ifndef NVITOP_NVML_LIB_H
#define NVITOP_NVML_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nvml/nvml_abi.h"
#include <nvitop/common.h>

struct strbuf;

/* Every NVML function the product may call, one row each in the symbol table (nvml_symbols.c)
 * with its candidate names newest first. */
typedef enum nvml_fn {
    NVML_FN_INIT,
    NVML_FN_SHUTDOWN,
    NVML_FN_ERROR_STRING,
    NVML_FN_SYSTEM_DRIVER_VERSION,
    NVML_FN_SYSTEM_NVML_VERSION,
    NVML_FN_SYSTEM_CUDA_DRIVER_VERSION,
    NVML_FN_DEVICE_COUNT,
    NVML_FN_HANDLE_BY_INDEX,
    NVML_FN_HANDLE_BY_UUID,
    NVML_FN_HANDLE_BY_PCI_BUS_ID,
    NVML_FN_INDEX,
    NVML_FN_NAME,
    NVML_FN_UUID,
    NVML_FN_SERIAL,
    NVML_FN_MINOR_NUMBER,
    NVML_FN_BRAND,
    NVML_FN_ARCHITECTURE,
    NVML_FN_PCI_INFO,
    NVML_FN_MEMORY_INFO,
    NVML_FN_MEMORY_INFO_V1, /* the fallback when _v2 refuses our struct; the recorder's v1 */
    NVML_FN_ADDRESSING_MODE,
    NVML_FN_BAR1_MEMORY_INFO,
    NVML_FN_UTILIZATION_RATES,
    NVML_FN_ENCODER_UTILIZATION,
    NVML_FN_DECODER_UTILIZATION,
    NVML_FN_FAN_SPEED,
    NVML_FN_TEMPERATURE,
    NVML_FN_TEMPERATURE_V,
    NVML_FN_TEMPERATURE_THRESHOLD,
    NVML_FN_POWER_USAGE,
    NVML_FN_POWER_MANAGEMENT_LIMIT,
    NVML_FN_ENFORCED_POWER_LIMIT,
    NVML_FN_TOTAL_ENERGY,
    NVML_FN_PERFORMANCE_STATE,
    NVML_FN_PERSISTENCE_MODE,
    NVML_FN_DISPLAY_MODE,
    NVML_FN_DISPLAY_ACTIVE,
    NVML_FN_COMPUTE_MODE,
    NVML_FN_DRIVER_MODEL,
    NVML_FN_ECC_MODE,
    NVML_FN_TOTAL_ECC_ERRORS,
    NVML_FN_CLOCK_INFO,
    NVML_FN_MAX_CLOCK_INFO,
    NVML_FN_PCIE_THROUGHPUT,
    NVML_FN_MAX_PCIE_LINK_GENERATION,
    NVML_FN_MAX_PCIE_LINK_WIDTH,
    NVML_FN_CURR_PCIE_LINK_GENERATION,
    NVML_FN_CURR_PCIE_LINK_WIDTH,
    NVML_FN_CUDA_COMPUTE_CAPABILITY,
    NVML_FN_COMPUTE_PROCESSES,
    NVML_FN_GRAPHICS_PROCESSES,
    NVML_FN_PROCESS_UTILIZATION,
    NVML_FN_MIG_MODE,
    NVML_FN_MAX_MIG_DEVICE_COUNT,
    NVML_FN_MIG_HANDLE_BY_INDEX,
    NVML_FN_IS_MIG_HANDLE,
    NVML_FN_GPU_INSTANCE_ID,
    NVML_FN_COMPUTE_INSTANCE_ID,
    NVML_FN_PARENT_OF_MIG,
    NVML_FN_FIELD_VALUES,
    NVML_FN_THROTTLE_REASONS,
    /* Probed only: their presence decides the process-struct layout of early R535 drivers. */
    NVML_FN_RUNNING_PROCESS_DETAIL_LIST,
    NVML_FN_CONF_COMPUTE_MEM_SIZE_INFO,
    NVML_FN__COUNT
} nvml_fn_t;

#define NVML_SYMBOL_CANDIDATES 3

typedef struct nvml_symbol {
    const char *names[NVML_SYMBOL_CANDIDATES]; /* newest first; NULL-terminated if fewer */
} nvml_symbol_t;

/* The symbol table: one row per nvml_fn_t. */
extern const nvml_symbol_t nvml_symbols[NVML_FN__COUNT];

typedef struct nvml_lib {
    void *dl;
    void *sym[NVML_FN__COUNT];
    uint8_t variant[NVML_FN__COUNT]; /* index into names[] of the resolved symbol */
    /* Process lists: 1 = v1 struct, 2 = v2 struct (24 bytes), 3 = early-R535 32-byte v3. */
    int process_layout;
} nvml_lib_t;

/* Loads the library: `path` if not NULL, else "libnvidia-ml.so.1" then "libnvidia-ml.so".
 * Returns 0 or NVITOP_ENOLIB with one line in *msg. */
int nvml_lib_open(nvml_lib_t *lib, const char *path, struct strbuf *msg);
void nvml_lib_close(nvml_lib_t *lib);

/* The name of the symbol resolved for fn ("nvmlDeviceGetMemoryInfo_v2"), or the newest
 * candidate when none was. */
const char *nvml_fn_name(const nvml_lib_t *lib, nvml_fn_t fn);

/* Maps an NVML return code to the reason a value is missing. */
nvitop_na_t nvml_na_from_return(nvmlReturn_t rc);
/* NVML's own text for rc when the library provides it, else ours. */
const char *nvml_error_string(const nvml_lib_t *lib, nvmlReturn_t rc);
/* "NOT_SUPPORTED", "GPU_IS_LOST", ... */
const char *nvml_return_name(nvmlReturn_t rc);

/* ---- typed wrappers: a missing symbol is NVML_ERROR_FUNCTION_NOT_FOUND ---- */

nvmlReturn_t nvml_init(const nvml_lib_t *lib);
nvmlReturn_t nvml_shutdown(const nvml_lib_t *lib);
nvmlReturn_t nvml_system_string(const nvml_lib_t *lib, nvml_fn_t fn, char *buf, unsigned len);
nvmlReturn_t nvml_system_cuda_driver_version(const nvml_lib_t *lib, int *version);
nvmlReturn_t nvml_device_count(const nvml_lib_t *lib, unsigned *count);
nvmlReturn_t nvml_handle_by_index(const nvml_lib_t *lib, unsigned index, nvmlDevice_t *dev);
nvmlReturn_t nvml_handle_by_string(const nvml_lib_t *lib, nvml_fn_t fn, const char *key,
                                   nvmlDevice_t *dev);

/* Per-device string queries: NAME, UUID, SERIAL. */
nvmlReturn_t nvml_device_string(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev, char *buf,
                                unsigned len);
/* Per-device "unsigned int *" queries: INDEX, MINOR_NUMBER, BRAND, ARCHITECTURE, FAN_SPEED,
 * POWER_USAGE, *_POWER_LIMIT, PERFORMANCE_STATE, PERSISTENCE_MODE, DISPLAY_*, COMPUTE_MODE,
 * *_PCIE_LINK_*, MAX_MIG_DEVICE_COUNT, IS_MIG_HANDLE, GPU/COMPUTE_INSTANCE_ID. */
nvmlReturn_t nvml_device_uint(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                              unsigned *value);
/* Per-device "unsigned long long *" queries: TOTAL_ENERGY, THROTTLE_REASONS. */
nvmlReturn_t nvml_device_ull(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                             unsigned long long *value);
/* Queries taking one enum argument: CLOCK_INFO, MAX_CLOCK_INFO (clock type),
 * TEMPERATURE_THRESHOLD (threshold), PCIE_THROUGHPUT (counter). */
nvmlReturn_t nvml_device_uint_arg(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                                  unsigned arg, unsigned *value);
/* Queries answering two values (current, pending) or (util, sampling period):
 * ECC_MODE, MIG_MODE, DRIVER_MODEL, ENCODER/DECODER_UTILIZATION, CUDA_COMPUTE_CAPABILITY. */
nvmlReturn_t nvml_device_pair(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev, int *first,
                              int *second);

nvmlReturn_t nvml_device_pci_bus_id(const nvml_lib_t *lib, nvmlDevice_t dev, char *buf,
                                    unsigned len);

/* The PCI ids of nvmlPciInfo_t (any version: they sit at the same offsets). */
nvmlReturn_t nvml_device_pci_ids(const nvml_lib_t *lib, nvmlDevice_t dev, unsigned *device_id,
                                 unsigned *subsystem_id);

/* Memory through _v2 when the driver exports it, else v1; also v1 when _v2 refuses our struct
 * (FUNCTION_NOT_FOUND, as drivers answer a version word they do not know, or
 * ARGUMENT_VERSION_MISMATCH): a driver older than our header must still show memory. */
typedef struct nvml_memory {
    unsigned long long total, used, free, reserved;
    bool has_reserved; /* v2: used excludes reserved */
} nvml_memory_t;
nvmlReturn_t nvml_device_memory(const nvml_lib_t *lib, nvmlDevice_t dev, nvml_memory_t *out);
/* The unversioned nvmlDeviceGetMemoryInfo alone (used includes reserved), for the recorder. */
nvmlReturn_t nvml_device_memory_v1(const nvml_lib_t *lib, nvmlDevice_t dev, nvml_memory_t *out);
/* nvmlDeviceAddressingMode_t.value (NVML_DEVICE_ADDRESSING_MODE_*). */
nvmlReturn_t nvml_device_addressing_mode(const nvml_lib_t *lib, nvmlDevice_t dev, unsigned *mode);
nvmlReturn_t nvml_device_bar1(const nvml_lib_t *lib, nvmlDevice_t dev, nvmlBAR1Memory_t *out);
nvmlReturn_t nvml_device_utilization(const nvml_lib_t *lib, nvmlDevice_t dev,
                                     nvmlUtilization_t *out);
/* GPU sensor temperature, through TemperatureV when the driver has it. */
nvmlReturn_t nvml_device_temperature(const nvml_lib_t *lib, nvmlDevice_t dev, int *celsius);
/* nvmlDeviceGetTemperatureV alone (no fallback), for the recorder. */
nvmlReturn_t nvml_device_temperature_v(const nvml_lib_t *lib, nvmlDevice_t dev, int *celsius);
/* One ECC counter: error type (corrected, uncorrected) and counter (volatile, aggregate). */
nvmlReturn_t nvml_device_ecc_count(const nvml_lib_t *lib, nvmlDevice_t dev,
                                   nvmlMemoryErrorType_t type, nvmlEccCounterType_t counter,
                                   unsigned long long *out);
nvmlReturn_t nvml_device_total_ecc_errors(const nvml_lib_t *lib, nvmlDevice_t dev,
                                          nvmlEccCounterType_t counter, unsigned long long *out);
nvmlReturn_t nvml_device_mig_handle(const nvml_lib_t *lib, nvmlDevice_t dev, unsigned index,
                                    nvmlDevice_t *mig);
nvmlReturn_t nvml_device_parent_of_mig(const nvml_lib_t *lib, nvmlDevice_t mig,
                                       nvmlDevice_t *parent);
nvmlReturn_t nvml_device_field_values(const nvml_lib_t *lib, nvmlDevice_t dev, int count,
                                      nvmlFieldValue_t *values);

typedef struct nvml_process {
    unsigned pid;
    unsigned long long used_memory; /* NVML_VALUE_NOT_AVAILABLE_ULL when unknown */
    unsigned gpu_instance_id;       /* NVML_INSTANCE_ID_NONE outside MIG */
    unsigned compute_instance_id;
} nvml_process_t;

/* A process list (fn: COMPUTE_PROCESSES or GRAPHICS_PROCESSES), whichever struct version the
 * driver has. One call with room for `hint` entries; again with the size the driver asks for
 * when that was too small. *out is malloc'd (NULL when *count is 0). */
nvmlReturn_t nvml_device_processes(const nvml_lib_t *lib, nvml_fn_t fn, nvmlDevice_t dev,
                                   unsigned hint, nvml_process_t **out, unsigned *count);

/* Utilisation samples newer than last_seen_us (NOT_FOUND: none), sized like the process
 * lists. *out malloc'd. */
nvmlReturn_t nvml_device_process_utilization(const nvml_lib_t *lib, nvmlDevice_t dev,
                                             unsigned long long last_seen_us, unsigned hint,
                                             nvmlProcessUtilizationSample_t **out, unsigned *count);

#endif
