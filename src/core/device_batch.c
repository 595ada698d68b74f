/* SPDX-License-Identifier: Apache-2.0 */
/* nvitop_devices_query(): several devices at once. The driver takes about 20 ms for each PCIe
 * throughput direction of each device (it counts bytes over that window), so asking 8 GPUs one
 * after the other costs 330 ms; here each (device, direction) is asked by a worker thread of
 * its own, all at once. The workers only make NVML calls with handles copied at the start;
 * every device object (memo, caches) is touched by the caller's thread alone, before and
 * after. */
#include "core/core_internal.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Enough to ask 32 GPUs' two directions at once; more jobs wait for a free worker. */
#define MAX_WORKERS 64

#define PCIE_BITS (NVITOP_DQ_PCIE_TX | NVITOP_DQ_PCIE_RX)

typedef struct pcie_job {
    size_t device;    /* position in the query's devices */
    unsigned counter; /* NVML_PCIE_UTIL_TX_BYTES or NVML_PCIE_UTIL_RX_BYTES */
    const nvml_lib_t *lib;
    nvmlDevice_t handle; /* copied at begin: a worker never reads the device object */
    nvmlReturn_t rc;     /* written by one worker, read by the caller after the join */
    unsigned kibps;
} pcie_job_t;

struct nvitop_devices_query {
    uint64_t what;
    size_t count;
    nvitop_device_t **devices;
    nvitop_device_snapshot_t *answers; /* filled at begin, completed at end */
    size_t job_count;
    pcie_job_t *jobs;
    atomic_size_t next_job;
    size_t worker_count;
    pthread_t workers[MAX_WORKERS];
};

static uint64_t expand(uint64_t what)
{
    return what & NVITOP_DQ_PCIE_THROUGHPUT ? what | PCIE_BITS : what;
}

/* Takes jobs until none is left: the workers, and the caller at the end (so that every job is
 * done even when no thread could be started). */
static void run_jobs(nvitop_devices_query_t *q)
{
    for (;;) {
        size_t i = atomic_fetch_add(&q->next_job, 1);
        if (i >= q->job_count) return;
        pcie_job_t *job = &q->jobs[i];
        job->rc = nvml_device_uint_arg(job->lib, NVML_FN_PCIE_THROUGHPUT, job->handle, job->counter,
                                       &job->kibps);
    }
}

static void *worker_main(void *arg)
{
    run_jobs(arg);
    return NULL;
}

/* A job for each direction asked that the device's memo does not answer already. */
static void plan_jobs(nvitop_devices_query_t *q)
{
    static const struct {
        uint64_t bit;
        unsigned counter;
    } dirs[] = {{NVITOP_DQ_PCIE_TX, NVML_PCIE_UTIL_TX_BYTES},
                {NVITOP_DQ_PCIE_RX, NVML_PCIE_UTIL_RX_BYTES}};
    for (size_t d = 0; d < q->count; d++) {
        nvitop_device_t *dev = q->devices[d];
        for (size_t k = 0; k < ARRAY_LEN(dirs); k++) {
            if (!(q->what & dirs[k].bit)) continue;
            if (device_memo_check(dev, NVML_FN_PCIE_THROUGHPUT, dirs[k].counter)) continue;
            q->jobs[q->job_count++] = (pcie_job_t){.device = d,
                                                   .counter = dirs[k].counter,
                                                   .lib = &dev->ctx->nvml,
                                                   .handle = dev->handle};
        }
    }
}

/* The workers block every signal (they inherit the mask they start with): a signal for the
 * program goes to one of its own threads, as with the collector's and the sampler's threads. */
