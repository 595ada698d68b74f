/* SPDX-License-Identifier: Apache-2.0 */
/* GPU processes of one device: the compute and graphics lists merged per pid, and the
 * per-process utilisation samples of the last second (nvitop's rules for missing samples). */
#include "core/core_internal.h"

#include <stdlib.h>
#include <string.h>

static int compare_pid(const void *a, const void *b)
{
    uint32_t x = ((const nvitop_gpu_process_t *)a)->pid;
    uint32_t y = ((const nvitop_gpu_process_t *)b)->pid;
    return (x > y) - (x < y);
}

static nvitop_gpu_process_t *find_pid(nvitop_gpu_process_t *procs, size_t count, uint32_t pid)
{
    nvitop_gpu_process_t key = {.pid = pid};
    return bsearch(&key, procs, count, sizeof(*procs), compare_pid);
}

static void process_init(nvitop_gpu_process_t *p, uint32_t pid)
{
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    p->gpu_memory_bytes = p->gpu_instance_id = p->compute_instance_id =
        na_int(NVITOP_NA_UNAVAILABLE);
    p->gpu_memory_percent = na_real(NVITOP_NA_NOT_SAMPLED);
    nvitop_int_t unsampled = na_int(NVITOP_NA_NOT_SAMPLED);
    p->gpu_sm_utilization_percent = p->gpu_memory_utilization_percent = unsampled;
    p->gpu_encoder_utilization_percent = p->gpu_decoder_utilization_percent = unsampled;
    host_process_set_na(&p->host, pid, NVITOP_NA_NOT_SAMPLED);
}

static void apply_entry(nvitop_gpu_process_t *p, const nvml_process_t *e, unsigned type)
{
    p->type |= type;
    /* The later list (graphics) wins, as in nvitop. */
    p->gpu_memory_bytes =
        e->used_memory == NVML_VALUE_NOT_AVAILABLE_ULL || e->used_memory > INT64_MAX
            ? na_int(NVITOP_NA_UNAVAILABLE)
            : some_int((int64_t)e->used_memory);
    p->gpu_instance_id = e->gpu_instance_id == NVML_INSTANCE_ID_NONE
                             ? na_int(NVITOP_NA_NOT_APPLICABLE)
                             : some_int(e->gpu_instance_id);
    p->compute_instance_id = e->compute_instance_id == NVML_INSTANCE_ID_NONE
                                 ? na_int(NVITOP_NA_NOT_APPLICABLE)
                                 : some_int(e->compute_instance_id);
}

/* One entry of a driver list, tagged with its list and its place in the lists (compute, then
 * graphics): of the entries of one pid the last wins, as in nvitop, whatever qsort does. */
typedef struct tagged_entry {
    nvml_process_t e;
    unsigned type;
    size_t order;
} tagged_entry_t;

typedef struct entry_list {
    tagged_entry_t *items;
    size_t count, cap;
} entry_list_t;

static int compare_entry(const void *a, const void *b)
{
    const tagged_entry_t *x = a, *y = b;
    if (x->e.pid != y->e.pid) return (x->e.pid > y->e.pid) - (x->e.pid < y->e.pid);
    return (x->order > y->order) - (x->order < y->order);
}

/* Sorts the entries by pid and folds those of one pid into one process: O(n log n). */
static int merge_entries(entry_list_t *entries, nvitop_gpu_process_t **out, size_t *count)
{
    if (entries->count)
        qsort(entries->items, entries->count, sizeof(*entries->items), compare_entry);
    nvitop_gpu_process_t *procs = calloc(entries->count ? entries->count : 1, sizeof(*procs));
    if (!procs) return NVITOP_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < entries->count; i++) {
        const tagged_entry_t *t = &entries->items[i];
        if (n == 0 || procs[n - 1].pid != t->e.pid) process_init(&procs[n++], t->e.pid);
        apply_entry(&procs[n - 1], &t->e, t->type);
    }
    *out = procs;
    *count = n;
    return NVITOP_OK;
}

/* Room for the last answer twice over, and never less than a small default, so the usual
 * case is one driver call. */
static unsigned size_hint(unsigned last, size_t known)
{
    size_t want = 2 * (last > known ? last : known) + 5;
    return want < 64 ? 64 : want > (1U << 20) ? (1U << 20) : (unsigned)want;
}

static nvitop_int_t sample_value(unsigned v)
{
    return v > 100 ? na_int(NVITOP_NA_UNAVAILABLE) : some_int(v);
}

