/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * Devices: physical GPUs and MIG instances, what can be asked of them, and the plain-data
 * record (nvitop_device_snapshot_t) every answer lands in. */
#ifndef NVITOP_DEVICE_H
#define NVITOP_DEVICE_H

#include <nvitop/context.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A device object. Owned by the context: valid until nvitop_shutdown() or nvitop_ctx_free(). */
typedef struct nvitop_device nvitop_device_t;

/** Entries of the per-link arrays of nvitop_device_snapshot_t: 18, NVML_NVLINK_MAX_LINKS before
 * CUDA 13.3, frozen with the 1.x layout. A device may have more links (up to
 * NVITOP_NVLINK_LINKS_MAX): nvitop_nvlinks_t holds them all. */
#define NVITOP_NVLINK_MAX_LINKS 18
/** Most NVLinks a device has: NVML_NVLINK_MAX_LINKS of CUDA 13.3's nvml.h (was 18). */
#define NVITOP_NVLINK_LINKS_MAX 36

/** What to query: each bit is one NVML question (one or a few calls). Static facts (name, UUID,
 * bus id, serial, total memory, max clocks, limits, capability) are read once per device and
 * then served from the cache; a "not supported" answer is remembered and never asked again. */
#define NVITOP_DQ_NAME (1ULL << 0)
#define NVITOP_DQ_UUID (1ULL << 1)                /**< "GPU-..." or "MIG-..." */
#define NVITOP_DQ_BUS_ID (1ULL << 2)              /**< PCI bus id */
#define NVITOP_DQ_SERIAL (1ULL << 3)              /**< board serial number */
#define NVITOP_DQ_BOARD (1ULL << 4)               /**< minor number, brand, architecture */
#define NVITOP_DQ_MEMORY (1ULL << 5)              /**< total / used / free / reserved memory */
#define NVITOP_DQ_BAR1 (1ULL << 6)                /**< BAR1 memory */
#define NVITOP_DQ_UTILIZATION (1ULL << 7)         /**< GPU and memory-bandwidth utilisation */
#define NVITOP_DQ_ENCODER (1ULL << 8)             /**< encoder utilisation */
#define NVITOP_DQ_DECODER (1ULL << 9)             /**< decoder utilisation */
#define NVITOP_DQ_CLOCK_GRAPHICS (1ULL << 10)     /**< current graphics clock */
#define NVITOP_DQ_CLOCK_SM (1ULL << 11)           /**< current SM clock */
#define NVITOP_DQ_CLOCK_MEMORY (1ULL << 12)       /**< current memory clock */
#define NVITOP_DQ_CLOCK_VIDEO (1ULL << 13)        /**< current video clock */
#define NVITOP_DQ_MAX_CLOCKS (1ULL << 14)         /**< maximum clocks */
#define NVITOP_DQ_FAN (1ULL << 15)                /**< fan speed */
#define NVITOP_DQ_TEMPERATURE (1ULL << 16)        /**< GPU temperature */
#define NVITOP_DQ_TEMPERATURE_LIMITS (1ULL << 17) /**< slowdown and shutdown temperatures */
#define NVITOP_DQ_POWER_USAGE (1ULL << 18)        /**< power draw */
#define NVITOP_DQ_POWER_LIMIT (1ULL << 19)        /**< power limit */
#define NVITOP_DQ_ENERGY (1ULL << 20)             /**< energy consumed since the driver loaded */
#define NVITOP_DQ_PSTATE (1ULL << 21)             /**< performance state */
#define NVITOP_DQ_PERSISTENCE (1ULL << 22)        /**< persistence mode */
#define NVITOP_DQ_DISPLAY_MODE (1ULL << 23)       /**< display mode */
#define NVITOP_DQ_DISPLAY_ACTIVE (1ULL << 24)     /**< display active */
#define NVITOP_DQ_COMPUTE_MODE (1ULL << 25)       /**< compute mode */
#define NVITOP_DQ_DRIVER_MODEL (1ULL << 26)       /**< driver model (Windows) */
#define NVITOP_DQ_ECC_ERRORS (1ULL << 27)         /**< volatile uncorrected ECC errors */
#define NVITOP_DQ_CUDA_CAPABILITY (1ULL << 28)    /**< CUDA compute capability */
#define NVITOP_DQ_MIG (1ULL << 29)             /**< MIG mode, max MIG count; GI/CI ids of a MIG */
#define NVITOP_DQ_PCIE_LINK (1ULL << 30)       /**< PCIe link generation and width */
#define NVITOP_DQ_THROTTLE (1ULL << 31)        /**< clock throttle reasons */
#define NVITOP_DQ_PCIE_THROUGHPUT (1ULL << 32) /**< slow: both directions (20 ms each) */
#define NVITOP_DQ_NVLINK (1ULL << 33)          /**< slow: two counter reads 20 ms apart */
#define NVITOP_DQ_ECC_MODE (1ULL << 34)        /**< ECC mode */
#define NVITOP_DQ_ECC_AGGREGATE (1ULL << 35)   /**< aggregate uncorrected ECC errors */
#define NVITOP_DQ_PCIE_TX (1ULL << 36) /**< slow: PCIe transmit throughput only (about 20 ms) */
#define NVITOP_DQ_PCIE_RX (1ULL << 37) /**< slow: PCIe receive throughput only (about 20 ms) */
/** every current clock */
#define NVITOP_DQ_CLOCKS                                                                           \
    (NVITOP_DQ_CLOCK_GRAPHICS | NVITOP_DQ_CLOCK_SM | NVITOP_DQ_CLOCK_MEMORY | NVITOP_DQ_CLOCK_VIDEO)
