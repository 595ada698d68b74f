/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON document of `nvitop --json`: devices (with their MIG devices nested), processes with
 * their host data, and the host, written as it goes (no tree). Device keys come from the field
 * table, so the schema cannot drift from the snapshot. Missing values are null, with the
 * reason under "unavailable". */
#include "render/json.h"
#include "render/workloads.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "render/json_writer.h"

#define MAX_FIELDS 128

/* The reasons of the missing values of the object being written, listed at its end. */
typedef struct reasons {
    const char *key[MAX_FIELDS];
    nvitop_na_t na[MAX_FIELDS];
    size_t count;
} reasons_t;

static void note(reasons_t *r, const char *key, nvitop_na_t na)
{
    if (r && r->count < MAX_FIELDS) {
        r->key[r->count] = key;
        r->na[r->count++] = na;
    }
}

static void put_int(jw_t *w, reasons_t *r, const char *key, nvitop_int_t v)
{
    jw_key(w, key);
    if (NVITOP_HAS(v)) {
        jw_int(w, v.value);
        return;
    }
    jw_null(w);
    note(r, key, v.na);
}

static void put_real(jw_t *w, reasons_t *r, const char *key, nvitop_real_t v)
{
    jw_key(w, key);
    if (NVITOP_HAS(v) && v.value == v.value) {
        jw_real(w, v.value);
        return;
    }
    jw_null(w);
    note(r, key, NVITOP_HAS(v) ? NVITOP_NA_UNAVAILABLE : v.na);
}

static void put_str(jw_t *w, reasons_t *r, const char *key, nvitop_str_t v)
{
    jw_key(w, key);
    if (NVITOP_HAS(v) && v.value) {
        jw_string(w, v.value);
        return;
    }
    jw_null(w);
    note(r, key, NVITOP_HAS(v) ? NVITOP_NA_UNAVAILABLE : v.na);
}

static void put_text(jw_t *w, const char *key, const char *value)
{
    jw_key(w, key);
    if (value)
        jw_string(w, value);
    else
        jw_null(w);
}

static void put_reasons(jw_t *w, const reasons_t *r)
{
    jw_key(w, "unavailable");
    jw_object_begin(w);
    for (size_t i = 0; i < r->count; i++) {
        jw_key(w, r->key[i]);
        jw_string(w, nvitop_na_string(r->na[i]));
    }
    jw_object_end(w);
}

static void device_index_text(const nvitop_device_snapshot_t *d, char *buf, size_t len)
{
    if (d->is_mig)
        snprintf(buf, len, "%d:%d", d->physical_index, d->mig_index);
    else
        snprintf(buf, len, "%d", d->physical_index);
}

static void put_fields(jw_t *w, reasons_t *r, const nvitop_device_snapshot_t *d)
{
    size_t n;
    const nvitop_field_info_t *f = nvitop_device_fields(&n);
    for (size_t i = 0; i < n; i++) {
        const void *p = (const char *)d + f[i].offset;
        if (f[i].type == NVITOP_VALUE_INT)
            put_int(w, r, f[i].key, *(const nvitop_int_t *)p);
        else if (f[i].type == NVITOP_VALUE_REAL)
            put_real(w, r, f[i].key, *(const nvitop_real_t *)p);
        else
            put_str(w, r, f[i].key, *(const nvitop_str_t *)p);
    }
}

static void put_links(jw_t *w, const char *key, const nvitop_int_t *links, int64_t count)
{
    jw_key(w, key);
    jw_array_begin(w);
    for (int64_t l = 0; l < count && l < NVITOP_NVLINK_LINKS_MAX; l++)
        if (NVITOP_HAS(links[l]))
            jw_int(w, links[l].value);
        else
            jw_null(w);
    jw_array_end(w);
}

/* One device object, left open when it is a physical GPU (its MIG devices follow). Its links
 * come from `all` (every link) when the snapshot has it, else from the snapshot's first 18. */
