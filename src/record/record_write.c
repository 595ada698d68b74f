/* SPDX-License-Identifier: Apache-2.0 */
/* The recording as scenario JSON: a value that stayed the same is one number, one that changed
 * a {"seq": [...], "step_s": s} sequence with one element per sample; a call that failed is
 * left out (NOT_SUPPORTED) or named in the device's "errors". */
#include <math.h>
#include <string.h>

#include "record/record_internal.h"

#define MAX_ERRORS 128

typedef struct errors {
    const char *name[MAX_ERRORS];
    char own[MAX_ERRORS][64];
    nvmlReturn_t rc[MAX_ERRORS];
    size_t count;
} errors_t;

/* Records fn's error once (the first answer wins, as a scenario can hold one per name). */
static void add_error(errors_t *e, const char *fn, nvmlReturn_t rc)
{
    for (size_t i = 0; i < e->count; i++)
        if (strcmp(e->own[i], fn) == 0) return;
    if (e->count == MAX_ERRORS) return;
    str_copy(e->own[e->count], sizeof(e->own[0]), fn);
    e->name[e->count] = e->own[e->count];
    e->rc[e->count++] = rc;
}

/* "nvmlDeviceGetComputeRunningProcesses_v3" -> "nvmlDeviceGetComputeRunningProcesses": the
 * simulator applies an error named without its version to every version. */
static const char *base_name(const char *name, char *buf, size_t len)
{
    str_copy(buf, len, name);
    char *v = strrchr(buf, '_');
    if (v && v[1] == 'v' && v[2] >= '0' && v[2] <= '9') *v = '\0';
    return buf;
}

void rec_write_series(jw_t *w, const long long *values, unsigned n, double step_s)
{
    bool same = true;
    for (unsigned k = 1; k < n; k++)
        same &= values[k] == values[0];
    if (same) {
        jw_int(w, values[0]);
        return;
    }
    jw_object_begin(w);
    jw_key(w, "seq");
    jw_array_begin(w);
    for (unsigned k = 0; k < n; k++)
        jw_int(w, values[k]);
    jw_array_end(w);
    jw_key(w, "step_s");
    jw_real(w, step_s);
    jw_object_end(w);
}

static const rec_cell_t *cell(const rec_dev_t *dev, unsigned k, size_t probe)
{
    return &dev->cells[(size_t)k * rec_probe_count + probe];
}

static int field_index(const rec_probe_t *p, const char *field)
{
    for (int i = 0; i < REC_VALUES && p->fields[i]; i++)
        if (strcmp(p->fields[i], field) == 0) return i;
    return -1;
}

static bool same_key(const rec_probe_t *a, const rec_probe_t *b)
{
    if (!a->key || !b->key) return a == b;
    return strcmp(a->key, b->key) == 0;
}

/* The probe that gives (key of probe `first`, field): the first that answered in sample 0. */
static long source_of(const rec_dev_t *dev, size_t first, const char *field)
{
    for (size_t i = first; i < rec_probe_count; i++) {
        const rec_probe_t *p = &rec_probes[i];
        if (!same_key(p, &rec_probes[first])) continue;
        if (cell(dev, 0, i)->rc != NVML_SUCCESS) continue;
        if (field ? field_index(p, field) >= 0 : !p->fields[0]) return (long)i;
    }
    return -1;
}

static void write_value(jw_t *w, const rec_t *r, const rec_dev_t *dev, size_t probe, int index)
{
    const rec_probe_t *p = &rec_probes[probe];
    if (p->kind == REC_TEXT || p->kind == REC_BUS_ID) {
        jw_string(w, dev->text[p->arg]);
        return;
    }
    if (p->flags & REC_ARRAY) {
        jw_array_begin(w);
        jw_int(w, cell(dev, 0, probe)->v[0]);
        jw_int(w, cell(dev, 0, probe)->v[1]);
        jw_array_end(w);
        return;
    }
    unsigned n = p->flags & REC_FIRST_ONLY ? 1 : r->samples;
    long long values[RECORD_MAX_SAMPLES];
    for (unsigned k = 0; k < n; k++) {
        const rec_cell_t *c = cell(dev, k, probe);
        values[k] = c->rc == NVML_SUCCESS || k == 0 ? c->v[index] : values[k - 1];
    }
    rec_write_series(w, values, n, r->step_s);
}

static bool is_first_of_key(size_t probe)
{
    for (size_t i = 0; i < probe; i++)
        if (same_key(&rec_probes[i], &rec_probes[probe])) return false;
    return true;
}

