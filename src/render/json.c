/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON document of `nvitop --json`: devices (with their MIG devices nested), processes with
 * their host data, and the host. Device keys come from the field table, so the schema cannot
 * drift from the snapshot. Missing values are null, with the reason under "unavailable". */
#include "render/json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s)
{
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xE0) == 0xC0 ? 2
                 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (len == 2 && s[0] < 0xC2) return 0; /* overlong */
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return len;
}

/* A JSON string of arbitrary bytes (command lines need not be UTF-8): invalid bytes become
 * U+FFFD, as Python's errors="replace" does. */
static json_t *text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    strbuf_t sb = {0};
    while (*p) {
        size_t n = utf8_sequence(p);
        int rc = n ? strbuf_append(&sb, (const char *)p, n) : strbuf_puts(&sb, "\xEF\xBF\xBD");
        if (rc < 0) {
            strbuf_fini(&sb);
            return NULL;
        }
        p += n ? n : 1;
    }
    json_t *value = json_string(sb.data ? sb.data : "");
    strbuf_fini(&sb);
    return value;
}

/* Adds key: value to obj, and key: reason to `unavailable` when the value is missing. */
static int put(json_t *obj, json_t *unavailable, const char *key, json_t *value, nvitop_na_t na)
{
    if (!value) return -1;
    if (na != NVITOP_NA_NONE && unavailable &&
        json_object_set_new(unavailable, key, json_string(nvitop_na_string(na))) < 0) {
        json_decref(value);
        return -1;
    }
    return json_object_set_new(obj, key, value);
}

static int put_int(json_t *obj, json_t *na, const char *key, nvitop_int_t v)
{
    return put(obj, na, key, NVITOP_HAS(v) ? json_integer(v.value) : json_null(), v.na);
}

static int put_real(json_t *obj, json_t *na, const char *key, nvitop_real_t v)
{
    bool ok = NVITOP_HAS(v) && isfinite(v.value);
    return put(obj, na, key, ok ? json_real(v.value) : json_null(), ok ? NVITOP_NA_NONE : v.na);
}

static int put_str(json_t *obj, json_t *na, const char *key, nvitop_str_t v)
{
    bool ok = NVITOP_HAS(v) && v.value;
    return put(obj, na, key, ok ? text(v.value) : json_null(), ok ? NVITOP_NA_NONE : v.na);
}

static void device_index_text(const nvitop_device_snapshot_t *d, char *buf, size_t len)
{
    if (d->is_mig)
        snprintf(buf, len, "%d:%d", d->physical_index, d->mig_index);
    else
        snprintf(buf, len, "%d", d->physical_index);
}

static int put_fields(json_t *obj, json_t *na, const nvitop_device_snapshot_t *d)
{
    size_t n;
    const nvitop_field_info_t *f = nvitop_device_fields(&n);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const void *p = (const char *)d + f[i].offset;
        if (f[i].type == NVITOP_VALUE_INT)
            rc = put_int(obj, na, f[i].key, *(const nvitop_int_t *)p);
        else if (f[i].type == NVITOP_VALUE_REAL)
            rc = put_real(obj, na, f[i].key, *(const nvitop_real_t *)p);
        else
            rc = put_str(obj, na, f[i].key, *(const nvitop_str_t *)p);
    }
    return rc;
}

static json_t *link_array(const nvitop_int_t *links, int64_t count)
{
    json_t *a = json_array();
    for (int64_t l = 0; a && l < count && l < NVITOP_NVLINK_MAX_LINKS; l++)
        json_array_append_new(a, NVITOP_HAS(links[l]) ? json_integer(links[l].value) : json_null());
    return a;
}

