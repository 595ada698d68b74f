/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * CUDA_VISIBLE_DEVICES: which devices a CUDA program would see, in CUDA's order: with NVML
 * alone (nvitop_cuda_visible_devices) or by asking the CUDA driver (nvitop_cuda_devices). */
#ifndef NVITOP_CUDA_H
#define NVITOP_CUDA_H

#include <nvitop/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Resolves a CUDA_VISIBLE_DEVICES value the way the CUDA driver reads it, with NVML only:
 * comma-separated entries, each an index (leading digits count: "1abc" is 1), a full or
 * abbreviated "GPU-<uuid>" (a prefix matching exactly one GPU), or a MIG device
 * ("MIG-<uuid>" or "MIG-GPU-<uuid>/<gi>/<ci>"). Parsing stops at the first entry that is
 * invalid or names no device; a repeated device makes the whole list empty. If a MIG device
 * is listed only the first MIG device is visible; a listed MIG-enabled GPU is replaced by its
 * first MIG instance. value NULL means "unset": every physical GPU. Indices follow NVML
 * (PCI bus) order.
 * On success *devices (free with nvitop_free(); the objects are borrowed from the context)
 * holds *count devices in CUDA order. Returns 0, NVITOP_ENOTINIT, NVITOP_ENVML or
 * NVITOP_ENOMEM. */
NVITOP_API int nvitop_cuda_visible_devices(nvitop_ctx_t *ctx, const char *value,
                                           nvitop_device_t ***devices, size_t *count);

/** The same list written as comma-separated UUIDs (physical "GPU-..." or "MIG-..."), the
 * form that survives re-ordering of indices. Free *uuids with nvitop_free(). */
NVITOP_API int nvitop_cuda_visible_normalize(nvitop_ctx_t *ctx, const char *value, char **uuids);

/** Where the CUDA order of nvitop_cuda_devices() came from. */
typedef enum nvitop_cuda_source {
    NVITOP_CUDA_SOURCE_DRIVER = 0,   /**< the CUDA driver itself, asked in a child process */
    NVITOP_CUDA_SOURCE_NO_DRIVER,    /**< no libcuda (or no nvitop-cuda-probe): NVML rules */
    NVITOP_CUDA_SOURCE_DRIVER_ERROR, /**< libcuda failed or its answer was unusable: NVML rules */
    NVITOP_CUDA_SOURCE_TIMEOUT,      /**< the driver did not answer in time: NVML rules */
    NVITOP_CUDA_SOURCE_NVML_ONLY,    /**< the options asked for NVML rules */
} nvitop_cuda_source_t;

/** Options of nvitop_cuda_devices(); zero-initialise (`= {0}`) for the defaults. */
typedef struct nvitop_cuda_options {
    /** The CUDA driver library. NULL: $NVITOP_CUDA_LIBRARY if set, else libcuda.so.1,
     * libcuda.so and the usual driver directories. */
    const char *cuda_library;
    /** The nvitop-cuda-probe helper. NULL: $NVITOP_CUDA_PROBE if set, else the one beside the
     * running program or libnvitop.so, in the libexec directory installed beside them, or in
     * the configured libexec directory. */
    const char *probe_path;
    /** How long the driver may take. <= 0: $NVITOP_CUDA_TIMEOUT (seconds) if it is a number
     * > 0 and at most 86400, else 60 s. */
    double timeout_s;
    bool nvml_only; /**< do not ask the driver: nvitop_cuda_visible_devices()'s rules */
} nvitop_cuda_options_t;

/** The devices a CUDA program started with CUDA_VISIBLE_DEVICES=value (NULL: unset) would see,
 * in CUDA's order (cuda:0 first), as Python nvitop resolves them: the CUDA driver is asked in
 * a short-lived child process (nvitop-cuda-probe; this process never creates a CUDA context),
 * so CUDA_DEVICE_ORDER, CUDA's own default order (fastest first) and its reading of the value
 * apply exactly. Its answer is mapped to NVML devices: UUIDs of physical GPUs that are not
 * MIG-capable are taken as they are; otherwise (MIG devices, MIG-capable GPUs) the answer is
 * read again with nvitop_cuda_visible_devices()'s rules. When the driver reports that no device
 * is visible the list is empty. Without libcuda, when it fails, or after opts->timeout_s (the
 * child is then killed), the value is read with nvitop_cuda_visible_devices()'s rules (NVML
 * order) and nvitop_ctx_message() says why. opts may be NULL (defaults). *source (may be
 * NULL) says which path gave the result. *devices (free with nvitop_free(); the objects are
 * borrowed from the context) holds *count devices. Each call runs the helper once (the cost of
 * a process start plus the driver's cuInit): keep the result if you need it often. Usable in a
 * multi-threaded program (the child is started with posix_spawn; the context itself still
 * serves one thread at a time). Returns 0, NVITOP_EINVAL, NVITOP_ENOTINIT, NVITOP_ENVML or
 * NVITOP_ENOMEM. */
NVITOP_API int nvitop_cuda_devices(nvitop_ctx_t *ctx, const char *value,
                                   const nvitop_cuda_options_t *opts, nvitop_device_t ***devices,
                                   size_t *count, nvitop_cuda_source_t *source);

/** The version of the CUDA runtime library (libcudart) a CUDA program would load, e.g. 12040
 * for 12.4, found as Python nvitop finds it: $NVITOP_CUDART_LIBRARY if set (only it), else
 * libcudart.so from the dynamic loader's path, then lib64/ and lib/ under $CUDA_PATH,
 * $CUDA_HOME, $CUDA_ROOT and /usr/local/cuda. The library is loaded for the call
 * (cudaRuntimeGetVersion needs no GPU and creates no CUDA context) and unloaded. N/A with
 * NVITOP_NA_NO_FUNCTION when no library (or no such function) is found, NVITOP_NA_DRIVER_ERROR
 * when the call fails. Needs no context; safe from any thread. */
NVITOP_API nvitop_int_t nvitop_cuda_runtime_version(void);

/** "driver", "no CUDA driver", "CUDA driver error", "CUDA driver timeout", "NVML only". */
NVITOP_API const char *nvitop_cuda_source_string(nvitop_cuda_source_t source);

#ifdef __cplusplus
}
#endif

#endif
