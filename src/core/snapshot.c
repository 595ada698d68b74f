/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_snapshot_take(): devices (physical, then their MIG devices), the processes of the
 * leaf devices joined with host data read once per pid, and the host, all owned by one arena. */
#include "core/core_internal.h"
#include "core/leaf.h"

#include <stdlib.h>
#include <string.h>

typedef struct snapshot_box {
    nvitop_snapshot_t snapshot;
    arena_t arena;
    nvitop_gpu_process_t *processes; /* the records as built, kept (snapshot.processes) */
} snapshot_box_t;

/* Copies the device record into the arena so the snapshot outlives the device objects. */
static int own_strings(arena_t *arena, nvitop_device_snapshot_t *s)
{
    nvitop_str_t *strs[] = {&s->name, &s->uuid, &s->bus_id, &s->serial};
    for (size_t i = 0; i < ARRAY_LEN(strs); i++) {
        if (!strs[i]->value) continue;
        if (!(strs[i]->value = arena_strdup(arena, strs[i]->value))) return NVITOP_ENOMEM;
    }
    return NVITOP_OK;
}

typedef struct device_list {
    nvitop_device_t **items; /* the device object behind each snapshot position */
    size_t count, cap;
    bool exact; /* the caller named the devices: each is a process source */
} device_list_t;

static int list_push(device_list_t *list, nvitop_device_t *dev)
{
    void *items = list->items;
    if (array_reserve(&items, &list->cap, list->count + 1, sizeof(*list->items)) < 0)
        return NVITOP_ENOMEM;
    list->items = items;
    list->items[list->count++] = dev;
    return NVITOP_OK;
}

static int select_given(nvitop_ctx_t *ctx, const nvitop_snapshot_request_t *req,
                        device_list_t *list)
{
    list->exact = true;
    for (size_t i = 0; i < req->device_count; i++) {
        nvitop_device_t *dev = req->devices[i];
        if (!dev) return ctx_fail(ctx, NVITOP_EINVAL, "Device %zu of the request is NULL.", i);
        if (dev->ctx != ctx)
            return ctx_fail(ctx, NVITOP_ENOTFOUND, "Device %zu belongs to another context.", i);
        if (list_push(list, dev) < 0) return NVITOP_ENOMEM;
    }
    return NVITOP_OK;
}

static int select_devices(nvitop_ctx_t *ctx, const nvitop_snapshot_request_t *req,
                          device_list_t *list)
{
    if (req->devices) return select_given(ctx, req, list);
    size_t n = req->indices ? req->index_count : ctx->device_count;
    for (size_t i = 0; i < n; i++) {
        unsigned index = req->indices ? req->indices[i] : (unsigned)i;
        if (index >= ctx->device_count)
            return ctx_fail(ctx, NVITOP_ENOTFOUND, "Invalid device index: %u.", index);
        nvitop_device_t *dev = &ctx->devices[index];
        if (list_push(list, dev) < 0) return NVITOP_ENOMEM;
        for (unsigned j = 0; j < nvitop_device_mig_count(dev); j++)
            if (list_push(list, &dev->migs[j]) < 0) return NVITOP_ENOMEM;
    }
    return NVITOP_OK;
}

static bool is_leaf(const device_list_t *list, size_t pos)
{
    return list->exact || device_is_leaf(list->items[pos]);
}

