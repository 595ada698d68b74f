/* SPDX-License-Identifier: Apache-2.0 */
/* CUDA_VISIBLE_DEVICES read the way the CUDA driver reads it, with NVML only: indices or
 * (abbreviated) UUIDs, parsing stops at the first invalid entry, a repeated device empties the
 * list, and CUDA shows at most one MIG device. Unset is the list of every GPU's UUID. */
#include "core/core_internal.h"
#include "core/leaf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct visible {
    nvitop_device_t **items;
    size_t count, cap;
} visible_t;

static int visible_push(visible_t *v, nvitop_device_t *dev)
{
    void *items = v->items;
    if (array_reserve(&items, &v->cap, v->count + 1, sizeof(*v->items)) < 0) return NVITOP_ENOMEM;
    v->items = items;
    v->items[v->count++] = dev;
    return NVITOP_OK;
}

static const char *device_uuid(nvitop_device_t *dev)
{
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_UUID, &s);
    return s.uuid.value;
}

/* The one device whose UUID starts with `prefix` (CUDA accepts unambiguous abbreviations). */
static nvitop_device_t *match_prefix(nvitop_device_t **candidates, size_t n, const char *prefix)
{
    nvitop_device_t *found = NULL;
    size_t len = strlen(prefix);
    for (size_t i = 0; i < n; i++) {
        const char *uuid = device_uuid(candidates[i]);
        if (uuid && strncasecmp(uuid, prefix, len) == 0) {
            if (found) return NULL; /* ambiguous */
            found = candidates[i];
        }
    }
    return found;
}

static int all_devices(nvitop_ctx_t *ctx, bool mig, visible_t *out)
{
    for (unsigned i = 0; i < ctx->device_count; i++) {
        nvitop_device_t *dev = &ctx->devices[i];
        if (!mig && visible_push(out, dev) < 0) return NVITOP_ENOMEM;
        for (unsigned j = 0; mig && j < nvitop_device_mig_count(dev); j++)
            if (visible_push(out, &dev->migs[j]) < 0) return NVITOP_ENOMEM;
    }
    return NVITOP_OK;
}

static nvitop_device_t *resolve_uuid(nvitop_ctx_t *ctx, const char *token)
{
    visible_t pool = {0};
    nvitop_device_t *found = NULL;
    if (strncasecmp(token, "GPU-", 4) == 0 && token[4]) {
        if (all_devices(ctx, false, &pool) == NVITOP_OK)
            found = match_prefix(pool.items, pool.count, token);
    } else if (strncasecmp(token, "MIG-GPU-", 8) == 0) {
        nvitop_device_by_uuid(ctx, token, &found);
    } else if (strncasecmp(token, "MIG-", 4) == 0 && token[4]) {
        if (all_devices(ctx, true, &pool) == NVITOP_OK)
            found = match_prefix(pool.items, pool.count, token);
    }
    free(pool.items);
    return found;
}

/* An entry starting with a digit (or a sign and a digit) is an index: its leading digits. */
static bool parse_index(const char *token, long *index)
{
    const char *p = token;
    if (*p == '+' || *p == '-') p++;
    if (!isdigit((unsigned char)*p)) return false;
    *index = strtol(token, NULL, 10);
    return true;
}

static bool already_listed(const visible_t *v, const nvitop_device_t *dev)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i] == dev) return true;
    return false;
}

/* Resolves one stripped entry of the list; NULL when it is invalid. kind: 1 index, 2 UUID. */
static nvitop_device_t *resolve_entry(nvitop_ctx_t *ctx, const char *entry, int *kind)
{
    long index;
    bool is_index = parse_index(entry, &index);
    if (*kind && *kind != (is_index ? 1 : 2)) return NULL; /* the first entry fixes the kind */
    *kind = is_index ? 1 : 2;
    if (!is_index) return resolve_uuid(ctx, entry);
    return index >= 0 && index < (long)ctx->device_count ? &ctx->devices[index] : NULL;
}

