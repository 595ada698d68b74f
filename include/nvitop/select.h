/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * Device selection: the devices that meet memory and utilisation constraints, best first, the
 * way nvitop's select_devices() (and so nvisel) picks them for CUDA_VISIBLE_DEVICES. */
#ifndef NVITOP_SELECT_H
#define NVITOP_SELECT_H

#include <nvitop/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How nvitop_select_devices() writes the identifiers of the chosen devices. */
typedef enum nvitop_select_format {
    NVITOP_SELECT_FORMAT_INDEX = 0, /**< NVML indices: "3" (a selected MIG device switches the
                                     * whole result to UUIDs unless force_index) */
    NVITOP_SELECT_FORMAT_UUID = 1,  /**< "GPU-..." or "MIG-..." */
} nvitop_select_format_t;

/** The constraints. Fill with nvitop_select_options_init() first: every constraint is then off
 * and the result is every leaf device, best first. Negative limits mean "no constraint". */
typedef struct nvitop_select_options {
    /** The devices to choose from, e.g. the result of nvitop_cuda_devices(). NULL: every
     * physical GPU. A physical GPU with MIG enabled stands for its MIG devices (none if it
     * has none); a MIG device stands for itself. */
    nvitop_device_t *const *devices;
    size_t device_count;           /**< entries in `devices` */
    nvitop_select_format_t format; /**< of the identifiers; index after init */
    bool force_index;  /**< keep NVITOP_SELECT_FORMAT_INDEX even when a MIG device is selected */
    size_t min_count;  /**< needed to keep non-MIG devices when MIG devices are candidates too;
                        * fewer results than this are not an error (the caller checks) */
    int64_t max_count; /**< -1: no limit; 0: the result is empty */
    int64_t min_free_memory_bytes;          /**< -1: no constraint */
    int64_t min_total_memory_bytes;         /**< -1: no constraint */
    int64_t max_gpu_utilization_percent;    /**< -1: no constraint */
    int64_t max_memory_utilization_percent; /**< -1: no constraint (memory bandwidth, %GMBW) */
    /** Loosens each constraint by this many percent (free memory >= min * (1 - tol/100),
     * utilisation <= max + tol); devices that need the tolerance rank after those that meet
     * the strict constraints. >= 0; 0 after init (Python's select_devices() default; nvisel
     * uses 10). */
    int64_t tolerance_percent;
    /** GPU memory used by processes of these users counts as free. NULL/0: none. */
    const char *const *free_accounts;
    size_t free_account_count; /**< entries in `free_accounts` */
    bool no_sort;              /**< keep the order of `devices` (enumeration order) */
} nvitop_select_options_t;

/** Sets every constraint off, format index, sort on. */
NVITOP_API void nvitop_select_options_init(nvitop_select_options_t *opts);

/** One chosen device and the values it was judged by. */
typedef struct nvitop_selected_device {
    nvitop_device_t *device; /**< borrowed from the context (valid until nvitop_shutdown()) */
    int32_t physical_index;  /**< NVML index of the GPU (the parent of a MIG device) */
    int32_t mig_index;       /**< -1 for a physical GPU */
    bool is_mig;             /**< a MIG device */
    /** The identifier to write into CUDA_VISIBLE_DEVICES, in the result's format: "3", the UUID,
     * or "(2, 0)" for a MIG device with force_index (as Python writes the tuple). A device
     * whose UUID the driver would not give is never selected where a UUID is written. Owned
     * by the selection. */
    const char *id;
    /** The values the device was judged by. Memory after --account-as-free; N/A where the
     * driver did not say (or, with free accounts, where the sum is unknown). */
    nvitop_int_t memory_free_bytes;
    nvitop_int_t memory_used_bytes;          /**< used memory it was judged by */
    nvitop_int_t memory_total_bytes;         /**< total memory it was judged by */
    nvitop_int_t gpu_utilization_percent;    /**< GPU utilisation it was judged by */
    nvitop_int_t memory_utilization_percent; /**< memory bandwidth utilisation, the same */
    unsigned loosened; /**< how many constraints the device meets only thanks to the tolerance */
} nvitop_selected_device_t;

/** The result of nvitop_select_devices(); owns everything it holds but the device objects. */
typedef struct nvitop_selection {
    size_t count;                      /**< entries in `devices` */
    nvitop_selected_device_t *devices; /**< best first (or in input order with no_sort) */
    nvitop_select_format_t format;     /**< of the ids: UUID when a MIG device forced it */
    size_t candidate_count;            /**< leaf devices considered before the constraints */
} nvitop_selection_t;

/** Selects devices as nvitop 1.7's select_devices() does:
 * 1. candidates: the leaf devices of opts->devices (every physical GPU if NULL); a GPU that
 *    NVML reports lost, or whose handle NVML refuses, is left out (Python keeps it, with N/A
 *    values, and ranks it first), and so is a device without a UUID where one is written (a
 *    MIG device, or the UUID format; Python writes NVITOP_NA_TEXT);
 * 2. with free_accounts, the GPU memory of those users' processes moves from used to free;
 * 3. each constraint keeps a device that meets it loosened by the tolerance, and counts in
 *    `loosened` each one it fails strictly. A value the driver does not give (N/A) meets a
 *    minimum (memory) and fails a maximum (utilisation), as nvitop's NA compares greater
 *    than any number; an unknown sum after free_accounts meets nothing;
 * 4. unless no_sort: ascending `loosened`, then free memory descending, used memory
 *    descending, GPU utilisation ascending, memory utilisation ascending, physical index
 *    descending (GPU 0 is left for last). For each value N/A ranks first (nvitop's order);
 *    two devices with unknown free (or used) memory keep their input order;
 * 5. if a candidate is a MIG device: only the non-MIG devices are kept when there are at least
 *    min_count > 0 of them or the first device is not a MIG device; otherwise only the first
 *    MIG device (CUDA shows one at most), and the format becomes UUID unless force_index;
 * 6. at most max_count devices.
 * Queries memory, utilisation (and the UUID for the UUID format, and the processes with
 * free_accounts) once per candidate. On success *out holds the result (free with
 * nvitop_selection_free()). Returns 0, NVITOP_EINVAL (NULL arguments, negative tolerance,
 * 0 < max_count < min_count), NVITOP_ENOTINIT, NVITOP_ENOMEM or NVITOP_ENVML. */
NVITOP_API int nvitop_select_devices(nvitop_ctx_t *ctx, const nvitop_select_options_t *opts,
                                     nvitop_selection_t **out);

/** Frees a selection. NULL is a no-op. */
NVITOP_API void nvitop_selection_free(nvitop_selection_t *selection);

#ifdef __cplusplus
}
#endif

#endif
