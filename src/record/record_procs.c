/* SPDX-License-Identifier: Apache-2.0 */
/* What a device runs (process lists, utilisation samples), its MIG devices and its NVLink
 * counters, sample by sample. */
#include <stdlib.h>
#include <string.h>

#include "record/record_internal.h"

#define PROCESS_HINT 64

static rec_proc_t *find_proc(rec_procs_t *ps, unsigned pid)
{
    for (size_t i = 0; i < ps->count; i++)
        if (ps->list[i].pid == pid) return &ps->list[i];
    return NULL;
}

/* Adds the entries of one list; a GPU keeps its own processes only (on a MIG-enabled GPU the
 * driver lists those of its MIG devices too, which the MIG devices record). */
static void add_list(rec_procs_t *ps, const nvml_process_t *list, unsigned n, unsigned type,
                     bool own_only)
{
    for (unsigned i = 0; i < n; i++) {
        const nvml_process_t *e = &list[i];
        if (own_only && e->gpu_instance_id != NVML_INSTANCE_ID_NONE) continue;
        rec_proc_t *p = find_proc(ps, e->pid);
        if (!p) {
            rec_proc_t *grown = realloc(ps->list, (ps->count + 1) * sizeof(*grown));
            if (!grown) return;
            ps->list = grown;
            p = &ps->list[ps->count++];
            *p = (rec_proc_t){.pid = e->pid,
                              .used = e->used_memory,
                              .gi = e->gpu_instance_id,
                              .ci = e->compute_instance_id};
        }
        if (type == REC_COMPUTE || p->used == NVML_VALUE_NOT_AVAILABLE_ULL)
            p->used = e->used_memory;
        p->types |= type;
    }
}

static nvmlReturn_t ask_list(const rec_t *r, rec_dev_t *dev, nvml_fn_t fn, rec_procs_t *ps,
                             unsigned type)
{
    nvml_process_t *list = NULL;
    unsigned n = 0;
    uint64_t began = rec_timed_begin();
    nvmlReturn_t rc =
        rec_timed_end(r, dev->latency, fn, began,
                      nvml_device_processes(&r->lib, fn, dev->handle, PROCESS_HINT, &list, &n));
    if (rc == NVML_SUCCESS) add_list(ps, list, n, type, !dev->is_mig);
    free(list);
    return rc;
}

/* The newest sample of each process into ps; returns the call's answer (NOT_FOUND: none). */
static nvmlReturn_t ask_samples(const rec_t *r, rec_latency_t *lat, nvmlDevice_t handle,
                                rec_procs_t *ps)
{
    nvmlProcessUtilizationSample_t *s = NULL;
    unsigned n = 0;
    uint64_t began = rec_timed_begin();
    nvmlReturn_t rc =
        rec_timed_end(r, lat, NVML_FN_PROCESS_UTILIZATION, began,
                      nvml_device_process_utilization(&r->lib, handle, 0, PROCESS_HINT, &s, &n));
    for (unsigned i = 0; i < n; i++) {
        rec_proc_t *p = find_proc(ps, s[i].pid);
        if (!p) continue;
        if (p->has_sample && s[i].timeStamp < p->stamp) continue; /* keep the newest */
        p->has_sample = true;
        p->stamp = s[i].timeStamp;
        p->sm = s[i].smUtil, p->mem = s[i].memUtil, p->enc = s[i].encUtil, p->dec = s[i].decUtil;
    }
    free(s);
    return rc;
}

void rec_sample_procs(const rec_t *r, rec_dev_t *dev, const rec_dev_t *parent, unsigned k)
{
    rec_procs_t *ps = &dev->procs[k];
    ps->compute_rc = ask_list(r, dev, NVML_FN_COMPUTE_PROCESSES, ps, REC_COMPUTE);
    ps->graphics_rc = ask_list(r, dev, NVML_FN_GRAPHICS_PROCESSES, ps, REC_GRAPHICS);
    ps->samples_rc = ask_samples(r, dev->latency, dev->handle, ps);
    bool none = true;
    for (size_t i = 0; i < ps->count; i++)
        none &= !ps->list[i].has_sample;
    /* A driver without samples on MIG handles: the GPU's samples of the same pids. */
    if (parent && none && ps->samples_rc != NVML_SUCCESS)
        ask_samples(r, dev->latency, parent->handle, ps);
}

static void mig_dev_init(const rec_t *r, rec_dev_t *gpu, rec_dev_t *m, nvmlDevice_t handle)
{
    memset(m, 0, sizeof(*m));
    m->latency = gpu->latency;
    m->handle = handle;
    m->is_mig = true;
    m->cells = calloc((size_t)r->samples * rec_probe_count, sizeof(*m->cells));
    m->procs = calloc(r->samples, sizeof(*m->procs));
    unsigned id = 0;
    uint64_t began = rec_timed_begin();
    if (rec_timed_end(r, m->latency, NVML_FN_GPU_INSTANCE_ID, began,
                      nvml_device_uint(&r->lib, NVML_FN_GPU_INSTANCE_ID, handle, &id)) ==
        NVML_SUCCESS)
        m->gi = id;
    began = rec_timed_begin();
    if (rec_timed_end(r, m->latency, NVML_FN_COMPUTE_INSTANCE_ID, began,
                      nvml_device_uint(&r->lib, NVML_FN_COMPUTE_INSTANCE_ID, handle, &id)) ==
        NVML_SUCCESS)
        m->ci = id;
}

