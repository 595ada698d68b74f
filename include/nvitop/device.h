/* SPDX-License-Identifier: Apache-2.0 */
/* Devices: physical GPUs and MIG instances, what can be asked of them, and the plain-data
 * record (nvitop_device_snapshot_t) every answer lands in. */
#ifndef NVITOP_DEVICE_H
#define NVITOP_DEVICE_H

#include <nvitop/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A device object. Owned by the context: valid until nvitop_shutdown() or nvitop_ctx_free(). */
typedef struct nvitop_device nvitop_device_t;

#define NVITOP_NVLINK_MAX_LINKS 18

/* What to query: each bit is one NVML question (one or a few calls). Static facts (name, UUID,
 * bus id, serial, total memory, max clocks, limits, capability) are read once per device and
 * then served from the cache; a "not supported" answer is remembered and never asked again. */
#define NVITOP_DQ_NAME (1ULL << 0)
#define NVITOP_DQ_UUID (1ULL << 1)
#define NVITOP_DQ_BUS_ID (1ULL << 2)
#define NVITOP_DQ_SERIAL (1ULL << 3)
#define NVITOP_DQ_BOARD (1ULL << 4) /* minor number, brand, architecture */
#define NVITOP_DQ_MEMORY (1ULL << 5)
#define NVITOP_DQ_BAR1 (1ULL << 6)
#define NVITOP_DQ_UTILIZATION (1ULL << 7) /* GPU and memory-bandwidth utilisation */
#define NVITOP_DQ_ENCODER (1ULL << 8)
#define NVITOP_DQ_DECODER (1ULL << 9)
#define NVITOP_DQ_CLOCK_GRAPHICS (1ULL << 10)
#define NVITOP_DQ_CLOCK_SM (1ULL << 11)
#define NVITOP_DQ_CLOCK_MEMORY (1ULL << 12)
#define NVITOP_DQ_CLOCK_VIDEO (1ULL << 13)
#define NVITOP_DQ_MAX_CLOCKS (1ULL << 14)
#define NVITOP_DQ_FAN (1ULL << 15)
#define NVITOP_DQ_TEMPERATURE (1ULL << 16)
#define NVITOP_DQ_TEMPERATURE_LIMITS (1ULL << 17)
#define NVITOP_DQ_POWER_USAGE (1ULL << 18)
#define NVITOP_DQ_POWER_LIMIT (1ULL << 19)
#define NVITOP_DQ_ENERGY (1ULL << 20)
#define NVITOP_DQ_PSTATE (1ULL << 21)
#define NVITOP_DQ_PERSISTENCE (1ULL << 22)
#define NVITOP_DQ_DISPLAY_MODE (1ULL << 23)
#define NVITOP_DQ_DISPLAY_ACTIVE (1ULL << 24)
#define NVITOP_DQ_COMPUTE_MODE (1ULL << 25)
#define NVITOP_DQ_DRIVER_MODEL (1ULL << 26)
#define NVITOP_DQ_ECC_ERRORS (1ULL << 27) /* volatile uncorrected ECC errors */
#define NVITOP_DQ_CUDA_CAPABILITY (1ULL << 28)
#define NVITOP_DQ_MIG (1ULL << 29) /* MIG mode, max MIG count; GI/CI ids of a MIG */
#define NVITOP_DQ_PCIE_LINK (1ULL << 30)
#define NVITOP_DQ_THROTTLE (1ULL << 31)
#define NVITOP_DQ_PCIE_THROUGHPUT (1ULL << 32) /* slow: about 20 ms per direction on an H100 */
#define NVITOP_DQ_NVLINK (1ULL << 33)          /* slow: two counter reads 20 ms apart */
#define NVITOP_DQ_ECC_MODE (1ULL << 34)
#define NVITOP_DQ_ECC_AGGREGATE (1ULL << 35) /* aggregate uncorrected ECC errors */
#define NVITOP_DQ_CLOCKS                                                                           \
    (NVITOP_DQ_CLOCK_GRAPHICS | NVITOP_DQ_CLOCK_SM | NVITOP_DQ_CLOCK_MEMORY | NVITOP_DQ_CLOCK_VIDEO)
#define NVITOP_DQ_SLOW (NVITOP_DQ_PCIE_THROUGHPUT | NVITOP_DQ_NVLINK)
#define NVITOP_DQ_ALL ((1ULL << 36) - 1)
#define NVITOP_DQ_ALL_FAST (NVITOP_DQ_ALL & ~NVITOP_DQ_SLOW)