/* Writes the key of probe `first` if any of its fields answered; marks the probes used. */
static void write_key(jw_t *w, const rec_t *r, const rec_dev_t *dev, size_t first, bool *used)
{
    const rec_probe_t *head = &rec_probes[first];
    if (!head->fields[0]) {
        long src = source_of(dev, first, NULL);
        if (src < 0) return;
        used[src] = true;
        jw_key(w, head->key);
        write_value(w, r, dev, (size_t)src, 0);
        return;
    }
    bool open = false;
    for (size_t i = first; i < rec_probe_count; i++) {
        if (!same_key(&rec_probes[i], head)) continue;
        for (int f = 0; f < REC_VALUES && rec_probes[i].fields[f]; f++) {
            const char *field = rec_probes[i].fields[f];
            long src = source_of(dev, first, field);
            if (src != (long)i) continue; /* absent, or written from an earlier probe */
            used[src] = true;
            if (head->key && !open) jw_key(w, head->key), jw_object_begin(w), open = true;
            jw_key(w, field);
            write_value(w, r, dev, (size_t)src, field_index(&rec_probes[src], field));
        }
    }
    if (open) jw_object_end(w);
}

/* The errors of the probes: every failure but a NOT_SUPPORTED that leaving the key out says
 * already. A probe whose key another probe gave is named exactly (its version only). */
static void probe_errors(const rec_t *r, const rec_dev_t *dev, const bool *used, errors_t *e)
{
    for (size_t i = 0; i < rec_probe_count; i++) {
        const rec_probe_t *p = &rec_probes[i];
        nvmlReturn_t rc = cell(dev, 0, i)->rc;
        if (rc == NVML_SUCCESS || (dev->is_mig && !(p->flags & REC_ON_MIG))) continue;
        bool key_given = false, alternatives = false;
        for (size_t j = 0; j < rec_probe_count; j++) {
            if (j == i || !same_key(&rec_probes[j], p)) continue;
            if (rec_probes[j].fn != p->fn) alternatives = true;
            if (used[j] && rec_probes[j].fn != p->fn) key_given = true;
        }
        if (rc == NVML_ERROR_NOT_SUPPORTED && !key_given) continue;
        if (rc == NVML_ERROR_FUNCTION_NOT_FOUND && !r->lib.sym[p->fn]) continue;
        char buf[64];
        const char *name = nvml_fn_name(&r->lib, p->fn);
        add_error(e, alternatives ? name : base_name(name, buf, sizeof(buf)), rc);
    }
}

static void list_errors(const rec_t *r, const rec_dev_t *dev, errors_t *e)
{
    char buf[64];
    const rec_procs_t *ps = &dev->procs[0];
    if (ps->compute_rc != NVML_SUCCESS)
        add_error(e, base_name(nvml_fn_name(&r->lib, NVML_FN_COMPUTE_PROCESSES), buf, sizeof(buf)),
                  ps->compute_rc);
    if (ps->graphics_rc != NVML_SUCCESS)
        add_error(e, base_name(nvml_fn_name(&r->lib, NVML_FN_GRAPHICS_PROCESSES), buf, sizeof(buf)),
                  ps->graphics_rc);
    if (ps->samples_rc != NVML_SUCCESS && ps->samples_rc != NVML_ERROR_NOT_FOUND)
        add_error(e, nvml_fn_name(&r->lib, NVML_FN_PROCESS_UTILIZATION), ps->samples_rc);
    if (!dev->is_mig && dev->nvlink.call_rc != NVML_SUCCESS)
        add_error(e, nvml_fn_name(&r->lib, NVML_FN_FIELD_VALUES), dev->nvlink.call_rc);
}

static void write_errors(jw_t *w, const errors_t *e)
{
    if (!e->count) return;
    jw_key(w, "errors");
    jw_object_begin(w);
    for (size_t i = 0; i < e->count; i++) {
        jw_key(w, e->name[i]);
        jw_string(w, nvml_return_name(e->rc[i]));
    }
    jw_object_end(w);
}

static const rec_proc_t *proc_at(const rec_dev_t *dev, unsigned k, unsigned pid)
{
    const rec_procs_t *ps = &dev->procs[k];
    for (size_t i = 0; i < ps->count; i++)
        if (ps->list[i].pid == pid) return &ps->list[i];
    return NULL;
}

enum { P_USED, P_SM, P_MEM, P_ENC, P_DEC };