static int take_devices(const nvitop_snapshot_request_t *req, const device_list_t *list,
                        snapshot_box_t *box)
{
    nvitop_snapshot_t *s = &box->snapshot;
    /* MEMORY is needed for per-process memory percentages. */
    uint64_t what = req->device_query | (req->process_query ? NVITOP_DQ_MEMORY : 0);
    s->devices = arena_calloc(&box->arena, list->count, sizeof(*s->devices));
    s->nvlinks = arena_calloc(&box->arena, list->count, sizeof(*s->nvlinks));
    if (!s->devices || !s->nvlinks) return NVITOP_ENOMEM;
    s->device_count = list->count;
    /* All devices at once: their slow PCIe questions, if asked, run concurrently. */
    int rc = nvitop_devices_query(list->items, list->count, what, s->devices);
    if (rc == NVITOP_ENOMEM) return rc;
    for (size_t i = 0; i < list->count; i++) {
        device_nvlinks_clear(&s->nvlinks[i]);
        if (what & NVITOP_DQ_NVLINK)
            nvitop_device_nvlinks(list->items[i], &s->nvlinks[i], sizeof(s->nvlinks[i]));
        if (req->cuda_order) s->devices[i].cuda_index = (int32_t)i;
        if (own_strings(&box->arena, &s->devices[i]) < 0) return NVITOP_ENOMEM;
    }
    return NVITOP_OK;
}

typedef struct process_list {
    nvitop_gpu_process_t *items;
    size_t count, cap;
} process_list_t;

static int collect_processes(const nvitop_snapshot_request_t *req, const device_list_t *list,
                             nvitop_snapshot_t *s, process_list_t *procs)
{
    for (size_t pos = 0; pos < list->count; pos++) {
        if (!is_leaf(list, pos)) continue;
        nvitop_gpu_process_t *found = NULL;
        size_t n = 0;
        int rc = device_gpu_processes(list->items[pos], req->process_query, &found, &n);
        if (rc == NVITOP_ENOMEM) return rc;
        void *items = procs->items;
        if (n && array_reserve(&items, &procs->cap, procs->count + n, sizeof(*found)) < 0) {
            free(found);
            return NVITOP_ENOMEM;
        }
        procs->items = items;
        const nvitop_int_t total = s->devices[pos].memory_total_bytes;
        for (size_t i = 0; i < n; i++) {
            nvitop_gpu_process_t *p = &procs->items[procs->count++];
            *p = found[i];
            p->device = (int32_t)pos;
            p->gpu_memory_percent = percent_1dp(p->gpu_memory_bytes, total);
        }
        free(found);
    }
    return NVITOP_OK;
}

static int compare_by_pid(const void *a, const void *b)
{
    const nvitop_gpu_process_t *const *x = a, *const *y = b;
    return ((*x)->pid > (*y)->pid) - ((*x)->pid < (*y)->pid);
}

/* Host data once per pid (a pid on two GPUs shares one record and one CPU % sample). */
static int join_host(nvitop_ctx_t *ctx, const nvitop_host_snapshot_t *host, arena_t *arena,
                     process_list_t *procs, const bool *absent)
{
    if (!procs->count) return NVITOP_OK;
    nvitop_gpu_process_t **by_pid = calloc(procs->count, sizeof(*by_pid));
    if (!by_pid) return NVITOP_ENOMEM;
    for (size_t i = 0; i < procs->count; i++)
        by_pid[i] = &procs->items[i];
    qsort(by_pid, procs->count, sizeof(*by_pid), compare_by_pid);
    host_sample_t sample;
    host_sample_from(ctx, host, &sample);
    int rc = NVITOP_OK;
    for (size_t i = 0; rc == NVITOP_OK && i < procs->count; i++) {
        if (i > 0 && by_pid[i]->pid == by_pid[i - 1]->pid)
            by_pid[i]->host = by_pid[i - 1]->host;
        else if (absent && absent[by_pid[i] - procs->items]) /* looked up once already */
            host_process_set_na(&by_pid[i]->host, by_pid[i]->pid, NVITOP_NA_NO_SUCH_PROCESS);
        else
            rc = host_process_fill(ctx, by_pid[i]->pid, &sample, arena, &by_pid[i]->host);
    }
    free(by_pid);
    return rc;
}

/* The driver's pids as the proc root numbers them (they differ when nvitop runs in a PID
 * namespace and the root shows NSpid), and which ones it does not show at all. */
typedef struct namespace_view {
    uint32_t *driver_pid;
    bool *other;
    bool *absent; /* the proc root has no such pid */
} namespace_view_t;

