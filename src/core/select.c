/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_select_devices(): the candidates (leaf devices), what the driver says of each, the
 * memory of --account-as-free users, and the result with its identifiers. The rules
 * themselves are in select_rank.c. */
#include "core/core_internal.h"
#include "core/leaf.h"
#include "core/select_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nvitop_select_options_init(nvitop_select_options_t *opts)
{
    if (!opts) return;
    memset(opts, 0, sizeof(*opts));
    opts->format = NVITOP_SELECT_FORMAT_INDEX;
    opts->max_count = -1;
    opts->min_free_memory_bytes = -1;
    opts->min_total_memory_bytes = -1;
    opts->max_gpu_utilization_percent = -1;
    opts->max_memory_utilization_percent = -1;
}

typedef struct leaves {
    nvitop_device_t **items;
    size_t count, cap;
} leaves_t;

static int leaves_push(leaves_t *l, nvitop_device_t *dev)
{
    void *items = l->items;
    if (array_reserve(&items, &l->cap, l->count + 1, sizeof(*l->items)) < 0) return NVITOP_ENOMEM;
    l->items = items;
    l->items[l->count++] = dev;
    return NVITOP_OK;
}

/* nvitop's to_leaf_devices(): a physical GPU with MIG enabled stands for its MIG devices. */
static int add_leaves(leaves_t *l, nvitop_device_t *dev)
{
    if (device_is_leaf(dev)) return leaves_push(l, dev);
    unsigned n = nvitop_device_mig_count(dev);
    for (unsigned j = 0; j < n; j++)
        if (leaves_push(l, &dev->migs[j]) < 0) return NVITOP_ENOMEM;
    return NVITOP_OK;
}

static sel_num_t from_int(nvitop_int_t x)
{
    return NVITOP_HAS(x) ? sel_value(x.value) : sel_na();
}

/* Why each judged value is missing, per candidate (indexed by position). */
typedef struct reasons {
    nvitop_na_t free, used, total, gpu_util, mem_util;
} reasons_t;

static nvitop_int_t to_int(sel_num_t x, nvitop_na_t reason)
{
    if (x.kind == SEL_VALUE) return (nvitop_int_t){x.v, NVITOP_NA_NONE};
    return (nvitop_int_t){0, reason != NVITOP_NA_NONE ? reason : NVITOP_NA_UNAVAILABLE};
}

static bool is_lost(const nvitop_device_snapshot_t *s)
{
    return s->memory_total_bytes.na == NVITOP_NA_GPU_LOST ||
           s->gpu_utilization_percent.na == NVITOP_NA_GPU_LOST;
}

/* Never selected: a device NVML cannot open (no handle: lost, or refused as NO_PERMISSION),
 * nor one that the output could not name: a MIG device is always written as its UUID, a GPU
 * as its UUID with the UUID format. (nvitop ranks the first kind first, its figures being
 * N/A, and prints N/A for the second.) */
static bool is_unusable(nvitop_device_t *dev, const nvitop_device_snapshot_t *s, bool uuid)
{
    if (is_lost(s) || !dev->handle) return true;
    if (!uuid && !dev->is_mig) return false;
    nvitop_device_snapshot_t id;
    nvitop_device_query(dev, NVITOP_DQ_UUID, &id);
    return !id.uuid.value;
}

static bool is_free_account(const nvitop_select_options_t *opts, const char *user)
{
    for (size_t i = 0; user && i < opts->free_account_count; i++)
        if (opts->free_accounts[i] && strcmp(opts->free_accounts[i], user) == 0) return true;
    return false;
}

/* The GPU memory of the free accounts' processes on dev: unknown (NaN) as soon as one of them
 * has no memory figure, as nvitop's sum with NA is NaN. */
static sel_num_t free_account_memory(nvitop_device_t *dev, const nvitop_select_options_t *opts)
{
    sel_num_t sum = sel_value(0);
    nvitop_process_list_t *list = NULL;
    if (nvitop_device_processes(dev, NVITOP_PQ_HOST, &list) < 0) return sum;
    for (size_t i = 0; i < list->count; i++) {
        const nvitop_gpu_process_t *p = &list->items[i];
        if (is_free_account(opts, p->host.username.value))
            sum = sel_add(sum, from_int(p->gpu_memory_bytes));
    }
    nvitop_process_list_free(list);
    return sum;
}

static void fill_candidate(select_candidate_t *c, reasons_t *why, nvitop_device_t *dev,
                           const nvitop_device_snapshot_t *s, size_t position)
{
    memset(c, 0, sizeof(*c));
    c->position = position;
    c->physical_index = (int32_t)dev->physical_index;
    c->is_mig = dev->is_mig;
    c->user = dev;
    c->free = from_int(s->memory_free_bytes);
    c->used = from_int(s->memory_used_bytes);
    c->total = from_int(s->memory_total_bytes);
    c->gpu_util = from_int(s->gpu_utilization_percent);
    c->mem_util = from_int(s->memory_utilization_percent);
    why->free = s->memory_free_bytes.na;
    why->used = s->memory_used_bytes.na;
    why->total = s->memory_total_bytes.na;
    why->gpu_util = s->gpu_utilization_percent.na;
    why->mem_util = s->memory_utilization_percent.na;
}

