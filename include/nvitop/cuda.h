/* SPDX-License-Identifier: Apache-2.0 */
/* CUDA_VISIBLE_DEVICES: which devices a CUDA program would see, in CUDA's order. */
#ifndef NVITOP_CUDA_H
#define NVITOP_CUDA_H

#include <nvitop/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Resolves a CUDA_VISIBLE_DEVICES value the way the CUDA driver reads it, with NVML only:
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

/* The same list written as comma-separated UUIDs (physical "GPU-..." or "MIG-..."), the
 * form that survives re-ordering of indices. Free *uuids with nvitop_free(). */
NVITOP_API int nvitop_cuda_visible_normalize(nvitop_ctx_t *ctx, const char *value, char **uuids);

#ifdef __cplusplus
}
#endif

#endif