#define NVITOP_DQ_SLOW (NVITOP_DQ_PCIE_THROUGHPUT | NVITOP_DQ_NVLINK) /**< the slow questions */
#define NVITOP_DQ_ALL ((1ULL << 36) - 1)                              /**< everything */
#define NVITOP_DQ_ALL_FAST                                                                         \
    (NVITOP_DQ_ALL & ~NVITOP_DQ_SLOW) /**< everything but the slow questions */

/** Values of the enumerated fields (they equal NVML's numbering). */
enum { NVITOP_DISABLED = 0, NVITOP_ENABLED = 1 };
enum {
    NVITOP_COMPUTE_MODE_DEFAULT = 0,
    NVITOP_COMPUTE_MODE_EXCLUSIVE_THREAD = 1,
    NVITOP_COMPUTE_MODE_PROHIBITED = 2,
    NVITOP_COMPUTE_MODE_EXCLUSIVE_PROCESS = 3
};
enum { NVITOP_DRIVER_MODEL_WDDM = 0, NVITOP_DRIVER_MODEL_WDM = 1, NVITOP_DRIVER_MODEL_MCDM = 2 };

/** Everything known about one device at one moment. Fields not asked for are
 * NVITOP_NA_NOT_SAMPLED. Units are in the names. Its size and layout are fixed for 1.x
 * (callers allocate it and step through arrays of it): docs/library.md, "Adding a field". */