/* Values of the enumerated fields (they equal NVML's numbering). */
enum { NVITOP_DISABLED = 0, NVITOP_ENABLED = 1 };
enum {
    NVITOP_COMPUTE_MODE_DEFAULT = 0,
    NVITOP_COMPUTE_MODE_EXCLUSIVE_THREAD = 1,
    NVITOP_COMPUTE_MODE_PROHIBITED = 2,
    NVITOP_COMPUTE_MODE_EXCLUSIVE_PROCESS = 3
};
enum { NVITOP_DRIVER_MODEL_WDDM = 0, NVITOP_DRIVER_MODEL_WDM = 1, NVITOP_DRIVER_MODEL_MCDM = 2 };

/* Everything known about one device at one moment. Fields not asked for are
 * NVITOP_NA_NOT_SAMPLED. Units are in the names. */
typedef struct nvitop_device_snapshot {
    int32_t physical_index; /* NVML index of the physical GPU (the parent for a MIG) */
    int32_t mig_index;      /* index among the parent's MIG devices; -1 for a physical GPU */
    bool is_mig;
    bool memory_is_host; /* unified-memory device: memory fields are the host's */
    int32_t cuda_index;  /* position in CUDA_VISIBLE_DEVICES when resolved; else -1 */

    nvitop_str_t name;   /* "NVIDIA H100 80GB HBM3" */
    nvitop_str_t uuid;   /* "GPU-..." or "MIG-..." */
    nvitop_str_t bus_id; /* "00000000:18:00.0" */
    nvitop_str_t serial;
    nvitop_int_t minor_number;
    nvitop_int_t brand;        /* NVML brand number */
    nvitop_int_t architecture; /* NVML architecture number (9 = Hopper) */
    nvitop_int_t cuda_capability_major;
    nvitop_int_t cuda_capability_minor;

    nvitop_int_t memory_total_bytes;
    nvitop_int_t memory_used_bytes; /* excludes driver-reserved memory when NVML can tell */
    nvitop_int_t memory_free_bytes;
    nvitop_int_t memory_reserved_bytes;
    nvitop_real_t memory_percent; /* used / total * 100, one decimal as nvitop shows */
    nvitop_int_t bar1_total_bytes;
    nvitop_int_t bar1_used_bytes;
    nvitop_int_t bar1_free_bytes;
    nvitop_real_t bar1_percent;

    nvitop_int_t gpu_utilization_percent;
    nvitop_int_t memory_utilization_percent; /* memory bandwidth, %GMBW */
    nvitop_int_t encoder_utilization_percent;
    nvitop_int_t decoder_utilization_percent;

    nvitop_int_t clock_graphics_mhz;
    nvitop_int_t clock_sm_mhz;
    nvitop_int_t clock_memory_mhz;
    nvitop_int_t clock_video_mhz;
    nvitop_int_t max_clock_graphics_mhz;
    nvitop_int_t max_clock_sm_mhz;
    nvitop_int_t max_clock_memory_mhz;
    nvitop_int_t max_clock_video_mhz;

    nvitop_int_t fan_speed_percent;
    nvitop_int_t temperature_c;
    nvitop_int_t temperature_slowdown_c;
    nvitop_int_t temperature_shutdown_c;
    nvitop_int_t power_usage_mw;
    nvitop_int_t power_limit_mw;
    nvitop_real_t power_percent;        /* usage / limit * 100 */
    nvitop_int_t energy_consumption_mj; /* since the driver was loaded */
    nvitop_int_t performance_state;     /* 0..15, shown as P0..P15 */

    nvitop_int_t persistence_mode; /* NVITOP_ENABLED / NVITOP_DISABLED */
    nvitop_int_t display_mode;
    nvitop_int_t display_active;
    nvitop_int_t compute_mode; /* NVITOP_COMPUTE_MODE_* */
    nvitop_int_t driver_model; /* Windows only: NVITOP_DRIVER_MODEL_* */
    nvitop_int_t ecc_mode;
    nvitop_int_t ecc_errors_volatile_uncorrected;
    nvitop_int_t ecc_errors_aggregate_uncorrected;
    nvitop_int_t clocks_throttle_reasons; /* NVML bit mask */

    nvitop_int_t mig_mode;             /* physical only: current MIG mode */
    nvitop_int_t max_mig_device_count; /* physical only */
    nvitop_int_t gpu_instance_id;      /* MIG only */
    nvitop_int_t compute_instance_id;  /* MIG only */

    nvitop_int_t pcie_tx_kibps;
    nvitop_int_t pcie_rx_kibps;
    nvitop_int_t pcie_link_gen_max;
    nvitop_int_t pcie_link_width_max;
    nvitop_int_t pcie_link_gen;
    nvitop_int_t pcie_link_width;

    nvitop_int_t nvlink_count; /* links present (0 when the device has none) */
    nvitop_int_t nvlink_tx_kibps[NVITOP_NVLINK_MAX_LINKS];
    nvitop_int_t nvlink_rx_kibps[NVITOP_NVLINK_MAX_LINKS];
    nvitop_int_t nvlink_total_tx_kibps;
    nvitop_int_t nvlink_total_rx_kibps;
    nvitop_int_t nvlink_mean_tx_kibps;
    nvitop_int_t nvlink_mean_rx_kibps;
} nvitop_device_snapshot_t;