/* One number of a process over the samples (a sample without it repeats the previous). */
static void write_proc_series(jw_t *w, const rec_t *r, const rec_dev_t *dev, const rec_proc_t *p0,
                              int what)
{
    long long values[RECORD_MAX_SAMPLES];
    const rec_proc_t *last = p0;
    for (unsigned k = 0; k < r->samples; k++) {
        const rec_proc_t *p = proc_at(dev, k, p0->pid);
        if (p && (what == P_USED || p->has_sample)) last = p;
        const long long v[] = {(long long)last->used, last->sm, last->mem, last->enc, last->dec};
        values[k] = v[what];
        /* the simulator takes percentages in 0..100: a driver's odd sample must not make the
         * whole recording invalid */
        if (what != P_USED && values[k] > 100) values[k] = 100;
    }
    rec_write_series(w, values, r->samples, r->step_s);
}

static void write_processes(jw_t *w, const rec_t *r, const rec_dev_t *dev)
{
    const rec_procs_t *ps = &dev->procs[0];
    jw_key(w, "processes");
    jw_array_begin(w);
    for (size_t i = 0; i < ps->count; i++) {
        const rec_proc_t *p = &ps->list[i];
        static const char *const types[] = {"C", "C", "G", "C+G"};
        jw_object_begin(w);
        jw_key(w, "pid");
        jw_int(w, p->pid);
        jw_key(w, "type");
        jw_string(w, types[p->types & 3U]);
        if (p->used != NVML_VALUE_NOT_AVAILABLE_ULL) {
            jw_key(w, "used_memory");
            write_proc_series(w, r, dev, p, P_USED);
        }
        if (p->has_sample) {
            static const char *const keys[] = {"sm", "mem", "enc", "dec"};
            for (int k = 0; k < 4; k++) {
                jw_key(w, keys[k]);
                write_proc_series(w, r, dev, p, P_SM + k);
            }
        }
        jw_object_end(w);
    }
    jw_array_end(w);
}

/* Rate of counter i of a link between two rows, KiB/s. */
static long long link_rate(const rec_nvlink_t *nl, unsigned row, unsigned i)
{
    const unsigned long long *now = &nl->counters[(size_t)row * nl->links * 2];
    const unsigned long long *before = now - nl->links * 2;
    long long dt = nl->stamps[row] - nl->stamps[row - 1];
    if (dt <= 0 || now[i] < before[i]) return 0;
    return llround((double)(now[i] - before[i]) * 1e6 / (double)dt);
}

static void write_nvlink(jw_t *w, const rec_t *r, const rec_dev_t *dev)
{
    const rec_nvlink_t *nl = &dev->nvlink;
    if (nl->count_rc != NVML_SUCCESS) return;
    jw_key(w, "nvlink");
    jw_object_begin(w);
    jw_key(w, "links");
    jw_int(w, nl->links);
    for (unsigned dir = 0; nl->links && dir < 2; dir++) {
        jw_key(w, dir ? "rx_kib_s" : "tx_kib_s");
        jw_array_begin(w);
        for (unsigned l = 0; l < nl->links; l++) {
            long long values[RECORD_MAX_SAMPLES];
            for (unsigned k = 0; k < r->samples; k++)
                values[k] =
                    nl->link_rc[l][dir] == NVML_SUCCESS ? link_rate(nl, k + 1, 2 * l + dir) : 0;
            rec_write_series(w, values, r->samples, r->step_s);
        }
        jw_array_end(w);
    }
    jw_object_end(w);
}

/* Every call on the device failed the same way (a GPU fallen off the bus): "*". */
static bool all_failed(const rec_dev_t *dev, nvmlReturn_t *rc)
{
    *rc = cell(dev, 0, 0)->rc;
    if (*rc == NVML_SUCCESS || *rc == NVML_ERROR_NOT_SUPPORTED) return false;
    for (size_t i = 0; i < rec_probe_count; i++)
        if (cell(dev, 0, i)->rc != *rc) return false;
    const rec_procs_t *ps = &dev->procs[0];
    return ps->compute_rc == *rc && ps->graphics_rc == *rc && ps->samples_rc == *rc;
}

static void write_device_body(jw_t *w, const rec_t *r, const rec_dev_t *dev);