typedef struct nvitop_device_snapshot {
    int32_t physical_index; /**< NVML index of the physical GPU (the parent for a MIG) */
    int32_t mig_index;      /**< index among the parent's MIG devices; -1 for a physical GPU */
    bool is_mig;            /**< a MIG device */
    bool memory_is_host;    /**< a GPU that shares the host's memory (NVML: ATS addressing) and
                                 has no figures of its own: memory fields are the host's */
    int32_t cuda_index;     /**< position in CUDA_VISIBLE_DEVICES when resolved; else -1 */

    nvitop_str_t name;                  /**< "NVIDIA H100 80GB HBM3" */
    nvitop_str_t uuid;                  /**< "GPU-..." or "MIG-..." */
    nvitop_str_t bus_id;                /**< "00000000:18:00.0" */
    nvitop_str_t serial;                /**< board serial number */
    nvitop_int_t minor_number;          /**< N in /dev/nvidiaN */
    nvitop_int_t brand;                 /**< NVML brand number */
    nvitop_int_t architecture;          /**< NVML architecture number (9 = Hopper) */
    nvitop_int_t cuda_capability_major; /**< compute capability, major */
    nvitop_int_t cuda_capability_minor; /**< compute capability, minor */

    nvitop_int_t memory_total_bytes;    /**< total memory */
    nvitop_int_t memory_used_bytes;     /**< excludes driver-reserved memory when NVML can tell */
    nvitop_int_t memory_free_bytes;     /**< free memory */
    nvitop_int_t memory_reserved_bytes; /**< reserved by the driver */
    nvitop_real_t memory_percent;       /**< used / total * 100, one decimal as nvitop shows */
    nvitop_int_t bar1_total_bytes;      /**< BAR1 aperture size */
    nvitop_int_t bar1_used_bytes;       /**< BAR1 in use */
    nvitop_int_t bar1_free_bytes;       /**< BAR1 free */
    nvitop_real_t bar1_percent;         /**< used / total * 100 */

    nvitop_int_t gpu_utilization_percent;     /**< GPU (SM) utilisation */
    nvitop_int_t memory_utilization_percent;  /**< memory bandwidth, %GMBW */
    nvitop_int_t encoder_utilization_percent; /**< video encoder */
    nvitop_int_t decoder_utilization_percent; /**< video decoder */

    nvitop_int_t clock_graphics_mhz;     /**< current graphics clock */
    nvitop_int_t clock_sm_mhz;           /**< current SM clock */
    nvitop_int_t clock_memory_mhz;       /**< current memory clock */
    nvitop_int_t clock_video_mhz;        /**< current video clock */
    nvitop_int_t max_clock_graphics_mhz; /**< maximum graphics clock */
    nvitop_int_t max_clock_sm_mhz;       /**< maximum SM clock */
    nvitop_int_t max_clock_memory_mhz;   /**< maximum memory clock */
    nvitop_int_t max_clock_video_mhz;    /**< maximum video clock */

    nvitop_int_t fan_speed_percent;      /**< N/A for a MIG or fanless device */
    nvitop_int_t temperature_c;          /**< GPU core temperature */
    nvitop_int_t temperature_slowdown_c; /**< clocks slow down above it */
    nvitop_int_t temperature_shutdown_c; /**< the GPU shuts down above it */
    nvitop_int_t power_usage_mw;         /**< power draw, milliwatts */
    nvitop_int_t power_limit_mw;         /**< enforced power limit, milliwatts */
    nvitop_real_t power_percent;         /**< usage / limit * 100 */
    nvitop_int_t energy_consumption_mj;  /**< since the driver was loaded */
    nvitop_int_t performance_state;      /**< 0..15, shown as P0..P15 */

    nvitop_int_t persistence_mode;                 /**< NVITOP_ENABLED / NVITOP_DISABLED */
    nvitop_int_t display_mode;                     /**< NVITOP_ENABLED / NVITOP_DISABLED */
    nvitop_int_t display_active;                   /**< NVITOP_ENABLED / NVITOP_DISABLED */
    nvitop_int_t compute_mode;                     /**< NVITOP_COMPUTE_MODE_* */
    nvitop_int_t driver_model;                     /**< Windows only: NVITOP_DRIVER_MODEL_* */
    nvitop_int_t ecc_mode;                         /**< NVITOP_ENABLED / NVITOP_DISABLED */
    nvitop_int_t ecc_errors_volatile_uncorrected;  /**< since the driver loaded */
    nvitop_int_t ecc_errors_aggregate_uncorrected; /**< over the board's life */
    nvitop_int_t clocks_throttle_reasons;          /**< NVML bit mask */

    nvitop_int_t mig_mode;             /**< physical only: current MIG mode */
    nvitop_int_t max_mig_device_count; /**< physical only */
    nvitop_int_t gpu_instance_id;      /**< MIG only */
    nvitop_int_t compute_instance_id;  /**< MIG only */

    nvitop_int_t pcie_tx_kibps;       /**< PCIe transmit throughput */
    nvitop_int_t pcie_rx_kibps;       /**< PCIe receive throughput */
    nvitop_int_t pcie_link_gen_max;   /**< maximum PCIe generation */
    nvitop_int_t pcie_link_width_max; /**< maximum PCIe lanes */
    nvitop_int_t pcie_link_gen;       /**< current PCIe generation */
    nvitop_int_t pcie_link_width;     /**< current PCIe lanes */

    /** Links in the two arrays below: the links present, but at most NVITOP_NVLINK_MAX_LINKS
     * (0 when the device has none). A device with more has them all in nvitop_nvlinks_t. */
    nvitop_int_t nvlink_count;
    nvitop_int_t nvlink_tx_kibps[NVITOP_NVLINK_MAX_LINKS]; /**< per link, the first nvlink_count */
    nvitop_int_t nvlink_rx_kibps[NVITOP_NVLINK_MAX_LINKS]; /**< per link, the first nvlink_count */
    nvitop_int_t nvlink_total_tx_kibps;                    /**< sum over all the links */
    nvitop_int_t nvlink_total_rx_kibps;                    /**< sum over all the links */
    nvitop_int_t nvlink_mean_tx_kibps;                     /**< mean over all the links */
    nvitop_int_t nvlink_mean_rx_kibps;                     /**< mean over all the links */
} nvitop_device_snapshot_t;