/* Number of physical GPUs. Returns 0 or NVITOP_ENOTINIT / NVITOP_ENVML. */
NVITOP_API int nvitop_device_count(nvitop_ctx_t *ctx, unsigned *count);

/* The physical GPU with NVML index `index`. A GPU that is lost still yields an object (every
 * query then reports NVITOP_NA_GPU_LOST). Returns 0, NVITOP_ENOTFOUND (index out of range),
 * NVITOP_ENOTINIT or NVITOP_ENVML. */
NVITOP_API int nvitop_device_get(nvitop_ctx_t *ctx, unsigned index, nvitop_device_t **dev);

/* By full UUID ("GPU-..." for a physical GPU, "MIG-..." or "MIG-GPU-<uuid>/<gi>/<ci>" for a
 * MIG device) or by PCI bus id ("00000000:18:00.0", case-insensitive, short forms accepted).
 * Returns 0, NVITOP_ENOTFOUND, NVITOP_EINVAL, NVITOP_ENOTINIT or NVITOP_ENVML. */
NVITOP_API int nvitop_device_by_uuid(nvitop_ctx_t *ctx, const char *uuid, nvitop_device_t **dev);
NVITOP_API int nvitop_device_by_bus_id(nvitop_ctx_t *ctx, const char *bus_id,
                                       nvitop_device_t **dev);

/* MIG instances of a physical GPU (0 when MIG is off or unsupported, or for a MIG device). */
NVITOP_API unsigned nvitop_device_mig_count(nvitop_device_t *dev);
NVITOP_API int nvitop_device_mig_get(nvitop_device_t *dev, unsigned mig_index,
                                     nvitop_device_t **mig);

NVITOP_API bool nvitop_device_is_mig(const nvitop_device_t *dev);
/* The physical parent of a MIG device; the device itself for a physical GPU. */
NVITOP_API nvitop_device_t *nvitop_device_parent(nvitop_device_t *dev);
NVITOP_API unsigned nvitop_device_physical_index(const nvitop_device_t *dev);
/* -1 for a physical GPU. */
NVITOP_API int nvitop_device_mig_index(const nvitop_device_t *dev);

/* Queries the groups in `what` (NVITOP_DQ_*) and fills *out; every other field is
 * NVITOP_NA_NOT_SAMPLED. Strings are borrowed from the device object (valid until
 * nvitop_shutdown()). Never fails for a lost or faulty GPU: such values carry their reason.
 * Returns 0 or NVITOP_EINVAL. */
NVITOP_API int nvitop_device_query(nvitop_device_t *dev, uint64_t what,
                                   nvitop_device_snapshot_t *out);

/* Sets every field of *out to NVITOP_NA_NOT_SAMPLED and the indices to -1. */
NVITOP_API void nvitop_device_snapshot_clear(nvitop_device_snapshot_t *out);

/* Display helpers used by every output: "Enabled"/"Disabled", "Default"/"Exclusive Thread"/
 * "Prohibited"/"Exclusive Process", "WDDM"/"WDM"/"MCDM", "Hopper", ... NULL if unknown. */
NVITOP_API const char *nvitop_enable_state_string(int64_t state);
NVITOP_API const char *nvitop_compute_mode_string(int64_t mode);
NVITOP_API const char *nvitop_driver_model_string(int64_t model);
NVITOP_API const char *nvitop_architecture_string(int64_t architecture);
NVITOP_API const char *nvitop_brand_string(int64_t brand);

/* The field table: one row per scalar field of nvitop_device_snapshot_t, in declaration order.
 * It feeds the JSON output and the exporter, so every output names and scales a field alike. */
typedef enum nvitop_value_type {
    NVITOP_VALUE_INT,
    NVITOP_VALUE_REAL,
    NVITOP_VALUE_STR
} nvitop_value_type_t;

typedef struct nvitop_field_info {
    const char *key;         /* "memory_used_bytes": the unit is part of the name */
    const char *unit;        /* "B", "%", "MHz", "mW", "mJ", "C", "KiB/s" or "" */
    const char *description; /* one line of English */
    nvitop_value_type_t type;
    size_t offset;  /* offsetof() in the snapshot struct */
    uint64_t query; /* the NVITOP_DQ_* bit that fills it */
} nvitop_field_info_t;

/* Static table; *count receives its length. */
NVITOP_API const nvitop_field_info_t *nvitop_device_fields(size_t *count);

#ifdef __cplusplus
}
#endif

#endif