/* The candidates of every leaf device that can be used (is_unusable). *out malloc'd. */
static int gather(nvitop_ctx_t *ctx, const nvitop_select_options_t *opts, select_candidate_t **out,
                  reasons_t **why_out, size_t *count)
{
    leaves_t l = {0};
    int rc = NVITOP_OK;
    if (opts->devices) {
        for (size_t i = 0; i < opts->device_count && rc == NVITOP_OK; i++)
            rc = opts->devices[i] ? add_leaves(&l, opts->devices[i]) : NVITOP_EINVAL;
    } else {
        for (unsigned i = 0; i < ctx->device_count && rc == NVITOP_OK; i++)
            rc = add_leaves(&l, &ctx->devices[i]);
    }
    select_candidate_t *c = rc == NVITOP_OK ? calloc(l.count + 1, sizeof(*c)) : NULL;
    reasons_t *why = c ? calloc(l.count + 1, sizeof(*why)) : NULL;
    if (rc == NVITOP_OK && !why) rc = NVITOP_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; rc == NVITOP_OK && i < l.count; i++) {
        nvitop_device_snapshot_t s;
        nvitop_device_query(l.items[i], NVITOP_DQ_MEMORY | NVITOP_DQ_UTILIZATION, &s);
        if (is_unusable(l.items[i], &s, opts->format == NVITOP_SELECT_FORMAT_UUID)) continue;
        fill_candidate(&c[n], &why[n], l.items[i], &s, n);
        if (opts->free_account_count > 0) {
            sel_num_t as_free = free_account_memory(l.items[i], opts);
            c[n].free = sel_add(c[n].free, as_free);
            c[n].used = sel_sub(c[n].used, as_free);
        }
        n++;
    }
    free(l.items);
    if (rc < 0) {
        free(c);
        free(why);
        return rc;
    }
    *out = c;
    *why_out = why;
    *count = n;
    return NVITOP_OK;
}

static char *format_id(nvitop_device_t *dev, bool uuid)
{
    char buf[64];
    if (uuid) {
        nvitop_device_snapshot_t s;
        nvitop_device_query(dev, NVITOP_DQ_UUID, &s);
        return s.uuid.value ? strdup(s.uuid.value) : NULL; /* read by is_unusable: cached */
    }
    if (dev->is_mig)
        snprintf(buf, sizeof(buf), "(%u, %d)", dev->physical_index, dev->mig_index);
    else
        snprintf(buf, sizeof(buf), "%u", dev->physical_index);
    return strdup(buf);
}

static int build_selection(const select_candidate_t *c, const reasons_t *why, size_t kept,
                           size_t candidates, bool uuid, nvitop_selection_t **out)
{
    nvitop_selection_t *sel = calloc(1, sizeof(*sel));
    if (!sel) return NVITOP_ENOMEM;
    sel->devices = calloc(kept + 1, sizeof(*sel->devices));
    if (!sel->devices) {
        free(sel);
        return NVITOP_ENOMEM;
    }
    sel->format = uuid ? NVITOP_SELECT_FORMAT_UUID : NVITOP_SELECT_FORMAT_INDEX;
    sel->candidate_count = candidates;
    for (size_t i = 0; i < kept; i++) {
        nvitop_device_t *dev = c[i].user;
        const reasons_t *r = &why[c[i].position];
        nvitop_selected_device_t *d = &sel->devices[i];
        d->device = dev;
        d->physical_index = (int32_t)dev->physical_index;
        d->mig_index = dev->mig_index;
        d->is_mig = dev->is_mig;
        d->memory_free_bytes = to_int(c[i].free, r->free);
        d->memory_used_bytes = to_int(c[i].used, r->used);
        d->memory_total_bytes = to_int(c[i].total, r->total);
        d->gpu_utilization_percent = to_int(c[i].gpu_util, r->gpu_util);
        d->memory_utilization_percent = to_int(c[i].mem_util, r->mem_util);
        d->loosened = c[i].loosened;
        sel->count = i + 1;
        if (!(d->id = format_id(dev, uuid))) {
            nvitop_selection_free(sel);
            return NVITOP_ENOMEM;
        }
    }
    *out = sel;
    return NVITOP_OK;
}

int nvitop_select_devices(nvitop_ctx_t *ctx, const nvitop_select_options_t *opts,
                          nvitop_selection_t **out)
{
    int rc = device_require(ctx);
    if (rc < 0) return rc;
    if (!opts || !out || opts->tolerance_percent < 0 ||
        (opts->max_count > 0 && (uint64_t)opts->max_count < opts->min_count) ||
        (opts->free_account_count && !opts->free_accounts))
        return ctx_fail(ctx, NVITOP_EINVAL, "nvitop_select_devices: invalid options");
    *out = NULL;
    select_candidate_t *c = NULL;
    reasons_t *why = NULL;
    size_t n = 0;
    if (opts->max_count != 0 && (rc = gather(ctx, opts, &c, &why, &n)) < 0) return rc;
    bool uuid = opts->format == NVITOP_SELECT_FORMAT_UUID, forced = false;
    size_t kept = c ? select_rank(c, n, opts, &forced) : 0;
    rc = build_selection(c, why, kept, n, uuid || forced, out);
    free(c);
    free(why);
    return rc;
}

void nvitop_selection_free(nvitop_selection_t *selection)
{
    if (!selection) return;
    for (size_t i = 0; i < selection->count; i++)
        free((char *)selection->devices[i].id);
    free(selection->devices);
    free(selection);
}
