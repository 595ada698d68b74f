/* SPDX-License-Identifier: Apache-2.0 */
/* CUDA's own device order (nvitop_cuda_devices): the driver's answer from nvitop-cuda-probe
 * mapped onto NVML devices as Python nvitop maps it, or the NVML-only reading when the driver
 * cannot be asked. */
#include "core/core_internal.h"
#include "core/cuda_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *nvitop_cuda_source_string(nvitop_cuda_source_t source)
{
    switch (source) {
    case NVITOP_CUDA_SOURCE_DRIVER:
        return "driver";
    case NVITOP_CUDA_SOURCE_NO_DRIVER:
        return "no CUDA driver";
    case NVITOP_CUDA_SOURCE_DRIVER_ERROR:
        return "CUDA driver error";
    case NVITOP_CUDA_SOURCE_TIMEOUT:
        return "CUDA driver timeout";
    case NVITOP_CUDA_SOURCE_NVML_ONLY:
        return "NVML only";
    }
    return "unknown";
}

bool cuda_timeout_parse(const char *text, double *seconds)
{
    char *end;
    double t = text && *text ? strtod(text, &end) : 0;
    if (!text || !*text || *end || !(t > 0 && t <= CUDA_MAX_TIMEOUT_S)) return false;
    *seconds = t;
    return true;
}

static double timeout_from(const nvitop_cuda_options_t *opts)
{
    if (opts && opts->timeout_s > 0) return opts->timeout_s;
    double t = CUDA_DEFAULT_TIMEOUT_S;
    cuda_timeout_parse(getenv("NVITOP_CUDA_TIMEOUT"), &t);
    return t;
}

static nvitop_device_t *physical_by_uuid(nvitop_ctx_t *ctx, const char *uuid)
{
    for (unsigned i = 0; i < ctx->device_count; i++) {
        nvitop_device_snapshot_t s;
        nvitop_device_query(&ctx->devices[i], NVITOP_DQ_UUID, &s);
        if (s.uuid.value && strcasecmp(s.uuid.value, uuid) == 0) return &ctx->devices[i];
    }
    return NULL;
}

static bool mig_capable(nvitop_device_t *dev)
{
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_MIG, &s);
    return NVITOP_HAS(s.mig_mode);
}

/* Python nvitop's step after the driver answered: "GPU-<uuid>" when NVML knows that GPU, else
 * "MIG-<uuid>". Physical GPUs without MIG support are final; anything else is read again by
 * the NVML rules (which resolve MIG UUIDs and apply CUDA's one-MIG-device rule). */
static int map_driver_answer(nvitop_ctx_t *ctx, const cuda_probe_result_t *probe,
                             nvitop_device_t ***devices, size_t *count)
{
    nvitop_device_t **list = calloc(probe->count + 1, sizeof(*list));
    if (!list) return NVITOP_ENOMEM;
    strbuf_t joined = {0};
    bool final = true;
    for (size_t i = 0; i < probe->count; i++) {
        char uuid[CUDA_UUID_LEN + 8];
        snprintf(uuid, sizeof(uuid), "GPU-%s", probe->uuids[i]);
        list[i] = physical_by_uuid(ctx, uuid);
        if (!list[i]) memcpy(uuid, "MIG", 3);
        final = final && list[i] && !mig_capable(list[i]);
        if ((i && strbuf_putc(&joined, ',') < 0) || strbuf_puts(&joined, uuid) < 0) {
            free(list);
            strbuf_fini(&joined);
            return NVITOP_ENOMEM;
        }
    }
    int rc = NVITOP_OK;
    if (final || probe->count == 0) {
        *devices = list;
        *count = probe->count;
    } else {
        free(list);
        rc = nvitop_cuda_visible_devices(ctx, joined.data, devices, count);
    }
    strbuf_fini(&joined);
    return rc;
}

static nvitop_cuda_source_t fallback_source(cuda_probe_status_t status)
{
    switch (status) {
    case PROBE_NO_LIBRARY:
        return NVITOP_CUDA_SOURCE_NO_DRIVER;
    case PROBE_TIMEOUT:
        return NVITOP_CUDA_SOURCE_TIMEOUT;
    default:
        return NVITOP_CUDA_SOURCE_DRIVER_ERROR;
    }
}

int nvitop_cuda_devices(nvitop_ctx_t *ctx, const char *value, const nvitop_cuda_options_t *opts,
                        nvitop_device_t ***devices, size_t *count, nvitop_cuda_source_t *source)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    if (!devices || !count) return NVITOP_EINVAL;
    nvitop_cuda_source_t src = NVITOP_CUDA_SOURCE_NVML_ONLY;
    char note[PATH_MAX + 600] = "";
    if (!opts || !opts->nvml_only) {
        char helper[PATH_MAX];
        const char *library =
            opts && opts->cuda_library ? opts->cuda_library : getenv("NVITOP_CUDA_LIBRARY");
        if (!cuda_probe_find(opts ? opts->probe_path : NULL, helper, sizeof(helper))) {
            src = NVITOP_CUDA_SOURCE_NO_DRIVER;
            snprintf(note, sizeof(note), "%s not found (looked for %s)", CUDA_PROBE_NAME, helper);
        } else {
            cuda_probe_result_t probe;
            cuda_probe_run(helper, library, value, timeout_from(opts), &probe);
            if (probe.status == PROBE_OK || probe.status == PROBE_NO_DEVICE) {
                if (source) *source = NVITOP_CUDA_SOURCE_DRIVER;
                rc = probe.status == PROBE_OK ? map_driver_answer(ctx, &probe, devices, count)
                                              : NVITOP_OK;
                if (probe.status == PROBE_NO_DEVICE) {
                    *count = 0;
                    if (!(*devices = calloc(1, sizeof(**devices)))) rc = NVITOP_ENOMEM;
                }
                cuda_probe_result_fini(&probe);
                return rc;
            }
            src = fallback_source(probe.status);
            snprintf(note, sizeof(note), "%s", probe.message);
            cuda_probe_result_fini(&probe);
        }
    }
    if (source) *source = src;
    rc = nvitop_cuda_visible_devices(ctx, value, devices, count);
    if (rc == NVITOP_OK && *note) ctx_fail(ctx, NVITOP_OK, "%s", note);
    return rc;
}
