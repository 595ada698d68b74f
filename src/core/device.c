/* SPDX-License-Identifier: Apache-2.0 */
/* Device objects: the physical GPUs found at init, their MIG instances, lookup by UUID and
 * bus id. Objects live in the context until nvitop_shutdown(). */
#include "core/core_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int device_require(nvitop_ctx_t *ctx)
{
    if (!ctx) return NVITOP_EINVAL;
    if (!ctx->initialized)
        return ctx_fail(ctx, NVITOP_ENOTINIT, "NVML is not initialised: call nvitop_init().");
    return NVITOP_OK;
}

static void device_init(nvitop_device_t *dev, nvitop_ctx_t *ctx, nvitop_device_t *parent)
{
    memset(dev, 0, sizeof(*dev));
    dev->ctx = ctx;
    dev->parent = parent ? parent : dev;
    dev->mig_index = -1;
    nvitop_device_snapshot_clear(&dev->statics);
    device_nvlinks_clear(&dev->nvlinks);
}

int devices_open(nvitop_ctx_t *ctx)
{
    unsigned count = 0;
    nvmlReturn_t rc = nvml_device_count(&ctx->nvml, &count);
    if (rc != NVML_SUCCESS)
        return ctx_fail(ctx, NVITOP_ENVML, "%s (%s)", nvml_error_string(&ctx->nvml, rc),
                        nvml_fn_name(&ctx->nvml, NVML_FN_DEVICE_COUNT));
    ctx->devices = count ? calloc(count, sizeof(*ctx->devices)) : NULL;
    if (count && !ctx->devices) return ctx_fail(ctx, NVITOP_ENOMEM, "out of memory");
    ctx->device_count = count;
    for (unsigned i = 0; i < count; i++) {
        nvitop_device_t *dev = &ctx->devices[i];
        device_init(dev, ctx, NULL);
        dev->physical_index = i;
        rc = nvml_handle_by_index(&ctx->nvml, i, &dev->handle);
        if (rc != NVML_SUCCESS) {
            dev->handle = NULL;
            dev->handle_na = nvml_na_from_return(rc);
        }
    }
    return NVITOP_OK;
}

void devices_close(nvitop_ctx_t *ctx)
{
    for (unsigned i = 0; i < ctx->device_count; i++)
        free(ctx->devices[i].migs);
    free(ctx->devices);
    ctx->devices = NULL;
    ctx->device_count = 0;
}

void device_probe_migs(nvitop_device_t *dev)
{
    if (dev->is_mig || dev->migs_probed) return;
    dev->migs_probed = true;
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_MIG, &s);
    if (!NVITOP_HAS(s.mig_mode) || s.mig_mode.value != NVITOP_ENABLED ||
        !NVITOP_HAS(s.max_mig_device_count) || s.max_mig_device_count.value <= 0)
        return;
    unsigned max = (unsigned)s.max_mig_device_count.value;
    dev->migs = calloc(max, sizeof(*dev->migs));
    if (!dev->migs) return;
    /* As nvitop does: MIG handles are dense; the first index without one ends the list. */
    for (unsigned j = 0; j < max; j++) {
        nvmlDevice_t handle = NULL;
        if (nvml_device_mig_handle(&dev->ctx->nvml, dev->handle, j, &handle) != NVML_SUCCESS) break;
        nvitop_device_t *mig = &dev->migs[dev->mig_count++];
        device_init(mig, dev->ctx, dev);
        mig->handle = handle;
        mig->physical_index = dev->physical_index;
        mig->mig_index = (int)j;
        mig->is_mig = true;
    }
}

int nvitop_device_count(nvitop_ctx_t *ctx, unsigned *count)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    if (!count) return NVITOP_EINVAL;
    *count = ctx->device_count;
    return NVITOP_OK;
}

int nvitop_device_get(nvitop_ctx_t *ctx, unsigned index, nvitop_device_t **dev)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    if (!dev) return NVITOP_EINVAL;
    if (index >= ctx->device_count)
        return ctx_fail(ctx, NVITOP_ENOTFOUND, "Invalid device index: %u.", index);
    *dev = &ctx->devices[index];
    return NVITOP_OK;
}

unsigned nvitop_device_mig_count(nvitop_device_t *dev)
{
    if (!dev) return 0;
    device_probe_migs(dev);
    return dev->mig_count;
}

int nvitop_device_mig_get(nvitop_device_t *dev, unsigned mig_index, nvitop_device_t **mig)
{
    if (!dev || !mig) return NVITOP_EINVAL;
    device_probe_migs(dev);
    if (mig_index >= dev->mig_count) return NVITOP_ENOTFOUND;
    *mig = &dev->migs[mig_index];
    return NVITOP_OK;
}

bool nvitop_device_is_mig(const nvitop_device_t *dev)
{
    return dev && dev->is_mig;
}

nvitop_device_t *nvitop_device_parent(nvitop_device_t *dev)
{
    return dev ? dev->parent : NULL;
}

unsigned nvitop_device_physical_index(const nvitop_device_t *dev)
{
    return dev ? dev->physical_index : 0;
}