/** Every NVLink of a device, up to NVITOP_NVLINK_LINKS_MAX (the snapshot's arrays stop at
 * NVITOP_NVLINK_MAX_LINKS). A record that may grow: `size` is the part the library filled; a
 * reader checks `size > offsetof(nvitop_nvlinks_t, field)` before reading a field newer than
 * its headers, and steps through an array of them by `size`. */
typedef struct nvitop_nvlinks {
    size_t size;        /**< bytes filled: the library's sizeof, or less if the caller's is */
    nvitop_int_t count; /**< links present (0 when the device has none) */
    nvitop_int_t tx_kibps[NVITOP_NVLINK_LINKS_MAX]; /**< per link, the first `count` */
    nvitop_int_t rx_kibps[NVITOP_NVLINK_LINKS_MAX]; /**< per link, the first `count` */
} nvitop_nvlinks_t;

/** Number of physical GPUs. Returns 0 or NVITOP_ENOTINIT / NVITOP_ENVML. */
NVITOP_API int nvitop_device_count(nvitop_ctx_t *ctx, unsigned *count);

/** The physical GPU with NVML index `index`. A GPU that is lost still yields an object (every
 * query then reports NVITOP_NA_GPU_LOST). Returns 0, NVITOP_ENOTFOUND (index out of range),
 * NVITOP_ENOTINIT or NVITOP_ENVML. */
NVITOP_API int nvitop_device_get(nvitop_ctx_t *ctx, unsigned index, nvitop_device_t **dev);

/** By full UUID ("GPU-..." for a physical GPU, "MIG-..." or "MIG-GPU-<uuid>/<gi>/<ci>" for a
 * MIG device) or by PCI bus id ("00000000:18:00.0", case-insensitive, short forms accepted).
 * Returns 0, NVITOP_ENOTFOUND, NVITOP_EINVAL, NVITOP_ENOTINIT or NVITOP_ENVML. */
NVITOP_API int nvitop_device_by_uuid(nvitop_ctx_t *ctx, const char *uuid, nvitop_device_t **dev);
/** By PCI bus id, as nvitop_device_by_uuid() (same returns). */
NVITOP_API int nvitop_device_by_bus_id(nvitop_ctx_t *ctx, const char *bus_id,
                                       nvitop_device_t **dev);

/** MIG instances of a physical GPU (0 when MIG is off or unsupported, or for a MIG device). */
NVITOP_API unsigned nvitop_device_mig_count(nvitop_device_t *dev);
/** The MIG device `mig_index` of a physical GPU, borrowed from the context. Returns 0,
 * NVITOP_ENOTFOUND (no such MIG device) or NVITOP_EINVAL. */
NVITOP_API int nvitop_device_mig_get(nvitop_device_t *dev, unsigned mig_index,
                                     nvitop_device_t **mig);

/** True for a MIG device. */
NVITOP_API bool nvitop_device_is_mig(const nvitop_device_t *dev);
/** The physical parent of a MIG device; the device itself for a physical GPU. */
NVITOP_API nvitop_device_t *nvitop_device_parent(nvitop_device_t *dev);
/** NVML index of the physical GPU (of the parent for a MIG device). */
NVITOP_API unsigned nvitop_device_physical_index(const nvitop_device_t *dev);
/** -1 for a physical GPU. */
NVITOP_API int nvitop_device_mig_index(const nvitop_device_t *dev);

/** Queries the groups in `what` (NVITOP_DQ_*) and fills *out; every other field is
 * NVITOP_NA_NOT_SAMPLED. Strings are borrowed from the device object (valid until
 * nvitop_shutdown()). Never fails for a lost or faulty GPU: such values carry their reason.
 * Both PCIe throughput directions asked together are asked at once, by two short-lived threads
 * that make only those NVML calls (as nvitop_devices_query()). Returns 0 or NVITOP_EINVAL. */
NVITOP_API int nvitop_device_query(nvitop_device_t *dev, uint64_t what,
                                   nvitop_device_snapshot_t *out);

/** A query of several devices under way: nvitop_devices_query_begin() to _end(). */
typedef struct nvitop_devices_query nvitop_devices_query_t;