static int map_pids(nvitop_ctx_t *ctx, process_list_t *procs, namespace_view_t *view)
{
    if (!procs->count) return NVITOP_OK;
    view->driver_pid = calloc(procs->count, sizeof(*view->driver_pid));
    view->other = calloc(procs->count, sizeof(*view->other));
    view->absent = calloc(procs->count, sizeof(*view->absent));
    if (!view->driver_pid || !view->other || !view->absent) return NVITOP_ENOMEM;
    pid_map_t map = {0};
    int rc = NVITOP_OK;
    for (size_t i = 0; rc == NVITOP_OK && i < procs->count; i++) {
        nvitop_gpu_process_t *p = &procs->items[i];
        uint32_t local;
        view->driver_pid[i] = p->pid;
        rc = pid_map_resolve(ctx, &map, p->pid, &local, &view->other[i], &view->absent[i]);
        p->pid = p->host.pid = local;
    }
    pid_map_fini(&map);
    return rc;
}

static bool any_other_namespace(const process_list_t *procs, const namespace_view_t *view)
{
    for (size_t i = 0; view->other && i < procs->count; i++)
        if (view->other[i]) return true;
    return false;
}

/* One workload record per process, in the order of the processes. Without `sampled` (no
 * NVITOP_PQ_WORKLOAD) only the processes of another PID namespace get theirs, so that they
 * read "other container" rather than "No Such Process"; the others' say NOT_SAMPLED. */
static int take_workloads(nvitop_ctx_t *ctx, const process_list_t *procs,
                          const namespace_view_t *view, bool sampled, snapshot_box_t *box)
{
    nvitop_workload_t *w = arena_calloc(&box->arena, procs->count, sizeof(*w));
    if (!w) return NVITOP_ENOMEM;
    for (size_t i = 0; i < procs->count; i++) {
        if (view->other[i]) {
            workload_set_other_namespace(&w[i], view->driver_pid[i]);
            continue;
        }
        if (!sampled) {
            workload_set_na(&w[i], procs->items[i].pid, NVITOP_NA_NOT_SAMPLED);
            w[i].driver_pid = view->driver_pid[i];
            continue;
        }
        if (workload_fill(ctx, procs->items[i].pid, &box->arena, &w[i]) < 0) return NVITOP_ENOMEM;
        w[i].driver_pid = view->driver_pid[i];
    }
    box->snapshot.workloads = w;
    return NVITOP_OK;
}

static int take_processes(nvitop_ctx_t *ctx, const nvitop_snapshot_request_t *req,
                          const device_list_t *list, snapshot_box_t *box)
{
    nvitop_snapshot_t *s = &box->snapshot;
    process_list_t procs = {0};
    namespace_view_t view = {0};
    int rc = collect_processes(req, list, s, &procs);
    if (rc == NVITOP_OK && (req->process_query & (NVITOP_PQ_HOST | NVITOP_PQ_WORKLOAD)))
        rc = map_pids(ctx, &procs, &view);
    if (rc == NVITOP_OK && (req->process_query & NVITOP_PQ_HOST))
        rc = join_host(ctx, &s->host, &box->arena, &procs, view.absent);
    bool sampled = req->process_query & NVITOP_PQ_WORKLOAD;
    if (rc == NVITOP_OK && procs.count && (sampled || any_other_namespace(&procs, &view)))
        rc = take_workloads(ctx, &procs, &view, sampled, box);
    free(view.driver_pid);
    free(view.other);
    free(view.absent);
    if (rc == NVITOP_OK && procs.count) {
        /* The snapshot keeps the records as built: a copy would put a second 4,000 of them
         * beside the first at the monitor's peak. */
        nvitop_gpu_process_t *fit = realloc(procs.items, procs.count * sizeof(*procs.items));
        box->processes = s->processes = fit ? fit : procs.items;
        s->process_count = procs.count;
        procs.items = NULL;
    }
    free(procs.items);
    if (req->process_query & NVITOP_PQ_HOST) /* forget pids unseen for ten minutes */
        host_proc_tracker_prune(&ctx->procs, nvitop_now_ns(ctx) - 600 * NS_PER_SEC);
    return rc;
}