int nvitop_device_mig_index(const nvitop_device_t *dev)
{
    return dev ? dev->mig_index : -1;
}

/* The cached UUID of a device, or NULL. */
static const char *device_uuid(nvitop_device_t *dev)
{
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_UUID, &s);
    return s.uuid.value;
}

static nvitop_device_t *find_physical_by_uuid(nvitop_ctx_t *ctx, const char *uuid, size_t len)
{
    for (unsigned i = 0; i < ctx->device_count; i++) {
        const char *u = device_uuid(&ctx->devices[i]);
        if (u && strlen(u) == len && strncasecmp(u, uuid, len) == 0) return &ctx->devices[i];
    }
    return NULL;
}

/* "MIG-GPU-<uuid>/<gi>/<ci>", the form of drivers before R470. */
static nvitop_device_t *find_legacy_mig(nvitop_ctx_t *ctx, const char *uuid)
{
    const char *gpu = uuid + strlen("MIG-");
    const char *slash = strchr(gpu, '/');
    unsigned gi, ci;
    char tail;
    if (!slash || sscanf(slash, "/%u/%u%c", &gi, &ci, &tail) != 2) return NULL;
    nvitop_device_t *parent = find_physical_by_uuid(ctx, gpu, (size_t)(slash - gpu));
    if (!parent) return NULL;
    for (unsigned j = 0; j < nvitop_device_mig_count(parent); j++) {
        nvitop_device_snapshot_t s;
        nvitop_device_query(&parent->migs[j], NVITOP_DQ_MIG, &s);
        if (NVITOP_HAS(s.gpu_instance_id) && NVITOP_HAS(s.compute_instance_id) &&
            s.gpu_instance_id.value == gi && s.compute_instance_id.value == ci)
            return &parent->migs[j];
    }
    return NULL;
}

static nvitop_device_t *find_mig_by_uuid(nvitop_ctx_t *ctx, const char *uuid)
{
    if (str_starts_with(uuid, "MIG-GPU-")) return find_legacy_mig(ctx, uuid);
    for (unsigned i = 0; i < ctx->device_count; i++) {
        nvitop_device_t *dev = &ctx->devices[i];
        for (unsigned j = 0; j < nvitop_device_mig_count(dev); j++) {
            const char *u = device_uuid(&dev->migs[j]);
            if (u && strcasecmp(u, uuid) == 0) return &dev->migs[j];
        }
    }
    return NULL;
}

int nvitop_device_by_uuid(nvitop_ctx_t *ctx, const char *uuid, nvitop_device_t **dev)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    if (!uuid || !dev) return NVITOP_EINVAL;
    nvitop_device_t *found = NULL;
    if (strncasecmp(uuid, "GPU-", 4) == 0)
        found = find_physical_by_uuid(ctx, uuid, strlen(uuid));
    else if (strncasecmp(uuid, "MIG-", 4) == 0)
        found = find_mig_by_uuid(ctx, uuid);
    else
        return ctx_fail(ctx, NVITOP_EINVAL, "Not a GPU or MIG UUID: %s.", uuid);
    if (!found) return ctx_fail(ctx, NVITOP_ENOTFOUND, "No device with UUID %s.", uuid);
    *dev = found;
    return NVITOP_OK;
}

/* Parses "[domain:]bus:device[.function]" in hex; returns false on anything else. */
static bool parse_bus_id(const char *s, unsigned long long out[4])
{
    unsigned long long parts[4] = {0, 0, 0, 0};
    int n = 0;
    const char *p = s;
    while (n < 4) {
        char *end;
        if (!isxdigit((unsigned char)*p)) return false;
        parts[n++] = strtoull(p, &end, 16);
        p = end;
        if (*p == ':' || *p == '.')
            p++;
        else
            break;
    }
    if (*p != '\0' || n < 2) return false;
    bool has_function = strchr(s, '.') != NULL;
    int colon_parts = has_function ? n - 1 : n;
    out[0] = colon_parts == 3 ? parts[0] : 0;
    out[1] = parts[colon_parts - 2];
    out[2] = parts[colon_parts - 1];
    out[3] = has_function ? parts[n - 1] : 0;
    return colon_parts == 2 || colon_parts == 3;
}

int nvitop_device_by_bus_id(nvitop_ctx_t *ctx, const char *bus_id, nvitop_device_t **dev)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    unsigned long long want[4];
    if (!bus_id || !dev || !parse_bus_id(bus_id, want))
        return ctx_fail(ctx, NVITOP_EINVAL, "Not a PCI bus id: %s.", bus_id ? bus_id : "(null)");
    for (unsigned i = 0; i < ctx->device_count; i++) {
        nvitop_device_snapshot_t s;
        nvitop_device_query(&ctx->devices[i], NVITOP_DQ_BUS_ID, &s);
        unsigned long long have[4];
        if (s.bus_id.value && parse_bus_id(s.bus_id.value, have) &&
            memcmp(have, want, sizeof(have)) == 0) {
            *dev = &ctx->devices[i];
            return NVITOP_OK;
        }
    }
    return ctx_fail(ctx, NVITOP_ENOTFOUND, "No device at PCI bus id %s.", bus_id);
}