static void device_object(jw_t *w, const nvitop_device_snapshot_t *snap_device,
                          const nvitop_nvlinks_t *all)
{
    nvitop_device_snapshot_t whole = *snap_device;
    const nvitop_device_snapshot_t *d = &whole;
    if (all && !NVITOP_HAS(all->count)) all = NULL;
    if (all) whole.nvlink_count = all->count;
    reasons_t r = {.count = 0};
    char index[32];
    device_index_text(d, index, sizeof(index));
    jw_object_begin(w);
    put_text(w, "index", index);
    jw_key(w, "physical_index");
    jw_int(w, d->physical_index);
    jw_key(w, "mig_index");
    if (d->is_mig)
        jw_int(w, d->mig_index);
    else
        jw_null(w);
    jw_key(w, "is_mig");
    jw_bool(w, d->is_mig);
    jw_key(w, "memory_is_host");
    jw_bool(w, d->memory_is_host);
    put_fields(w, &r, d);
    int64_t links = NVITOP_HAS(d->nvlink_count) ? d->nvlink_count.value : 0;
    put_links(w, "nvlink_tx_kibps", all ? all->tx_kibps : d->nvlink_tx_kibps, links);
    put_links(w, "nvlink_rx_kibps", all ? all->rx_kibps : d->nvlink_rx_kibps, links);
    put_reasons(w, &r);
}

