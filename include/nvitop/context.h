/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * The context: the loaded NVML library, the /proc root, the clock and every cache. */
#ifndef NVITOP_CONTEXT_H
#define NVITOP_CONTEXT_H

#include <nvitop/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A context: the loaded NVML library, the /proc root, the clock, every cache and the last
 * error message. There is no global state: everything hangs off a context. A context serves one
 * thread at a time (guard it, or give each thread its own); different contexts may be used
 * concurrently. Device objects, borrowed strings and messages it hands out live as long as it
 * does (until nvitop_shutdown() for device objects). */
typedef struct nvitop_ctx nvitop_ctx_t;

/** Monotonic clock in nanoseconds; tests may inject their own. */
typedef uint64_t (*nvitop_clock_fn)(void *arg);

/** Options of nvitop_ctx_new(); zero-initialise (`= {0}`) for the defaults. */
typedef struct nvitop_options {
    /** Path of the NVML library to load. NULL: $NVITOP_NVML_LIBRARY if set, else
     * "libnvidia-ml.so.1", then "libnvidia-ml.so" from the dynamic loader's search path. */
    const char *nvml_library;
    /** Root of the proc file system. NULL: $NVITOP_PROC_ROOT if set (a container that mounts
     * the host's /proc at /host/proc), else "/proc". */
    const char *proc_root;
    /** Clock used for every rate and age. NULL: CLOCK_MONOTONIC. */
    nvitop_clock_fn clock;
    void *clock_arg; /**< passed to `clock` */
} nvitop_options_t;

/** Creates a context. opts may be NULL (all defaults). Host queries work at once; device
 * queries need nvitop_init(). Returns NULL only when out of memory or proc_root cannot be
 * opened (then *error, if not NULL, receives the code). Free with nvitop_ctx_free(). */
NVITOP_API nvitop_ctx_t *nvitop_ctx_new(const nvitop_options_t *opts, int *error);

/** Shuts NVML down if needed and frees the context and every device object it handed out.
 * NULL is a no-op. */
NVITOP_API void nvitop_ctx_free(nvitop_ctx_t *ctx);

/** Loads the NVML library and initialises it. Returns 0, or NVITOP_ENOLIB (no library),
 * NVITOP_ENODRIVER (driver not loaded), NVITOP_EVERSION (driver/library mismatch),
 * NVITOP_EPERM or NVITOP_ENVML; nvitop_ctx_message() then holds one line saying what went
 * wrong and what to do. Calling it again after success is a no-op returning 0. */
NVITOP_API int nvitop_init(nvitop_ctx_t *ctx);

/** Shuts NVML down and unloads it; device objects become invalid. Safe to call twice. */
NVITOP_API void nvitop_shutdown(nvitop_ctx_t *ctx);

/** True once nvitop_init() has succeeded (and nvitop_shutdown() has not been called). */
NVITOP_API bool nvitop_is_initialized(const nvitop_ctx_t *ctx);

/** The detailed message of the last failing call on this context ("" if none). Borrowed:
 * valid until the next call on the context. */
NVITOP_API const char *nvitop_ctx_message(const nvitop_ctx_t *ctx);

/** The driver version ("550.54.15"), read once after nvitop_init(); N/A before. The string is
 * borrowed from the context. */
NVITOP_API nvitop_str_t nvitop_driver_version(nvitop_ctx_t *ctx);
/** The NVML library version ("12.550.54.15"), as nvitop_driver_version(). */
NVITOP_API nvitop_str_t nvitop_nvml_version(nvitop_ctx_t *ctx);
/** CUDA driver API version as NVML reports it, e.g. 13000 for 13.0. */
NVITOP_API nvitop_int_t nvitop_cuda_driver_version(nvitop_ctx_t *ctx);

/** Formats a CUDA version number the way nvidia-smi does: 12040 -> "12.4", 12041 -> "12.4.1".
 * Writes at most len bytes including the NUL; returns buf. */
NVITOP_API char *nvitop_cuda_version_string(int64_t version, char *buf, size_t len);

/** NVML's own text for one of its return codes (nvmlErrorString's wording), e.g. 15 ->
 * "GPU is lost"; NULL for a code NVML does not define. Static storage; no context needed. */
NVITOP_API const char *nvitop_nvml_return_string(int code);
/** The name of an NVML return code without its NVML_ERROR_ prefix, e.g. 15 -> "GPU_IS_LOST"
 * (0 -> "SUCCESS"); NULL for a code NVML does not define. Static storage. */
NVITOP_API const char *nvitop_nvml_return_name(int code);

/** The value of the context's monotonic clock, in nanoseconds; ctx NULL: CLOCK_MONOTONIC's. */
NVITOP_API uint64_t nvitop_now_ns(const nvitop_ctx_t *ctx);

#ifdef __cplusplus
}
#endif

#endif