static void write_mig_devices(jw_t *w, const rec_t *r, const rec_dev_t *gpu)
{
    if (!gpu->mig_count) return;
    jw_key(w, "mig_devices");
    jw_array_begin(w);
    for (unsigned i = 0; i < gpu->mig_count; i++) {
        const rec_dev_t *m = &gpu->mig[i];
        jw_object_begin(w);
        jw_key(w, "gpu_instance_id");
        jw_int(w, m->gi);
        jw_key(w, "compute_instance_id");
        jw_int(w, m->ci);
        write_device_body(w, r, m);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void write_device_body(jw_t *w, const rec_t *r, const rec_dev_t *dev)
{
    bool used[REC_MAX_PROBES] = {false};
    for (size_t i = 0; i < rec_probe_count; i++)
        if (is_first_of_key(i) && (!dev->is_mig || (rec_probes[i].flags & REC_ON_MIG)))
            write_key(w, r, dev, i, used);
    if (!dev->is_mig) write_nvlink(w, r, dev);
    errors_t e = {.count = 0};
    probe_errors(r, dev, used, &e);
    list_errors(r, dev, &e);
    write_errors(w, &e);
    write_processes(w, r, dev);
    if (!dev->is_mig) write_mig_devices(w, r, dev);
}

static void write_device(jw_t *w, const rec_t *r, const rec_dev_t *dev)
{
    jw_object_begin(w);
    nvmlReturn_t rc;
    if (dev->handle_rc != NVML_SUCCESS) {
        errors_t e = {.count = 0};
        add_error(&e, "nvmlDeviceGetHandleByIndex", dev->handle_rc);
        write_errors(w, &e);
    } else if (all_failed(dev, &rc)) {
        errors_t e = {.count = 0};
        add_error(&e, "*", rc);
        write_errors(w, &e);
    } else {
        write_device_body(w, r, dev);
    }
    jw_object_end(w);
}

static void write_latencies(jw_t *w, const rec_t *r)
{
    jw_key(w, "latency_us");
    jw_object_begin(w);
    for (int fn = 0; fn < NVML_FN__COUNT; fn++) {
        double sum = r->latency.sum_us[fn];
        unsigned calls = r->latency.calls[fn];
        for (unsigned i = 0; i < r->dev_count; i++) {
            if (!r->devs[i].latency) continue;
            sum += r->devs[i].latency->sum_us[fn];
            calls += r->devs[i].latency->calls[fn];
        }
        if (!calls) continue;
        long long us = llround(sum / calls);
        if (us < 1) continue;
        jw_key(w, nvml_fn_name(&r->lib, (nvml_fn_t)fn));
        jw_int(w, us);
    }
    jw_object_end(w);
}

static void write_text_or_null(jw_t *w, const char *key, nvmlReturn_t rc, const char *text)
{
    jw_key(w, key);
    if (rc == NVML_SUCCESS)
        jw_string(w, text);
    else
        jw_null(w);
}

void rec_write(const rec_t *r, strbuf_t *out)
{
    jw_t w;
    jw_init(&w, out);
    jw_object_begin(&w);
    jw_key(&w, "description");
    strbuf_t d = {0};
    strbuf_printf(&d, "Recorded by nvitop %s --record-scenario: %u sample%s, %g s apart.",
                  NVITOP_VERSION_STRING, r->samples, r->samples == 1 ? "" : "s", r->step_s);
    jw_string(&w, strbuf_str(&d));
    strbuf_fini(&d);
    if (r->init_rc != NVML_SUCCESS) {
        jw_key(&w, "init_error");
        jw_string(&w, nvml_return_name(r->init_rc));
    } else {
        write_text_or_null(&w, "driver_version", r->driver_rc, r->driver_version);
        write_text_or_null(&w, "nvml_version", r->nvml_rc, r->nvml_version);
        jw_key(&w, "cuda_driver_version");
        if (r->cuda_rc == NVML_SUCCESS)
            jw_int(&w, r->cuda_version);
        else
            jw_null(&w);
    }
    write_latencies(&w, r);
    jw_key(&w, "devices");
    jw_array_begin(&w);
    for (unsigned i = 0; i < r->dev_count; i++)
        write_device(&w, r, &r->devs[i]);
    jw_array_end(&w);
    if (r->has_cuda_order) {
        jw_key(&w, "cuda");
        jw_object_begin(&w);
        jw_key(&w, "order");
        jw_array_begin(&w);
        for (unsigned i = 0; i < r->dev_count; i++)
            jw_int(&w, r->cuda_order[i]);
        jw_array_end(&w);
        jw_object_end(&w);
    }
    jw_object_end(&w);
    strbuf_putc(out, '\n');
}