static void start_workers(nvitop_devices_query_t *q)
{
    size_t want = q->job_count < MAX_WORKERS ? q->job_count : MAX_WORKERS;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (q->worker_count < want &&
           pthread_create(&q->workers[q->worker_count], NULL, worker_main, q) == 0)
        q->worker_count++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void query_free(nvitop_devices_query_t *q)
{
    if (!q) return;
    free(q->jobs);
    free(q->answers);
    free(q->devices);
    free(q);
}

static int check_devices(nvitop_device_t *const *devices, size_t count)
{
    if (count && !devices) return NVITOP_EINVAL;
    for (size_t i = 0; i < count; i++)
        if (!devices[i]) return NVITOP_EINVAL;
    for (size_t i = 0; i < count; i++)
        if (!devices[i]->ctx->initialized) return NVITOP_ENOTINIT;
    return NVITOP_OK;
}

/* The questions NVML's order puts before the PCIe throughput, on the caller's thread: a GPU
 * found lost there is not asked for its throughput, as nvitop_device_query() would not. */
static void ask_before(nvitop_devices_query_t *q)
{
    uint64_t before = q->what & ~(PCIE_BITS | NVITOP_DQ_PCIE_THROUGHPUT | NVITOP_DQ_NVLINK);
    for (size_t d = 0; d < q->count; d++)
        device_query_serial(q->devices[d], before, &q->answers[d]);
}

/* The answers of the workers, then what NVML's order puts after them (NVLink). */
static void ask_after(nvitop_devices_query_t *q)
{
    for (size_t j = 0; j < q->job_count; j++) {
        const pcie_job_t *job = &q->jobs[j];
        nvitop_device_snapshot_t *s = &q->answers[job->device];
        nvitop_int_t v =
            device_pcie_answer(q->devices[job->device], job->counter, job->rc, job->kibps);
        if (job->counter == NVML_PCIE_UTIL_TX_BYTES)
            s->pcie_tx_kibps = v;
        else
            s->pcie_rx_kibps = v;
    }
    for (size_t d = 0; d < q->count; d++) {
        nvitop_device_snapshot_t *s = &q->answers[d], later;
        /* A direction no worker asked: the device's memo answers it without the driver. */
        uint64_t rest = q->what & NVITOP_DQ_NVLINK;
        if (q->what & NVITOP_DQ_PCIE_TX && s->pcie_tx_kibps.na == NVITOP_NA_NOT_SAMPLED)
            rest |= NVITOP_DQ_PCIE_TX;
        if (q->what & NVITOP_DQ_PCIE_RX && s->pcie_rx_kibps.na == NVITOP_NA_NOT_SAMPLED)
            rest |= NVITOP_DQ_PCIE_RX;
        if (!rest) continue;
        device_query_serial(q->devices[d], rest, &later);
        if (rest & NVITOP_DQ_PCIE_TX) s->pcie_tx_kibps = later.pcie_tx_kibps;
        if (rest & NVITOP_DQ_PCIE_RX) s->pcie_rx_kibps = later.pcie_rx_kibps;
        if (rest & NVITOP_DQ_NVLINK) /* the NVLink fields close the struct */
            memcpy(&s->nvlink_count, &later.nvlink_count,
                   sizeof(*s) - offsetof(nvitop_device_snapshot_t, nvlink_count));
    }
}

int nvitop_devices_query_begin(nvitop_device_t *const *devices, size_t count, uint64_t what,
                               nvitop_devices_query_t **out)
{
    if (!out) return NVITOP_EINVAL;
    *out = NULL;
    int rc = check_devices(devices, count);
    if (rc < 0) return rc;
    nvitop_devices_query_t *q = calloc(1, sizeof(*q));
    if (!q) return NVITOP_ENOMEM;
    q->what = expand(what);
    q->count = count;
    q->devices = calloc(count ? count : 1, sizeof(*q->devices));
    q->answers = calloc(count ? count : 1, sizeof(*q->answers));
    q->jobs = calloc(count ? 2 * count : 1, sizeof(*q->jobs));
    if (!q->devices || !q->answers || !q->jobs) {
        query_free(q);
        return NVITOP_ENOMEM;
    }
    for (size_t i = 0; i < count; i++)
        q->devices[i] = devices[i];
    ask_before(q);
    plan_jobs(q);
    atomic_init(&q->next_job, 0);
    start_workers(q);
    *out = q;
    return NVITOP_OK;
}

int nvitop_devices_query_end(nvitop_devices_query_t *q, nvitop_device_snapshot_t *out)
{
    if (!q) return NVITOP_EINVAL;
    run_jobs(q);
    for (size_t w = 0; w < q->worker_count; w++)
        pthread_join(q->workers[w], NULL);
    ask_after(q);
    int rc = out || !q->count ? NVITOP_OK : NVITOP_EINVAL;
    if (out)
        for (size_t d = 0; d < q->count; d++)
            out[d] = q->answers[d];
    query_free(q);
    return rc;
}

int nvitop_devices_query(nvitop_device_t *const *devices, size_t count, uint64_t what,
                         nvitop_device_snapshot_t *out)
{
    if (!out && count) return NVITOP_EINVAL;
    nvitop_devices_query_t *q;
    int rc = nvitop_devices_query_begin(devices, count, what, &q);
    return rc < 0 ? rc : nvitop_devices_query_end(q, out);
}