/* Unset: every GPU's UUID, read as a list (nvitop's NVML parse), so the list ends before the
 * first GPU whose UUID cannot be read (a lost GPU), as any invalid entry ends a list. */
static int unset_value_devices(nvitop_ctx_t *ctx, visible_t *out)
{
    for (unsigned i = 0; i < ctx->device_count && device_uuid(&ctx->devices[i]); i++)
        if (visible_push(out, &ctx->devices[i]) < 0) return NVITOP_ENOMEM;
    return NVITOP_OK;
}

/* Splits on commas (empty entries count) and resolves entries until the first invalid one. */
static int parse_entries(nvitop_ctx_t *ctx, const char *value, visible_t *out)
{
    char *copy = strdup(value);
    if (!copy) return NVITOP_ENOMEM;
    int kind = 0, rc = NVITOP_OK;
    for (char *next = copy, *entry; rc == NVITOP_OK && (entry = strsep(&next, ","));) {
        while (isspace((unsigned char)*entry))
            entry++;
        size_t len = strlen(entry);
        while (len && isspace((unsigned char)entry[len - 1]))
            entry[--len] = '\0';
        nvitop_device_t *dev = resolve_entry(ctx, entry, &kind);
        if (!dev) break;
        if (already_listed(out, dev)) {
            out->count = 0; /* a repeated device: CUDA sees none */
            break;
        }
        rc = visible_push(out, dev);
    }
    free(copy);
    return rc;
}

/* CUDA exposes one MIG device at most: the first listed one, else instance 0 of the first
 * listed MIG-enabled GPU (a MIG-enabled GPU without instances is dropped). */
static void apply_mig_rule(visible_t *v)
{
    for (size_t i = 0; i < v->count; i++) {
        if (v->items[i]->is_mig) {
            v->items[0] = v->items[i];
            v->count = 1;
            return;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < v->count; i++) {
        nvitop_device_t *dev = v->items[i];
        if (device_is_leaf(dev)) { /* no MIG devices stand for it */
            v->items[kept++] = dev;
            continue;
        }
        if (nvitop_device_mig_count(dev) > 0) {
            v->items[0] = &dev->migs[0];
            v->count = 1;
            return;
        }
    }
    v->count = kept;
}

int nvitop_cuda_visible_devices(nvitop_ctx_t *ctx, const char *value, nvitop_device_t ***devices,
                                size_t *count)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    if (!devices || !count) return NVITOP_EINVAL;
    visible_t v = {0};
    rc = value ? parse_entries(ctx, value, &v) : unset_value_devices(ctx, &v);
    if (rc == NVITOP_OK) apply_mig_rule(&v);
    if (rc < 0) {
        free(v.items);
        return rc;
    }
    if (!v.items && !(v.items = malloc(sizeof(*v.items)))) return NVITOP_ENOMEM;
    *devices = v.items;
    *count = v.count;
    return NVITOP_OK;
}

int nvitop_cuda_visible_normalize(nvitop_ctx_t *ctx, const char *value, char **uuids)
{
    if (!uuids) return NVITOP_EINVAL;
    nvitop_device_t **devs = NULL;
    size_t n = 0;
    int rc = nvitop_cuda_visible_devices(ctx, value, &devs, &n);
    if (rc < 0) return rc;
    strbuf_t sb = {0};
    for (size_t i = 0; i < n && rc == NVITOP_OK; i++) {
        const char *uuid = device_uuid(devs[i]);
        if (!uuid || (i && strbuf_putc(&sb, ',') < 0) || strbuf_puts(&sb, uuid) < 0)
            rc = uuid ? NVITOP_ENOMEM : NVITOP_ENVML;
    }
    free(devs);
    if (rc == NVITOP_OK && !(*uuids = strbuf_take(&sb))) rc = NVITOP_ENOMEM;
    strbuf_fini(&sb);
    return rc;
}
