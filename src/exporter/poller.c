/* SPDX-License-Identifier: Apache-2.0 */
/* The poller: a fast ticker that takes a snapshot (host, devices, processes) every interval
 * and publishes its page, and a slow ticker that reads the PCIe and NVLink counters (about
 * 20 ms per call on a real H100) at their own pace, whose latest values the fast one merges
 * in. Each ticker has its own context: a context serves one thread at a time. Scrapes only
 * ever read published pages, so no scrape waits on the driver. ("Collector" is the library's
 * resource metric collector only.) */
#include "exporter/exporter_internal.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/leaf.h"
#include "util/ticker.h"

#define EXPORT_DEVICE_QUERY                                                                        \
    (NVITOP_DQ_NAME | NVITOP_DQ_UUID | NVITOP_DQ_MEMORY | NVITOP_DQ_UTILIZATION |                  \
     NVITOP_DQ_ENCODER | NVITOP_DQ_DECODER | NVITOP_DQ_CLOCKS | NVITOP_DQ_POWER_USAGE |            \
     NVITOP_DQ_POWER_LIMIT | NVITOP_DQ_TEMPERATURE | NVITOP_DQ_FAN)
#define EXPORT_HOST_QUERY                                                                          \
    (NVITOP_HQ_CPU | NVITOP_HQ_MEMORY | NVITOP_HQ_LOAD | NVITOP_HQ_UPTIME | NVITOP_HQ_NETWORK |    \
     NVITOP_HQ_DISK_IO | NVITOP_HQ_DISK_USAGE)

/* The slow counters, named alike in slow_values_t and nvitop_device_snapshot_t: the one list
 * the struct, slow_clear, slow_from and slow_into are made from. ONE(f) names a value, LINKS(f)
 * an array of one value per NVLink. */
#define SLOW_FIELDS(ONE, LINKS)                                                                    \
    ONE(pcie_tx_kibps)                                                                             \
    ONE(pcie_rx_kibps)                                                                             \
    ONE(nvlink_count)                                                                              \
    LINKS(nvlink_tx_kibps)                                                                         \
    LINKS(nvlink_rx_kibps)                                                                         \
    ONE(nvlink_total_tx_kibps)                                                                     \
    ONE(nvlink_total_rx_kibps)                                                                     \
    ONE(nvlink_mean_tx_kibps)                                                                      \
    ONE(nvlink_mean_rx_kibps)

#define SLOW_DECLARE_ONE(f) nvitop_int_t f;
#define SLOW_DECLARE_LINKS(f) nvitop_int_t f[NVITOP_NVLINK_MAX_LINKS];
#define SLOW_COPY_ONE(f) dst->f = src->f;
#define SLOW_COPY_LINKS(f) memcpy(dst->f, src->f, sizeof(dst->f));
#define SLOW_CLEAR_ONE(f) v->f = none;
#define SLOW_CLEAR_LINKS(f)                                                                        \
    for (size_t l = 0; l < NVITOP_NVLINK_MAX_LINKS; l++)                                           \
        v->f[l] = none;

/* The slow counters of one device, as the slow ticker last read them. */
typedef struct slow_values {
    int32_t physical_index, mig_index;
    SLOW_FIELDS(SLOW_DECLARE_ONE, SLOW_DECLARE_LINKS)
    nvitop_nvlinks_t links; /* every link (the snapshot's arrays stop at 18) */
} slow_values_t;

/* The first page's size estimate; an estimate too small only means growth, one too large is
 * trimmed when the page is published. */
#define PAGE_BYTES_PER_PROCESS 1300
#define PAGE_BYTES_PER_DEVICE 12288
#define PAGE_BYTES_HOST 16384

struct poller {
    char *hostname;
    uint64_t interval_ns;
    page_store_t *store;
    nvitop_ctx_t *ctx;      /* the fast ticker's */
    nvitop_ctx_t *slow_ctx; /* the slow ticker's */
    size_t page_hint;       /* bytes the last page needed */
    bool failing;           /* the last round failed (said once) */
    bool trimmed;           /* the heap given back after the first round */
    ticker_t *fast, *slow_ticker;

    pthread_mutex_t lock; /* guards the slow table */
    slow_values_t *slow;  /* one per device, in snapshot order */
    size_t slow_count;
};

static void slow_clear(slow_values_t *v, int32_t physical, int32_t mig)
{
    nvitop_int_t none = {0, NVITOP_NA_NOT_SAMPLED};
    v->physical_index = physical;
    v->mig_index = mig;
    SLOW_FIELDS(SLOW_CLEAR_ONE, SLOW_CLEAR_LINKS)
    v->links.size = sizeof(v->links);
    v->links.count = none;
    for (size_t l = 0; l < NVITOP_NVLINK_LINKS_MAX; l++)
        v->links.tx_kibps[l] = v->links.rx_kibps[l] = none;
}