static json_t *device_object(const nvitop_device_snapshot_t *d)
{
    json_t *obj = json_object(), *na = json_object();
    char index[32];
    device_index_text(d, index, sizeof(index));
    int rc = obj && na ? 0 : -1;
    rc = rc ? rc : json_object_set_new(obj, "index", json_string(index));
    rc = rc ? rc : json_object_set_new(obj, "physical_index", json_integer(d->physical_index));
    rc = rc ? rc
            : json_object_set_new(obj, "mig_index",
                                  d->is_mig ? json_integer(d->mig_index) : json_null());
    rc = rc ? rc : json_object_set_new(obj, "is_mig", json_boolean(d->is_mig));
    rc = rc ? rc : json_object_set_new(obj, "memory_is_host", json_boolean(d->memory_is_host));
    rc = rc ? rc : put_fields(obj, na, d);
    int64_t links = NVITOP_HAS(d->nvlink_count) ? d->nvlink_count.value : 0;
    rc = rc ? rc
            : json_object_set_new(obj, "nvlink_tx_kibps", link_array(d->nvlink_tx_kibps, links));
    rc = rc ? rc
            : json_object_set_new(obj, "nvlink_rx_kibps", link_array(d->nvlink_rx_kibps, links));
    rc = rc ? rc : json_object_set(obj, "unavailable", na);
    json_decref(na);
    if (rc) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *devices_array(const nvitop_snapshot_t *s)
{
    json_t *devices = json_array(), *parent = NULL;
    for (size_t i = 0; devices && i < s->device_count; i++) {
        json_t *obj = device_object(&s->devices[i]);
        if (!obj) goto fail;
        if (!s->devices[i].is_mig) {
            parent = obj;
            if (json_object_set_new(obj, "mig_devices", json_array()) < 0 ||
                json_array_append_new(devices, obj) < 0)
                goto fail;
        } else if (!parent ||
                   json_array_append_new(json_object_get(parent, "mig_devices"), obj) < 0) {
            json_decref(obj);
            goto fail;
        }
    }
    return devices;
fail:
    json_decref(devices);
    return NULL;
}

static json_t *string_array(const char *const *items, size_t count)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < count; i++)
        if (json_array_append_new(a, text(items[i])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *host_process_object(const nvitop_host_process_t *h)
{
    json_t *obj = json_object(), *na = json_object();
    bool readable = h->na == NVITOP_NA_NONE;
    int rc = obj && na ? 0 : -1;
    const char *status =
        readable ? nvitop_process_status_string(h->state) : nvitop_na_string(h->na);
    rc = rc ? rc : json_object_set_new(obj, "status", json_string(status));
    rc = rc ? rc : json_object_set_new(obj, "is_zombie", json_boolean(h->is_zombie));
    rc = rc ? rc : put_int(obj, na, "ppid", h->ppid);
    rc = rc ? rc : put_int(obj, na, "uid", h->uid);
    rc = rc ? rc : put_str(obj, na, "username", h->username);
    rc = rc ? rc : put_str(obj, na, "name", h->name);
    rc = rc ? rc : put_int(obj, na, "num_threads", h->num_threads);
    rc = rc ? rc : put_real(obj, na, "create_time_s", h->create_time_s);
    rc = rc ? rc : put_real(obj, na, "running_time_s", h->running_time_s);
    rc = rc ? rc : put_real(obj, na, "cpu_percent", h->cpu_percent);
    rc = rc ? rc : put_int(obj, na, "cpu_time_ns", h->cpu_time_ns);
    rc = rc ? rc : put_int(obj, na, "rss_bytes", h->rss_bytes);
    rc = rc ? rc : put_real(obj, na, "memory_percent", h->memory_percent);
    rc = rc ? rc : put_str(obj, na, "command", h->command);
    json_t *argv = h->command.na == NVITOP_NA_NONE ? string_array(h->argv, h->argc) : json_null();
    rc = rc ? rc : put(obj, na, "cmdline", argv, h->command.na);
    rc = rc ? rc : json_object_set(obj, "unavailable", na);
    json_decref(na);
    if (rc) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *process_object(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *p)
{
    json_t *obj = json_object(), *na = json_object();
    int rc = obj && na ? 0 : -1;
    char index[32] = "";
    const nvitop_device_snapshot_t *d = NULL;
    if (p->device >= 0 && (size_t)p->device < s->device_count) {
        d = &s->devices[p->device];
        device_index_text(d, index, sizeof(index));
    }
    rc = rc ? rc : json_object_set_new(obj, "pid", json_integer(p->pid));
    rc = rc ? rc : json_object_set_new(obj, "device_index", d ? json_string(index) : json_null());
    rc = rc ? rc
            : json_object_set_new(obj, "device_uuid",
                                  d && d->uuid.value ? text(d->uuid.value) : json_null());
    rc = rc ? rc
            : json_object_set_new(obj, "type", json_string(nvitop_process_type_string(p->type)));
    rc = rc ? rc : put_int(obj, na, "gpu_memory_bytes", p->gpu_memory_bytes);
    rc = rc ? rc : put_real(obj, na, "gpu_memory_percent", p->gpu_memory_percent);
    rc = rc ? rc : put_int(obj, na, "gpu_instance_id", p->gpu_instance_id);
    rc = rc ? rc : put_int(obj, na, "compute_instance_id", p->compute_instance_id);
    rc = rc ? rc : put_int(obj, na, "gpu_sm_utilization_percent", p->gpu_sm_utilization_percent);
    rc = rc ? rc
            : put_int(obj, na, "gpu_memory_utilization_percent", p->gpu_memory_utilization_percent);
    rc = rc ? rc
            : put_int(obj, na, "gpu_encoder_utilization_percent",
                      p->gpu_encoder_utilization_percent);
    rc = rc ? rc
            : put_int(obj, na, "gpu_decoder_utilization_percent",
                      p->gpu_decoder_utilization_percent);
    rc = rc ? rc : json_object_set_new(obj, "host", host_process_object(&p->host));
    rc = rc ? rc : json_object_set(obj, "unavailable", na);
    json_decref(na);
    if (rc) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *counters_array(const nvitop_snapshot_t *s, int which)
{
    const nvitop_host_snapshot_t *h = &s->host;
    json_t *a = json_array();
    size_t n = which == 0 ? h->net_count : which == 1 ? h->disk_io_count : h->disk_usage_count;
    for (size_t i = 0; a && i < n; i++) {
        json_t *o = json_object();
        int rc = o ? 0 : -1;
        if (which == 0) {
            const nvitop_net_io_t *e = &h->net[i];
            rc = rc ? rc : json_object_set_new(o, "interface", text(e->name));
            rc = rc ? rc : put_int(o, NULL, "rx_bytes", e->rx_bytes);
            rc = rc ? rc : put_int(o, NULL, "tx_bytes", e->tx_bytes);
            rc = rc ? rc : put_int(o, NULL, "rx_packets", e->rx_packets);
            rc = rc ? rc : put_int(o, NULL, "tx_packets", e->tx_packets);
        } else if (which == 1) {
            const nvitop_disk_io_t *e = &h->disk_io[i];
            rc = rc ? rc : json_object_set_new(o, "partition", text(e->name));
            rc = rc ? rc : put_int(o, NULL, "read_bytes", e->read_bytes);
            rc = rc ? rc : put_int(o, NULL, "write_bytes", e->write_bytes);
            rc = rc ? rc : put_int(o, NULL, "read_count", e->read_count);
            rc = rc ? rc : put_int(o, NULL, "write_count", e->write_count);
        } else {
            const nvitop_disk_usage_t *e = &h->disk_usage[i];
            rc = rc ? rc : json_object_set_new(o, "mountpoint", text(e->mountpoint));
            rc = rc ? rc : json_object_set_new(o, "device", text(e->device));
            rc = rc ? rc : json_object_set_new(o, "fstype", text(e->fstype));
            rc = rc ? rc : put_int(o, NULL, "total_bytes", e->total_bytes);
            rc = rc ? rc : put_int(o, NULL, "used_bytes", e->used_bytes);
            rc = rc ? rc : put_int(o, NULL, "free_bytes", e->free_bytes);
            rc = rc ? rc : put_real(o, NULL, "percent", e->percent);
        }
        if (rc || json_array_append_new(a, o) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *host_object(const nvitop_snapshot_t *s)
{
    const nvitop_host_snapshot_t *h = &s->host;
    json_t *obj = json_object(), *na = json_object();
    int rc = obj && na ? 0 : -1;
    rc = rc ? rc : put_str(obj, na, "hostname", h->hostname);
    rc = rc ? rc : put_str(obj, na, "username", h->username);
    rc = rc ? rc : put_int(obj, na, "cpu_count", h->cpu_count);
    rc = rc ? rc : put_real(obj, na, "cpu_percent", h->cpu_percent);
    rc = rc ? rc : put_int(obj, na, "memory_total_bytes", h->memory_total_bytes);
    rc = rc ? rc : put_int(obj, na, "memory_used_bytes", h->memory_used_bytes);
    rc = rc ? rc : put_int(obj, na, "memory_free_bytes", h->memory_free_bytes);
    rc = rc ? rc : put_int(obj, na, "memory_available_bytes", h->memory_available_bytes);
    rc = rc ? rc : put_real(obj, na, "memory_percent", h->memory_percent);
    rc = rc ? rc : put_int(obj, na, "swap_total_bytes", h->swap_total_bytes);
    rc = rc ? rc : put_int(obj, na, "swap_used_bytes", h->swap_used_bytes);
    rc = rc ? rc : put_int(obj, na, "swap_free_bytes", h->swap_free_bytes);
    rc = rc ? rc : put_real(obj, na, "swap_percent", h->swap_percent);
    rc = rc ? rc : put_real(obj, na, "load_average_1m", h->load_average_1m);
    rc = rc ? rc : put_real(obj, na, "load_average_5m", h->load_average_5m);
    rc = rc ? rc : put_real(obj, na, "load_average_15m", h->load_average_15m);
    rc = rc ? rc : put_real(obj, na, "uptime_s", h->uptime_s);
    rc = rc ? rc : put_real(obj, na, "boot_time_s", h->boot_time_s);
    rc = rc ? rc : json_object_set_new(obj, "network", counters_array(s, 0));
    rc = rc ? rc : json_object_set_new(obj, "disk_io", counters_array(s, 1));
    rc = rc ? rc : json_object_set_new(obj, "disk_usage", counters_array(s, 2));
    rc = rc ? rc : json_object_set(obj, "unavailable", na);
    json_decref(na);
    if (rc) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

static json_t *time_text(int64_t unix_ns)
{
    time_t t = (time_t)(unix_ns / 1000000000);
    struct tm tm;
    char buf[64];
    if (!localtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm))
        return json_null();
    return json_string(buf);
}

static json_t *document(const nvitop_snapshot_t *s, const nvitop_gpu_process_t *const *procs,
                        size_t count)
{
    json_t *doc = json_object(), *na = json_object();
    int rc = doc && na ? 0 : -1;
    char cuda[32];
    nvitop_int_t cv = s->cuda_driver_version;
    nvitop_str_t cuda_text = NVITOP_HAS(cv)
                                 ? (nvitop_str_t){nvitop_cuda_version_string(cv.value, cuda, 32), 0}
                                 : (nvitop_str_t){NULL, cv.na};
    rc = rc ? rc
            : json_object_set_new(doc, "schema_version", json_integer(NVITOP_JSON_SCHEMA_VERSION));
    rc = rc ? rc : json_object_set_new(doc, "nvitop_version", json_string(nvitop_version()));
    rc = rc ? rc : json_object_set_new(doc, "time", time_text(s->time_unix_ns));
    rc =
        rc ? rc : json_object_set_new(doc, "time_unix_s", json_real((double)s->time_unix_ns / 1e9));
    rc = rc ? rc : put_str(doc, na, "driver_version", s->driver_version);
    rc = rc ? rc : put_str(doc, na, "nvml_version", s->nvml_version);
    rc = rc ? rc : put_str(doc, na, "cuda_driver_version", cuda_text);
    rc = rc ? rc : json_object_set_new(doc, "devices", devices_array(s));
    json_t *processes = json_array();
    for (size_t i = 0; processes && i < count; i++)
        if (json_array_append_new(processes, process_object(s, procs[i])) < 0) rc = -1;
    rc = rc ? rc : json_object_set_new(doc, "processes", processes);
    rc = rc ? rc : json_object_set_new(doc, "host", host_object(s));
    rc = rc ? rc : json_object_set(doc, "unavailable", na);
    json_decref(na);
    if (rc) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

int render_json(const nvitop_snapshot_t *snapshot, const nvitop_gpu_process_t *const *processes,
                size_t process_count, strbuf_t *out)
{
    json_t *doc = document(snapshot, processes, process_count);
    if (!doc) return -1;
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_ENSURE_ASCII);
    json_decref(doc);
    if (!text) return -1;
    int rc = strbuf_puts(out, text) < 0 || strbuf_putc(out, '\n') < 0 ? -1 : 0;
    free(text);
    return rc;
}
