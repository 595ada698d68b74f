/* SPDX-License-Identifier: Apache-2.0 */
/* Asking the CUDA driver for its device order through the nvitop-cuda-probe helper, run as a
 * short-lived child: the spawn, the timeout and the helper's line protocol. */
#ifndef NVITOP_CORE_CUDA_INTERNAL_H
#define NVITOP_CORE_CUDA_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#define CUDA_PROBE_NAME "nvitop-cuda-probe"
#define CUDA_DEFAULT_TIMEOUT_S 60.0
#define CUDA_UUID_LEN 36 /* 8-4-4-4-12 */
#define CUDA_MAX_TIMEOUT_S 86400.0

/* $NVITOP_CUDA_TIMEOUT's rule: a number of seconds > 0 and at most CUDA_MAX_TIMEOUT_S. */
bool cuda_timeout_parse(const char *text, double *seconds);

typedef enum cuda_probe_status {
    PROBE_OK,         /* the driver listed its devices (possibly none) */
    PROBE_NO_DEVICE,  /* cuInit said there is nothing to see: CUDA sees no device */
    PROBE_NO_LIBRARY, /* libcuda could not be loaded */
    PROBE_CUDA_ERROR, /* libcuda failed otherwise */
    PROBE_TIMEOUT,    /* no answer in time: the child was killed */
    PROBE_FAILED,     /* could not run the helper, or it died or said nonsense */
} cuda_probe_status_t;

typedef struct cuda_probe_result {
    cuda_probe_status_t status;
    int driver_version; /* cuDriverGetVersion, -1 unknown */
    int cuda_error;     /* CUresult of a PROBE_NO_DEVICE / PROBE_CUDA_ERROR */
    size_t count;
    char (*uuids)[CUDA_UUID_LEN + 1]; /* without "GPU-"/"MIG-", lower case; malloc'd */
    char message[512];                /* one line: what happened, for messages */
} cuda_probe_result_t;

/* Reads the helper's output (text of len bytes, not NUL-terminated). Returns true when the
 * answer is complete (ends with "ok" or an "error" line) and fills *out; false for anything
 * else (then out->status is PROBE_FAILED). cuInit failures that mean "no device"
 * (CUDA_ERROR_NO_DEVICE, _INVALID_DEVICE, _SYSTEM_DRIVER_MISMATCH,
 * _COMPAT_NOT_SUPPORTED_ON_DEVICE, as Python nvitop counts them) become PROBE_NO_DEVICE. */
bool cuda_probe_parse(const char *text, size_t len, cuda_probe_result_t *out);

/* Runs helper (the path of nvitop-cuda-probe) with CUDA_VISIBLE_DEVICES set to value (NULL:
 * unset) and the library path (NULL: the helper's default), and waits at most timeout_s
 * seconds; then the child is killed. Never fails: the status says what happened. */
void cuda_probe_run(const char *helper, const char *library, const char *value, double timeout_s,
                    cuda_probe_result_t *out);
void cuda_probe_result_fini(cuda_probe_result_t *r);

/* The helper to run: $NVITOP_CUDA_PROBE, next to the running program or library (the build
 * tree), the installed libexec directory relative to them, then the configured one. Writes
 * the path into buf and returns true when an executable file was found. */
bool cuda_probe_find(const char *explicit_path, char *buf, size_t len);

#endif