static void slow_from(slow_values_t *dst, const nvitop_device_snapshot_t *src,
                      const nvitop_nvlinks_t *links)
{
    SLOW_FIELDS(SLOW_COPY_ONE, SLOW_COPY_LINKS)
    dst->links = *links;
}

static void slow_into(nvitop_device_snapshot_t *dst, nvitop_nvlinks_t *links,
                      const slow_values_t *src)
{
    SLOW_FIELDS(SLOW_COPY_ONE, SLOW_COPY_LINKS)
    *links = src->links;
}

/* The fast round found the device lost: one of its live answers says so. */
static bool found_lost(const nvitop_device_snapshot_t *d)
{
    const nvitop_int_t *live[] = {&d->memory_total_bytes, &d->gpu_utilization_percent,
                                  &d->temperature_c, &d->power_usage_mw, &d->clock_sm_mhz};
    for (size_t i = 0; i < ARRAY_LEN(live); i++)
        if (live[i]->na == NVITOP_NA_GPU_LOST) return true;
    return false;
}

/* The slow ticker's latest counters into the snapshot's devices (matched by index). A device
 * this round found lost gets none: the slow ticker's values may predate the loss, and a lost
 * GPU leaves the page whole, in one round. */
static void merge_slow(poller_t *c, nvitop_snapshot_t *snap)
{
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < snap->device_count; i++) {
        nvitop_device_snapshot_t *d = &snap->devices[i];
        int32_t mig = d->is_mig ? d->mig_index : -1;
        bool lost = found_lost(d);
        for (size_t k = 0; k < c->slow_count; k++) {
            size_t j = (i + k) % c->slow_count; /* the same position, in the usual case */
            if (c->slow[j].physical_index == d->physical_index && c->slow[j].mig_index == mig) {
                if (lost)
                    slow_clear(&c->slow[j], d->physical_index, mig); /* nothing stale later */
                else
                    slow_into(d, &snap->nvlinks[i], &c->slow[j]);
                break;
            }
        }
    }
    pthread_mutex_unlock(&c->lock);
}

/* What one round exports beyond the snapshot: per device, the processes under it. */
typedef struct round {
    export_procs_t *procs;
    const nvitop_gpu_process_t **ptrs;
    nvitop_process_list_t **parent_lists; /* per device: the list of a MIG-enabled GPU */
    size_t device_count;
} round_t;

static void round_fini(round_t *r)
{
    for (size_t i = 0; r->parent_lists && i < r->device_count; i++)
        nvitop_process_list_free(r->parent_lists[i]);
    free(r->parent_lists);
    free(r->procs);
    free(r->ptrs);
}

/* The host record of pid among the processes of the MIG devices following position `parent`
 * (read once per snapshot), so a process listed twice is sampled once. */
static const nvitop_host_process_t *child_host(const nvitop_snapshot_t *snap, size_t parent,
                                               uint32_t pid)
{
    for (size_t i = 0; i < snap->process_count; i++) {
        const nvitop_gpu_process_t *p = &snap->processes[i];
        if (p->pid == pid && (size_t)p->device > parent && snap->devices[p->device].is_mig &&
            snap->devices[p->device].physical_index == snap->devices[parent].physical_index)
            return &p->host;
    }
    return NULL;
}

/* nvitop-exporter lists the processes of every device it exports, a MIG-enabled GPU included
 * (its list holds the processes of its MIG devices): those lists are asked for here, without
 * host data, which is then shared with the MIG devices' records. */
static int parent_list(poller_t *c, const nvitop_snapshot_t *snap, size_t pos,
                       nvitop_process_list_t **out)
{
    const nvitop_device_snapshot_t *d = &snap->devices[pos];
    bool mig_enabled = !snapshot_device_is_leaf(snap, pos);
    *out = NULL;
    if (!mig_enabled) return 0;
    nvitop_device_t *dev;
    if (nvitop_device_get(c->ctx, (unsigned)d->physical_index, &dev) < 0) return 0;
    int rc = nvitop_device_processes(dev, NVITOP_PQ_UTILIZATION, out);
    if (rc == NVITOP_ENOMEM) return -1;
    for (size_t i = 0; *out && i < (*out)->count; i++) {
        nvitop_gpu_process_t *p = &(*out)->items[i];
        const nvitop_host_process_t *h = child_host(snap, pos, p->pid);
        if (h) p->host = *h; /* strings stay in the snapshot, freed after rendering */
    }
    return 0;
}

