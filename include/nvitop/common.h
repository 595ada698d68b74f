/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * Shared vocabulary of the public API: export macro, error codes, "not available" reasons and
 * the value types every snapshot field uses. */
#ifndef NVITOP_COMMON_H
#define NVITOP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a function exported from libnvitop.so (everything else there is hidden). */
#if defined(NVITOP_BUILDING_LIBRARY) && defined(__GNUC__)
#define NVITOP_API __attribute__((visibility("default")))
#else
#define NVITOP_API
#endif

/** The version of the headers a program is compiled with (nvitop_version() tells the one it
 * runs with). */
#define NVITOP_VERSION_MAJOR 1 /**< major version of the headers (the SONAME's number) */
#define NVITOP_VERSION_MINOR 7 /**< minor version of the headers */
#define NVITOP_VERSION_PATCH 0 /**< patch version of the headers */
/** MAJOR * 10000 + MINOR * 100 + PATCH (10700 for 1.7.0), for comparisons in `#if`. */
#define NVITOP_VERSION_NUMBER                                                                      \
    (NVITOP_VERSION_MAJOR * 10000 + NVITOP_VERSION_MINOR * 100 + NVITOP_VERSION_PATCH)

/** The version of the library linked at run time, e.g. "1.7.0". Never NULL. */
NVITOP_API const char *nvitop_version(void);

/** Library functions return 0 on success or one of these negative codes. */
typedef enum nvitop_error {
    NVITOP_OK = 0,
    NVITOP_ENOMEM = -1,    /**< out of memory */
    NVITOP_EINVAL = -2,    /**< bad argument */
    NVITOP_ENOLIB = -3,    /**< the NVML library could not be loaded */
    NVITOP_ENODRIVER = -4, /**< NVML loaded but the NVIDIA driver is not running */
    NVITOP_EVERSION = -5,  /**< driver / library version mismatch */
    NVITOP_ENVML = -6,     /**< any other NVML failure; details in nvitop_ctx_message() */
    NVITOP_ENOTFOUND = -7, /**< no such device, process or entry */
    NVITOP_EPERM = -8,     /**< permission denied */
    NVITOP_EIO = -9,       /**< reading /proc or /sys failed */
    NVITOP_ENOTINIT = -10, /**< nvitop_init() has not succeeded on this context */
    NVITOP_EGPULOST = -11, /**< the GPU fell off the bus */
    NVITOP_ERANGE = -12,   /**< a value out of its accepted range */
    NVITOP_ESTATE = -13, /**< not allowed in the object's current state (e.g. a scope not begun) */
} nvitop_error_t;

/** A short English description of an error code. Never NULL; static storage. */
NVITOP_API const char *nvitop_strerror(int error);

/** Why a value is not available. NVITOP_NA_NONE means the value is valid. */
typedef enum nvitop_na {
    NVITOP_NA_NONE = 0,
    NVITOP_NA_NOT_SAMPLED,       /**< not asked for (or not yet measured) in this snapshot */
    NVITOP_NA_NOT_SUPPORTED,     /**< the device or driver does not support it */
    NVITOP_NA_NOT_APPLICABLE,    /**< meaningless for this object, e.g. MIG mode of a MIG device */
    NVITOP_NA_NO_PERMISSION,     /**< the driver or the OS refused access */
    NVITOP_NA_GPU_LOST,          /**< the GPU fell off the bus or needs a reset */
    NVITOP_NA_NO_FUNCTION,       /**< the installed driver library lacks the function */
    NVITOP_NA_UNAVAILABLE,       /**< the driver answered "value not available" */
    NVITOP_NA_NO_SUCH_PROCESS,   /**< the process is gone or lives in another PID namespace */
    NVITOP_NA_NEEDS_TWO_SAMPLES, /**< a rate: a second sample is needed */
    NVITOP_NA_TIMEOUT,           /**< the driver timed out */
    NVITOP_NA_DRIVER_ERROR,      /**< any other driver error */
    NVITOP_NA_IO_ERROR,          /**< /proc or /sys could not be read or parsed */
    NVITOP_NA__COUNT
} nvitop_na_t;

/** A short lower-case description of a reason ("not supported", ...). Never NULL. */
NVITOP_API const char *nvitop_na_string(nvitop_na_t na);

/** An integer snapshot field: a value plus the reason it is missing (NVITOP_NA_NONE when
 * present). */
typedef struct nvitop_int {
    int64_t value;  /**< meaningful only when na == NVITOP_NA_NONE */
    nvitop_na_t na; /**< why the value is missing, or NVITOP_NA_NONE */
} nvitop_int_t;

/** A real-valued snapshot field: a value plus the reason it is missing. */
typedef struct nvitop_real {
    double value;   /**< meaningful only when na == NVITOP_NA_NONE */
    nvitop_na_t na; /**< why the value is missing, or NVITOP_NA_NONE */
} nvitop_real_t;

/** value is NULL whenever na != NVITOP_NA_NONE. Owned by the snapshot or context holding it. */
typedef struct nvitop_str {
    const char *value; /**< NUL-terminated; NULL when missing */
    nvitop_na_t na;    /**< why the value is missing, or NVITOP_NA_NONE */
} nvitop_str_t;

/** True when a snapshot field (nvitop_int_t, nvitop_real_t, nvitop_str_t) holds a value. */
#define NVITOP_HAS(field) ((field).na == NVITOP_NA_NONE)

#ifdef __cplusplus
}
#endif

#endif