static void apply_utilization(nvitop_device_t *dev, nvitop_gpu_process_t *procs, size_t count)
{
    nvitop_na_t na = device_memo_check(dev, NVML_FN_PROCESS_UTILIZATION, 0);
    nvmlProcessUtilizationSample_t *samples = NULL;
    unsigned n = 0;
    if (!na) {
        unsigned long long now_us = (unsigned long long)(clock_realtime_ns() / 1000);
        nvmlReturn_t rc =
            nvml_device_process_utilization(&dev->ctx->nvml, dev->handle, now_us - 1000000ULL,
                                            size_hint(dev->sample_hint, count), &samples, &n);
        if (n > dev->sample_hint) dev->sample_hint = n;
        na = rc == NVML_ERROR_NOT_FOUND
                 ? NVITOP_NA_NONE
                 : device_memo_record(dev, NVML_FN_PROCESS_UTILIZATION, 0, rc);
    }
    bool all_memory_known = true;
    for (size_t i = 0; i < count; i++)
        all_memory_known &= NVITOP_HAS(procs[i].gpu_memory_bytes);
    /* Without a sample a process reads 0 when every process has a known memory size. A
     * failed query is no samples, as in nvitop (0 too; N/A keeps the failure's reason). */
    nvitop_int_t fallback = all_memory_known ? some_int(0)
                            : na             ? na_int(na)
                                             : na_int(NVITOP_NA_UNAVAILABLE);
    unsigned long long *latest = calloc(count ? count : 1, sizeof(*latest));
    for (size_t i = 0; i < count; i++) {
        procs[i].gpu_sm_utilization_percent = procs[i].gpu_memory_utilization_percent = fallback;
        procs[i].gpu_encoder_utilization_percent = fallback;
        procs[i].gpu_decoder_utilization_percent = fallback;
    }
    for (unsigned s = 0; latest && s < n; s++) {
        nvitop_gpu_process_t *p = find_pid(procs, count, samples[s].pid);
        if (!p || samples[s].timeStamp < latest[p - procs])
            continue; /* the newest sample of a pid wins */
        latest[p - procs] = samples[s].timeStamp;
        p->gpu_sm_utilization_percent = sample_value(samples[s].smUtil);
        p->gpu_memory_utilization_percent = sample_value(samples[s].memUtil);
        p->gpu_encoder_utilization_percent = sample_value(samples[s].encUtil);
        p->gpu_decoder_utilization_percent = sample_value(samples[s].decUtil);
    }
    free(latest);
    free(samples);
}

static int add_driver_list(nvitop_device_t *dev, nvml_fn_t fn, unsigned type, entry_list_t *entries,
                           nvitop_na_t *failure)
{
    nvitop_na_t na = device_memo_check(dev, fn, 0);
    nvml_process_t *list = NULL;
    unsigned n = 0;
    if (!na)
        na = device_memo_record(dev, fn, 0,
                                nvml_device_processes(&dev->ctx->nvml, fn, dev->handle,
                                                      size_hint(dev->process_hint, 0), &list, &n));
    if (n > dev->process_hint) dev->process_hint = n;
    if (na && na != NVITOP_NA_NOT_SUPPORTED && na != NVITOP_NA_NO_FUNCTION &&
        na != NVITOP_NA_NOT_APPLICABLE)
        *failure = na;
    void *items = entries->items;
    if (n && array_reserve(&items, &entries->cap, entries->count + n, sizeof(tagged_entry_t)) < 0) {
        free(list);
        return NVITOP_ENOMEM;
    }
    entries->items = items;
    for (unsigned i = 0; i < n; i++, entries->count++)
        entries->items[entries->count] = (tagged_entry_t){list[i], type, entries->count};
    free(list);
    return NVITOP_OK;
}

int device_gpu_processes(nvitop_device_t *dev, unsigned what, nvitop_gpu_process_t **out,
                         size_t *count)
{
    *out = NULL;
    *count = 0;
    entry_list_t entries = {0};
    nvitop_na_t failure = NVITOP_NA_NONE;
    int rc =
        add_driver_list(dev, NVML_FN_COMPUTE_PROCESSES, NVITOP_PROCESS_COMPUTE, &entries, &failure);
    if (rc == NVITOP_OK && failure != NVITOP_NA_GPU_LOST)
        rc = add_driver_list(dev, NVML_FN_GRAPHICS_PROCESSES, NVITOP_PROCESS_GRAPHICS, &entries,
                             &failure);
    if (rc == NVITOP_OK) rc = merge_entries(&entries, out, count);
    free(entries.items);
    if (rc != NVITOP_OK) return rc;
    if (*count && (what & NVITOP_PQ_UTILIZATION)) apply_utilization(dev, *out, *count);
    if (failure == NVITOP_NA_GPU_LOST) return NVITOP_EGPULOST;
    return failure != NVITOP_NA_NONE ? NVITOP_ENVML : NVITOP_OK;
}

/* A process list and the arena that owns its strings, freed together. */
typedef struct process_list_box {
    nvitop_process_list_t list;
    arena_t arena;
} process_list_box_t;

int nvitop_device_processes(nvitop_device_t *dev, unsigned what, nvitop_process_list_t **out)
{
    if (!dev || !out) return NVITOP_EINVAL;
    *out = NULL;
    int rc = device_require(dev->ctx);
    if (rc < 0) return rc;
    process_list_box_t *box = calloc(1, sizeof(*box));
    if (!box) return NVITOP_ENOMEM;
    rc = device_gpu_processes(dev, what, &box->list.items, &box->list.count);
    if (rc == NVITOP_ENOMEM || rc == NVITOP_EGPULOST) {
        nvitop_process_list_free(&box->list);
        return rc;
    }
    nvitop_device_snapshot_t s;
    nvitop_device_query(dev, NVITOP_DQ_MEMORY, &s);
    host_sample_t sample = {0, 0.0};
    if (what & NVITOP_PQ_HOST) host_sample_read(dev->ctx, &sample);
    for (size_t i = 0; i < box->list.count; i++) {
        nvitop_gpu_process_t *p = &box->list.items[i];
        p->gpu_memory_percent = percent_1dp(p->gpu_memory_bytes, s.memory_total_bytes);
        if ((what & NVITOP_PQ_HOST) &&
            host_process_fill(dev->ctx, p->pid, &sample, &box->arena, &p->host) == NVITOP_ENOMEM) {
            nvitop_process_list_free(&box->list);
            return NVITOP_ENOMEM;
        }
    }
    *out = &box->list;
    return rc == NVITOP_ENVML ? NVITOP_OK : rc;
}

void nvitop_process_list_free(nvitop_process_list_t *list)
{
    if (!list) return;
    process_list_box_t *box = (process_list_box_t *)list;
    arena_fini(&box->arena);
    free(box->list.items);
    free(box);
}