static int round_build(poller_t *c, const nvitop_snapshot_t *snap, round_t *r)
{
    size_t n = snap->device_count ? snap->device_count : 1;
    r->device_count = snap->device_count;
    r->procs = calloc(n, sizeof(*r->procs));
    r->parent_lists = calloc(n, sizeof(*r->parent_lists));
    if (!r->procs || !r->parent_lists) return -1;
    size_t total = snap->process_count;
    for (size_t i = 0; i < snap->device_count; i++) {
        if (parent_list(c, snap, i, &r->parent_lists[i]) < 0) return -1;
        if (r->parent_lists[i]) total += r->parent_lists[i]->count;
    }
    r->ptrs = calloc(total ? total : 1, sizeof(*r->ptrs));
    if (!r->ptrs) return -1;
    size_t used = 0, next = 0;
    for (size_t i = 0; i < snap->device_count; i++) {
        r->procs[i].items = r->ptrs + used;
        const nvitop_process_list_t *list = r->parent_lists[i];
        for (size_t j = 0; list && j < list->count; j++)
            r->ptrs[used++] = &list->items[j];
        /* snapshot processes are ordered by device position */
        for (; next < snap->process_count && (size_t)snap->processes[next].device == i; next++)
            r->ptrs[used++] = &snap->processes[next];
        r->procs[i].count = (size_t)(r->ptrs + used - r->procs[i].items);
    }
    return 0;
}

static void say_failure(poller_t *c, bool failed)
{
    if (failed && !c->failing)
        fprintf(stderr,
                "WARNING: Collection failed, the last page is served until it works "
                "again: %s\n",
                nvitop_ctx_message(c->ctx)[0] ? nvitop_ctx_message(c->ctx) : "out of memory");
    else if (!failed && c->failing)
        fprintf(stderr, "INFO: Collection works again.\n");
    c->failing = failed;
}

/* One round of the fast ticker: snapshot, slow values merged in, page published. */
static int collect_once(poller_t *c)
{
    nvitop_snapshot_request_t req = {
        .device_query = EXPORT_DEVICE_QUERY,
        .host_query = EXPORT_HOST_QUERY,
        .process_query = NVITOP_PQ_ALL | NVITOP_PQ_WORKLOAD,
    };
    nvitop_snapshot_t *snap = NULL;
    int rc = nvitop_snapshot_take(c->ctx, &req, &snap);
    if (rc < 0) return rc;
    merge_slow(c, snap);
    round_t r = {0};
    strbuf_t buf = {0};
    /* The first page has no last one to go by: about what one device and one process take on
     * the page (8 GPUs / 100 processes: 194 KiB; 64 / 4,000: 5.0 MiB), so that it does not
     * grow by doubling, the old and the new buffer alive at once. */
    if (!c->page_hint)
        c->page_hint = PAGE_BYTES_PER_PROCESS * snap->process_count +
                       PAGE_BYTES_PER_DEVICE * snap->device_count + PAGE_BYTES_HOST;
    rc = round_build(c, snap, &r) < 0 || strbuf_reserve_exact(&buf, c->page_hint) < 0
             ? NVITOP_ENOMEM
             : NVITOP_OK;
    export_input_t in = {c->hostname, snap, r.procs};
    export_index_t index;
    if (rc == NVITOP_OK && export_render(&in, &buf, &index) < 0) rc = NVITOP_ENOMEM;
    round_fini(&r);
    nvitop_snapshot_free(snap);
    page_t *page = NULL;
    if (rc == NVITOP_OK) {
        c->page_hint = buf.len + buf.len / 8;
        size_t len = buf.len;
        char *data = strbuf_take(&buf);
        /* The buffer grew by doubling (8 MiB for a 5 MiB page): the page keeps only its text. */
        char *fit = data ? realloc(data, len + 1) : NULL;
        page = page_new(c->store, fit ? fit : data, len, &index);
    }
    strbuf_fini(&buf);
    if (!page) return NVITOP_ENOMEM;
    page_store_publish(c->store, page);
    return NVITOP_OK;
}

/* A fixed rate; a late round starts the next one at once. */
static uint64_t fast_tick(void *arg, uint64_t due)
{
    poller_t *c = arg;
    say_failure(c, collect_once(c) < 0);
    if (!c->trimmed) {
        /* Startup's page and the scenario's parse lie in the main thread's heap, freed but
         * resident: given back once, the rounds live in this thread's arena from now on. */
        malloc_trim(0);
        c->trimmed = true;
    }
    return ticker_next(due, c->interval_ns);
}