static void devices_array(jw_t *w, const nvitop_snapshot_t *s)
{
    jw_key(w, "devices");
    jw_array_begin(w);
    for (size_t i = 0; i < s->device_count; i++) {
        if (s->devices[i].is_mig) continue; /* written inside their parent */
        device_object(w, &s->devices[i], s->nvlinks ? &s->nvlinks[i] : NULL);
        jw_key(w, "mig_devices");
        jw_array_begin(w);
        for (size_t j = i + 1; j < s->device_count && s->devices[j].is_mig; j++) {
            device_object(w, &s->devices[j], s->nvlinks ? &s->nvlinks[j] : NULL);
            jw_object_end(w);
        }
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void host_process_object(jw_t *w, const nvitop_host_process_t *h)
{
    reasons_t r = {.count = 0};
    bool readable = h->na == NVITOP_NA_NONE;
    jw_object_begin(w);
    put_text(w, "status",
             readable ? nvitop_process_status_string(h->state) : nvitop_na_string(h->na));
    jw_key(w, "is_zombie");
    jw_bool(w, h->is_zombie);
    put_int(w, &r, "ppid", h->ppid);
    put_int(w, &r, "uid", h->uid);
    put_str(w, &r, "username", h->username);
    put_str(w, &r, "name", h->name);
    put_int(w, &r, "num_threads", h->num_threads);
    put_real(w, &r, "create_time_s", h->create_time_s);
    put_real(w, &r, "running_time_s", h->running_time_s);
    put_real(w, &r, "cpu_percent", h->cpu_percent);
    put_int(w, &r, "cpu_time_ns", h->cpu_time_ns);
    put_int(w, &r, "rss_bytes", h->rss_bytes);
    put_real(w, &r, "memory_percent", h->memory_percent);
    put_str(w, &r, "command", h->command);
    jw_key(w, "cmdline");
    if (NVITOP_HAS(h->command)) {
        jw_array_begin(w);
        for (size_t i = 0; i < h->argc; i++)
            jw_string(w, h->argv[i]);
        jw_array_end(w);
    } else {
        jw_null(w);
        note(&r, "cmdline", h->command.na);
    }
    put_reasons(w, &r);
    jw_object_end(w);
}

/* Only in snapshots that gathered workloads (`--workload`), and for a process of another PID
 * namespace in every snapshot: docs/json.md. */
static void workload_object(jw_t *w, const nvitop_workload_t *wl)
{
    reasons_t r = {.count = 0};
    jw_key(w, "workload");
    jw_object_begin(w);
    put_text(w, "kind", nvitop_workload_kind_string(wl->kind));
    jw_key(w, "driver_pid");
    jw_int(w, wl->driver_pid);
    put_str(w, &r, "label", wl->label);
    put_str(w, &r, "source", wl->source);
    put_str(w, &r, "runtime", wl->runtime);
    put_str(w, &r, "container_id", wl->container_id);
    put_str(w, &r, "container_name", wl->container_name);
    put_str(w, &r, "pod_uid", wl->pod_uid);
    put_str(w, &r, "pod_namespace", wl->pod_namespace);
    put_str(w, &r, "pod_name", wl->pod_name);
    put_int(w, &r, "slurm_job_id", wl->slurm_job_id);
    put_str(w, &r, "slurm_step", wl->slurm_step);
    put_str(w, &r, "slurm_user", wl->slurm_user);
    put_int(w, &r, "user_uid", wl->user_uid);
    put_str(w, &r, "session", wl->session);
    put_str(w, &r, "unit", wl->unit);
    put_int(w, &r, "namespace_pid", wl->namespace_pid);
    put_reasons(w, &r);
    jw_object_end(w);
}

static void process_object(jw_t *w, const nvitop_snapshot_t *s, const nvitop_gpu_process_t *p)
{
    reasons_t r = {.count = 0};
    char index[32];
    const nvitop_device_snapshot_t *d = NULL;
    if (p->device >= 0 && (size_t)p->device < s->device_count) {
        d = &s->devices[p->device];
        device_index_text(d, index, sizeof(index));
    }
    jw_object_begin(w);
    jw_key(w, "pid");
    jw_int(w, p->pid);
    put_text(w, "device_index", d ? index : NULL);
    put_text(w, "device_uuid", d ? d->uuid.value : NULL);
    put_text(w, "type", nvitop_process_type_string(p->type));
    put_int(w, &r, "gpu_memory_bytes", p->gpu_memory_bytes);
    put_real(w, &r, "gpu_memory_percent", p->gpu_memory_percent);
    put_int(w, &r, "gpu_instance_id", p->gpu_instance_id);
    put_int(w, &r, "compute_instance_id", p->compute_instance_id);
    put_int(w, &r, "gpu_sm_utilization_percent", p->gpu_sm_utilization_percent);
    put_int(w, &r, "gpu_memory_utilization_percent", p->gpu_memory_utilization_percent);
    put_int(w, &r, "gpu_encoder_utilization_percent", p->gpu_encoder_utilization_percent);
    put_int(w, &r, "gpu_decoder_utilization_percent", p->gpu_decoder_utilization_percent);
    jw_key(w, "host");
    host_process_object(w, &p->host);
    const nvitop_workload_t *wl = render_workload_of(s, p);
    if (wl && !(wl->kind == NVITOP_WORKLOAD_UNKNOWN && wl->na == NVITOP_NA_NOT_SAMPLED))
        workload_object(w, wl);
    put_reasons(w, &r);
    jw_object_end(w);
}

static void counters(jw_t *w, const nvitop_host_snapshot_t *h)
{
    jw_key(w, "network");
    jw_array_begin(w);
    for (size_t i = 0; i < h->net_count; i++) {
        const nvitop_net_io_t *e = &h->net[i];
        jw_object_begin(w);
        put_text(w, "interface", e->name);
        put_int(w, NULL, "rx_bytes", e->rx_bytes);
        put_int(w, NULL, "tx_bytes", e->tx_bytes);
        put_int(w, NULL, "rx_packets", e->rx_packets);
        put_int(w, NULL, "tx_packets", e->tx_packets);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "disk_io");
    jw_array_begin(w);
    for (size_t i = 0; i < h->disk_io_count; i++) {
        const nvitop_disk_io_t *e = &h->disk_io[i];
        jw_object_begin(w);
        put_text(w, "partition", e->name);
        put_int(w, NULL, "read_bytes", e->read_bytes);
        put_int(w, NULL, "write_bytes", e->write_bytes);
        put_int(w, NULL, "read_count", e->read_count);
        put_int(w, NULL, "write_count", e->write_count);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "disk_usage");
    jw_array_begin(w);
    for (size_t i = 0; i < h->disk_usage_count; i++) {
        const nvitop_disk_usage_t *e = &h->disk_usage[i];
        jw_object_begin(w);
        put_text(w, "mountpoint", e->mountpoint);
        put_text(w, "device", e->device);
        put_text(w, "fstype", e->fstype);
        put_int(w, NULL, "total_bytes", e->total_bytes);
        put_int(w, NULL, "used_bytes", e->used_bytes);
        put_int(w, NULL, "free_bytes", e->free_bytes);
        put_real(w, NULL, "percent", e->percent);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void host_object(jw_t *w, const nvitop_host_snapshot_t *h)
{
    reasons_t r = {.count = 0};
    jw_key(w, "host");
    jw_object_begin(w);
    put_str(w, &r, "hostname", h->hostname);
    put_str(w, &r, "username", h->username);
    put_int(w, &r, "cpu_count", h->cpu_count);
    put_real(w, &r, "cpu_percent", h->cpu_percent);
    put_int(w, &r, "memory_total_bytes", h->memory_total_bytes);
    put_int(w, &r, "memory_used_bytes", h->memory_used_bytes);
    put_int(w, &r, "memory_free_bytes", h->memory_free_bytes);
    put_int(w, &r, "memory_available_bytes", h->memory_available_bytes);
    put_real(w, &r, "memory_percent", h->memory_percent);
    put_int(w, &r, "swap_total_bytes", h->swap_total_bytes);
    put_int(w, &r, "swap_used_bytes", h->swap_used_bytes);
    put_int(w, &r, "swap_free_bytes", h->swap_free_bytes);
    put_real(w, &r, "swap_percent", h->swap_percent);
    put_real(w, &r, "load_average_1m", h->load_average_1m);
    put_real(w, &r, "load_average_5m", h->load_average_5m);
    put_real(w, &r, "load_average_15m", h->load_average_15m);
    put_real(w, &r, "uptime_s", h->uptime_s);
    put_real(w, &r, "boot_time_s", h->boot_time_s);
    counters(w, h);
    put_reasons(w, &r);
    jw_object_end(w);
}

static void put_time(jw_t *w, int64_t unix_ns)
{
    time_t t = (time_t)(unix_ns / 1000000000);
    struct tm tm;
    char buf[64];
    bool ok = localtime_r(&t, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm);
    put_text(w, "time", ok ? buf : NULL);
    jw_key(w, "time_unix_s");
    jw_real(w, (double)unix_ns / 1e9);
}

int render_json(const nvitop_snapshot_t *snapshot, const nvitop_gpu_process_t *const *processes,
                size_t process_count, strbuf_t *out)
{
    const nvitop_snapshot_t *s = snapshot;
    reasons_t r = {.count = 0};
    jw_t w;
    jw_init(&w, out);
    jw_object_begin(&w);
    jw_key(&w, "schema_version");
    jw_int(&w, NVITOP_JSON_SCHEMA_VERSION);
    put_text(&w, "nvitop_version", nvitop_version());
    put_time(&w, s->time_unix_ns);
    put_str(&w, &r, "driver_version", s->driver_version);
    put_str(&w, &r, "nvml_version", s->nvml_version);
    char cuda[32];
    nvitop_str_t cuda_text = {NULL, s->cuda_driver_version.na};
    if (NVITOP_HAS(s->cuda_driver_version))
        cuda_text.value = nvitop_cuda_version_string(s->cuda_driver_version.value, cuda, 32);
    put_str(&w, &r, "cuda_driver_version", cuda_text);
    devices_array(&w, s);
    jw_key(&w, "processes");
    jw_array_begin(&w);
    for (size_t i = 0; i < process_count; i++)
        process_object(&w, s, processes[i]);
    jw_array_end(&w);
    host_object(&w, &s->host);
    put_reasons(&w, &r);
    jw_object_end(&w);
    if (!w.error && strbuf_putc(out, '\n') < 0) w.error = -1;
    return w.error || w.depth ? -1 : 0;
}