/** Starts nvitop_devices_query(): the slow PCIe throughput questions in `what`
 * (NVITOP_DQ_PCIE_TX, NVITOP_DQ_PCIE_RX, NVITOP_DQ_PCIE_THROUGHPUT) of every device are asked at
 * once, one thread per device and direction, while this returns. Those threads make only NVML
 * calls (NVML is thread-safe); the context stays the caller's, who may go on using it (on one
 * thread at a time, as always) until nvitop_devices_query_end(), which must come before
 * nvitop_shutdown() or nvitop_ctx_free(). `devices` is copied. Returns 0 with *out set,
 * NVITOP_EINVAL (a NULL argument or entry), NVITOP_ENOTINIT or NVITOP_ENOMEM (*out NULL). */
NVITOP_API int nvitop_devices_query_begin(nvitop_device_t *const *devices, size_t count,
                                          uint64_t what, nvitop_devices_query_t **out);

/** Finishes a query: waits for its slow answers, asks the other questions of `what` (on this
 * thread) and fills out[0..count-1] as nvitop_device_query(devices[i], what, &out[i]) would,
 * with the same NVML calls. Frees the query, whatever it returns. Returns 0, NVITOP_EINVAL (a
 * NULL argument; the query is still freed) or NVITOP_ENOTINIT. */
NVITOP_API int nvitop_devices_query_end(nvitop_devices_query_t *query,
                                        nvitop_device_snapshot_t *out);

/** nvitop_device_query() of `count` devices into out[0..count-1], the slow PCIe throughput
 * questions of all of them asked concurrently: about 20 ms in all instead of 20 ms per device
 * and direction, when the driver answers devices in parallel. Returns as
 * nvitop_devices_query_begin() and nvitop_devices_query_end(). */
NVITOP_API int nvitop_devices_query(nvitop_device_t *const *devices, size_t count, uint64_t what,
                                    nvitop_device_snapshot_t *out);
/** Every link's throughput as the last nvitop_device_query() with NVITOP_DQ_NVLINK on this
 * device measured it (NVITOP_NA_NOT_SAMPLED before one). Fills the first `out_size` bytes of
 * *out at most (pass sizeof(*out)) and sets out->size to the bytes filled. Returns 0 or
 * NVITOP_EINVAL (a NULL argument, or out_size below offsetof(nvitop_nvlinks_t, tx_kibps)). */
NVITOP_API int nvitop_device_nvlinks(nvitop_device_t *dev, nvitop_nvlinks_t *out, size_t out_size);

/** Sets every field of *out to NVITOP_NA_NOT_SAMPLED and the indices to -1. */
NVITOP_API void nvitop_device_snapshot_clear(nvitop_device_snapshot_t *out);

/** Display helpers used by every output (static strings). "Enabled" or "Disabled"; NULL if
 * unknown. */
NVITOP_API const char *nvitop_enable_state_string(int64_t state);
/** "Default", "Exclusive Thread", "Prohibited" or "Exclusive Process"; NULL if unknown. */
NVITOP_API const char *nvitop_compute_mode_string(int64_t mode);
/** "WDDM", "WDM" or "MCDM"; NULL if unknown. */
NVITOP_API const char *nvitop_driver_model_string(int64_t model);
/** "Kepler" ... "Hopper", "Blackwell"; NULL if unknown. */
NVITOP_API const char *nvitop_architecture_string(int64_t architecture);
/** "Quadro", "Tesla", "GeForce", ... ("Unknown" for 0); NULL if out of range. */
NVITOP_API const char *nvitop_brand_string(int64_t brand);

/** The field table: one row per scalar field of nvitop_device_snapshot_t, in declaration order.
 * It feeds the JSON output and the exporter, so every output names and scales a field alike. */
typedef enum nvitop_value_type {
    NVITOP_VALUE_INT,
    NVITOP_VALUE_REAL,
    NVITOP_VALUE_STR
} nvitop_value_type_t;

/** One row of the field table. */
typedef struct nvitop_field_info {
    const char *key;          /**< "memory_used_bytes": the unit is part of the name */
    const char *unit;         /**< "B", "%", "MHz", "mW", "mJ", "C", "KiB/s" or "" */
    const char *description;  /**< one line of English */
    nvitop_value_type_t type; /**< which of nvitop_int_t, nvitop_real_t, nvitop_str_t */
    size_t offset;            /**< offsetof() in the snapshot struct */
    uint64_t query;           /**< the NVITOP_DQ_* bit that fills it */
} nvitop_field_info_t;

/** Static table; *count receives its length. */
NVITOP_API const nvitop_field_info_t *nvitop_device_fields(size_t *count);

#ifdef __cplusplus
}
#endif

#endif