/* One pass of the slow counters over every device, stored device by device. */
static void slow_round(poller_t *c)
{
    size_t pos = 0;
    unsigned count = 0;
    nvitop_device_count(c->slow_ctx, &count);
    for (unsigned i = 0; i < count && !ticker_stopping(c->slow_ticker); i++) {
        nvitop_device_t *dev;
        if (nvitop_device_get(c->slow_ctx, i, &dev) < 0) continue;
        unsigned migs = nvitop_device_mig_count(dev);
        for (unsigned j = 0; j <= migs && !ticker_stopping(c->slow_ticker); j++) {
            nvitop_device_t *d = dev;
            if (j > 0 && nvitop_device_mig_get(dev, j - 1, &d) < 0) continue;
            nvitop_device_snapshot_t s;
            nvitop_device_query(d, NVITOP_DQ_PCIE_THROUGHPUT | NVITOP_DQ_NVLINK, &s);
            nvitop_nvlinks_t links;
            nvitop_device_nvlinks(d, &links, sizeof(links));
            pthread_mutex_lock(&c->lock);
            if (pos < c->slow_count) slow_from(&c->slow[pos], &s, &links);
            pthread_mutex_unlock(&c->lock);
            pos++;
        }
    }
}

static uint64_t slow_tick(void *arg, uint64_t due)
{
    poller_t *c = arg;
    slow_round(c);
    return ticker_next(due, c->interval_ns);
}

/* Sizes the slow table from the slow context's devices (the fast context sees the same). */
static int slow_table_init(poller_t *c)
{
    unsigned count = 0;
    nvitop_device_count(c->slow_ctx, &count);
    size_t total = 0;
    for (unsigned i = 0; i < count; i++) {
        nvitop_device_t *dev;
        if (nvitop_device_get(c->slow_ctx, i, &dev) == 0) total += 1 + nvitop_device_mig_count(dev);
    }
    c->slow = calloc(total ? total : 1, sizeof(*c->slow));
    if (!c->slow) return -1;
    for (unsigned i = 0; i < count; i++) {
        nvitop_device_t *dev;
        if (nvitop_device_get(c->slow_ctx, i, &dev) < 0) continue;
        unsigned migs = nvitop_device_mig_count(dev);
        for (unsigned j = 0; j <= migs && c->slow_count < total; j++)
            slow_clear(&c->slow[c->slow_count++], (int32_t)i, j ? (int32_t)j - 1 : -1);
    }
    return 0;
}

static nvitop_ctx_t *open_ctx(strbuf_t *err)
{
    int error = 0;
    nvitop_ctx_t *ctx = nvitop_ctx_new(NULL, &error);
    if (!ctx) {
        strbuf_printf(err, "ERROR: Cannot open the proc file system: %s.", nvitop_strerror(error));
        return NULL;
    }
    if (nvitop_init(ctx) < 0) {
        strbuf_printf(err, "NVML ERROR: %s", nvitop_ctx_message(ctx));
        nvitop_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

poller_t *poller_new(nvitop_ctx_t *ctx, const char *hostname, double interval_s,
                     page_store_t *store, strbuf_t *err)
{
    poller_t *c = calloc(1, sizeof(*c));
    if (!c || !(c->hostname = strdup(hostname))) {
        strbuf_puts(err, "ERROR: Out of memory.");
        nvitop_ctx_free(ctx);
        free(c);
        return NULL;
    }
    c->interval_ns = ticker_ns(interval_s);
    c->store = store;
    pthread_mutex_init(&c->lock, NULL);
    c->ctx = ctx;
    c->slow_ctx = open_ctx(err);
    if (!c->slow_ctx || slow_table_init(c) < 0) {
        if (c->slow_ctx && !err->len) strbuf_puts(err, "ERROR: Out of memory.");
        poller_free(c);
        return NULL;
    }
    int rc = collect_once(c);
    if (rc < 0) {
        strbuf_printf(err, "NVML ERROR: %s",
                      nvitop_ctx_message(c->ctx)[0] ? nvitop_ctx_message(c->ctx)
                                                    : nvitop_strerror(rc));
        poller_free(c);
        return NULL;
    }
    malloc_trim(0); /* the round's freed blocks, before the server and the tickers start */
    return c;
}

int poller_start(poller_t *c)
{
    /* the first page is there already: the fast ticker's first round is one interval away */
    ticker_config_t fast = {
        .tick = fast_tick, .arg = c, .first = clock_monotonic_ns() + c->interval_ns};
    ticker_config_t slow = {.tick = slow_tick, .arg = c, .first = 0};
    if (ticker_start(&fast, &c->fast) < 0) return -1;
    return ticker_start(&slow, &c->slow_ticker);
}

void poller_free(poller_t *c)
{
    if (!c) return;
    if (c->fast) ticker_stop(c->fast); /* both at once, then join */
    if (c->slow_ticker) ticker_stop(c->slow_ticker);
    ticker_free(c->fast);
    ticker_free(c->slow_ticker);
    nvitop_ctx_free(c->slow_ctx);
    nvitop_ctx_free(c->ctx);
    pthread_mutex_destroy(&c->lock);
    free(c->slow);
    free(c->hostname);
    free(c);
}