void rec_sample_mig(const rec_t *r, rec_dev_t *gpu, unsigned k)
{
    const rec_cell_t *mode = NULL, *max = NULL;
    for (size_t i = 0; i < rec_probe_count; i++) {
        const rec_cell_t *c = &gpu->cells[(size_t)k * rec_probe_count + i];
        if (rec_probes[i].fn == NVML_FN_MIG_MODE) mode = c;
        if (rec_probes[i].fn == NVML_FN_MAX_MIG_DEVICE_COUNT) max = c;
    }
    if (k == 0) {
        if (!mode || mode->rc != NVML_SUCCESS || mode->v[0] != 1) return;
        unsigned limit = max && max->rc == NVML_SUCCESS ? (unsigned)max->v[0] : 7;
        if (limit > REC_MAX_MIG) limit = REC_MAX_MIG;
        gpu->mig = calloc(limit ? limit : 1, sizeof(*gpu->mig));
        if (!gpu->mig) return;
        for (unsigned i = 0; i < limit; i++) {
            nvmlDevice_t h = NULL;
            uint64_t began = rec_timed_begin();
            nvmlReturn_t rc = rec_timed_end(r, gpu->latency, NVML_FN_MIG_HANDLE_BY_INDEX, began,
                                            nvml_device_mig_handle(&r->lib, gpu->handle, i, &h));
            if (rc == NVML_SUCCESS) mig_dev_init(r, gpu, &gpu->mig[gpu->mig_count++], h);
        }
    }
    for (unsigned i = 0; i < gpu->mig_count; i++) {
        rec_dev_t *m = &gpu->mig[i];
        if (!m->cells || !m->procs) continue;
        rec_sample_values(r, m, k);
        rec_sample_procs(r, m, gpu, k);
    }
}

/* The LINK_COUNT field, once. */
static void ask_link_count(const rec_t *r, rec_dev_t *dev)
{
    rec_nvlink_t *nl = &dev->nvlink;
    nvmlFieldValue_t f;
    memset(&f, 0, sizeof(f));
    f.fieldId = NVML_FI_DEV_NVLINK_LINK_COUNT;
    uint64_t began = rec_timed_begin();
    nl->call_rc = rec_timed_end(r, dev->latency, NVML_FN_FIELD_VALUES, began,
                                nvml_device_field_values(&r->lib, dev->handle, 1, &f));
    nl->count_rc = nl->call_rc == NVML_SUCCESS ? f.nvmlReturn : nl->call_rc;
    if (nl->count_rc != NVML_SUCCESS) return;
    nl->links = f.value.uiVal > REC_MAX_LINKS ? REC_MAX_LINKS : f.value.uiVal;
    nl->counters = calloc((size_t)(r->samples + 1) * nl->links * 2 + 1, sizeof(*nl->counters));
    nl->stamps = calloc(r->samples + 1, sizeof(*nl->stamps));
    if (!nl->counters || !nl->stamps) nl->links = 0;
}

void rec_sample_nvlink(const rec_t *r, rec_dev_t *dev, int k)
{
    rec_nvlink_t *nl = &dev->nvlink;
    if (k < 0) ask_link_count(r, dev);
    if (nl->count_rc != NVML_SUCCESS || nl->links == 0) return;
    nvmlFieldValue_t f[2 * REC_MAX_LINKS];
    memset(f, 0, sizeof(f));
    for (unsigned l = 0; l < nl->links; l++) {
        f[2 * l].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_TX;
        f[2 * l + 1].fieldId = NVML_FI_DEV_NVLINK_THROUGHPUT_DATA_RX;
        f[2 * l].scopeId = f[2 * l + 1].scopeId = l;
    }
    uint64_t began = rec_timed_begin();
    nvmlReturn_t rc =
        rec_timed_end(r, dev->latency, NVML_FN_FIELD_VALUES, began,
                      nvml_device_field_values(&r->lib, dev->handle, (int)(2 * nl->links), f));
    size_t row = (size_t)(k + 1);
    unsigned long long *c = &nl->counters[row * nl->links * 2];
    if (rc != NVML_SUCCESS && row > 0) { /* keep the rate: repeat the last counters */
        memcpy(c, c - nl->links * 2, nl->links * 2 * sizeof(*c));
        nl->stamps[row] = nl->stamps[row - 1];
        return;
    }
    for (unsigned i = 0; i < 2 * nl->links; i++) {
        c[i] = f[i].value.ullVal;
        if (k < 0) nl->link_rc[i / 2][i % 2] = rc == NVML_SUCCESS ? f[i].nvmlReturn : rc;
    }
    nl->stamps[row] = f[0].timestamp;
}

void rec_dev_fini(rec_dev_t *dev, unsigned samples)
{
    for (unsigned i = 0; i < dev->mig_count; i++)
        rec_dev_fini(&dev->mig[i], samples);
    free(dev->mig);
    if (dev->procs)
        for (unsigned k = 0; k < samples; k++)
            free(dev->procs[k].list);
    free(dev->procs);
    free(dev->cells);
    free(dev->nvlink.counters);
    free(dev->nvlink.stamps);
    if (!dev->is_mig) free(dev->latency);
    memset(dev, 0, sizeof(*dev));
}