static void take_versions(nvitop_ctx_t *ctx, snapshot_box_t *box)
{
    nvitop_snapshot_t *s = &box->snapshot;
    s->driver_version = nvitop_driver_version(ctx);
    s->nvml_version = nvitop_nvml_version(ctx);
    s->cuda_driver_version = nvitop_cuda_driver_version(ctx);
    if (s->driver_version.value)
        s->driver_version.value = arena_strdup(&box->arena, s->driver_version.value);
    if (s->nvml_version.value)
        s->nvml_version.value = arena_strdup(&box->arena, s->nvml_version.value);
}

int nvitop_snapshot_take(nvitop_ctx_t *ctx, const nvitop_snapshot_request_t *req,
                         nvitop_snapshot_t **out)
{
    if (!ctx || !req || !out) return NVITOP_EINVAL;
    *out = NULL;
    bool needs_nvml = req->device_query || req->process_query || req->indices || req->devices;
    int rc = needs_nvml ? device_require(ctx) : NVITOP_OK;
    if (rc < 0) return rc;
    snapshot_box_t *box = calloc(1, sizeof(*box));
    if (!box) return NVITOP_ENOMEM;
    nvitop_snapshot_t *s = &box->snapshot;
    s->timestamp_ns = nvitop_now_ns(ctx);
    s->time_unix_ns = clock_realtime_ns();
    s->driver_version = s->nvml_version = na_str(NVITOP_NA_NOT_SAMPLED);
    s->cuda_driver_version = na_int(NVITOP_NA_NOT_SAMPLED);
    device_list_t list = {0};
    /* The host first: process records reuse its memory total and uptime. */
    rc = host_snapshot_fill(ctx, req->host_query, &box->arena, &s->host);
    if (rc == NVITOP_OK && ctx->initialized) {
        take_versions(ctx, box);
        rc = select_devices(ctx, req, &list);
        if (rc == NVITOP_OK) rc = take_devices(req, &list, box);
        if (rc == NVITOP_OK && req->process_query) rc = take_processes(ctx, req, &list, box);
    }
    free(list.items);
    if (rc < 0) {
        nvitop_snapshot_free(s);
        return rc;
    }
    *out = s;
    return NVITOP_OK;
}

void nvitop_snapshot_free(nvitop_snapshot_t *snapshot)
{
    if (!snapshot) return;
    snapshot_box_t *box = (snapshot_box_t *)snapshot;
    arena_fini(&box->arena);
    free(box->processes);
    free(box);
}

int nvitop_take_snapshots(nvitop_ctx_t *ctx, nvitop_device_t *const *devices, size_t count,
                          unsigned flags, nvitop_snapshot_t **out)
{
    nvitop_snapshot_request_t req = {
        .device_query = NVITOP_DQ_ALL_FAST,
        .host_query = NVITOP_HQ_CPU | NVITOP_HQ_MEMORY | NVITOP_HQ_LOAD | NVITOP_HQ_UPTIME,
        .process_query = (flags & NVITOP_SNAPSHOT_NO_PROCESSES) ? 0 : NVITOP_PQ_ALL,
        .devices = devices,
        .device_count = devices ? count : 0,
        .cuda_order = (flags & NVITOP_SNAPSHOT_CUDA_ORDER) != 0,
    };
    return nvitop_snapshot_take(ctx, &req, out);
}

const nvitop_workload_t *nvitop_snapshot_workload(const nvitop_snapshot_t *snapshot, size_t i)
{
    if (!snapshot || !snapshot->workloads || i >= snapshot->process_count) return NULL;
    const char *base = (const char *)snapshot->workloads;
    return (const nvitop_workload_t *)(base + i * snapshot->workloads->size);
}
