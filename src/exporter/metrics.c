/* SPDX-License-Identifier: Apache-2.0 */
/* The metric table of nvitop-exporter 1.7 (names with prometheus_client's unit suffix, HELP
 * texts, label sets, the snapshot value behind each) and the page of one collection rendered
 * from it. Device metrics name their field of nvitop_device_fields(), which gives the place and
 * the unit (bytes become MiB, mW W, KiB/s MiB/s). */
#include "exporter/exporter_internal.h"

#include "render/words.h"
#include "render/workloads.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum scope {
    SC_INFO,         /* nvitop_info: one sample */
    SC_HOST,         /* labels: hostname */
    SC_NET,          /* + interface */
    SC_DISK_IO,      /* + partition */
    SC_DISK_USAGE,   /* + mountpoint */
    SC_DEVICE,       /* hostname, index, devicename, uuid */
    SC_NVLINK_TX,    /* + link */
    SC_NVLINK_RX,    /* + link */
    SC_PROCESS_INFO, /* process labels + status, command; value 1 */
    SC_PROCESS,      /* hostname, index, devicename, uuid, pid, username */
    SC_WORKLOAD,     /* ours: device labels, pid + the workload's labels; value 1 */
} scope_t;

/* Where a value lives in its record (host snapshot, net/disk entry or GPU process). */
typedef struct value_ref {
    nvitop_value_type_t type; /* INT or REAL */
    size_t offset;
    double divisor;
} value_ref_t;

typedef struct family {
    const char *name; /* as exposed, unit suffix included */
    const char *help;
    scope_t scope;
    const char *field; /* SC_DEVICE: key in nvitop_device_fields() */
    value_ref_t value; /* other scopes */
} family_t;

#define MIB 1048576.0
#define V(rec, type, member, div)                                                                  \
    {                                                                                              \
        NVITOP_VALUE_##type, offsetof(rec, member), div                                            \
    }
#define HOST(name, help, type, member, div)                                                        \
    {                                                                                              \
        name, help, SC_HOST, NULL, V(nvitop_host_snapshot_t, type, member, div)                    \
    }
#define SCOPED(scope, rec, name, help, member, div)                                                \
    {                                                                                              \
        name, help, scope, NULL, V(rec, INT, member, div)                                          \
    }
#define DEVICE(name, help, field)                                                                  \
    {                                                                                              \
        name, help, SC_DEVICE, field,                                                              \
        {                                                                                          \
            NVITOP_VALUE_INT, 0, 1.0                                                               \
        }                                                                                          \
    }
#define PROC(name, help, type, member, div)                                                        \
    {                                                                                              \
        name, help, SC_PROCESS, NULL, V(nvitop_gpu_process_t, type, member, div)                   \
    }

static const family_t families[] = {
    {"nvitop_info", "NVITOP Prometheus Exporter.", SC_INFO, NULL, {NVITOP_VALUE_INT, 0, 1.0}},
    HOST("host_uptime_Second", "Host uptime (s).", REAL, uptime_s, 1.0),
    HOST("host_cpu_percent_Percentage", "Host CPU percent (%).", REAL, cpu_percent, 1.0),
    HOST("host_virtual_memory_total_MiB", "Host virtual memory total (MiB).", INT,
         memory_total_bytes, MIB),
    HOST("host_virtual_memory_used_MiB", "Host virtual memory used (MiB).", INT, memory_used_bytes,
         MIB),
    HOST("host_virtual_memory_free_MiB", "Host virtual memory free (MiB).", INT, memory_free_bytes,
         MIB),
    HOST("host_virtual_memory_percent_Percentage", "Host virtual memory percent (%).", REAL,
         memory_percent, 1.0),
    HOST("host_swap_memory_total_MiB", "Host swap total (MiB).", INT, swap_total_bytes, MIB),
    HOST("host_swap_memory_used_MiB", "Host swap used (MiB).", INT, swap_used_bytes, MIB),
    HOST("host_swap_memory_free_MiB", "Host swap free (MiB).", INT, swap_free_bytes, MIB),
    HOST("host_swap_memory_percent_Percentage", "Host swap percent (%).", REAL, swap_percent, 1.0),
    HOST("host_load_average_1m_Percentage", "Host load average for the last minute.", REAL,
         load_average_1m, 1.0),
    HOST("host_load_average_5m_Percentage", "Host load average for the last 5 minutes.", REAL,
         load_average_5m, 1.0),
    HOST("host_load_average_15m_Percentage", "Host load average for the last 15 minutes.", REAL,
         load_average_15m, 1.0),
    SCOPED(SC_NET, nvitop_net_io_t, "host_net_io_tx_data_MiB",
           "Host network I/O transmitted data (MiB).", tx_bytes, MIB),
    SCOPED(SC_NET, nvitop_net_io_t, "host_net_io_rx_data_MiB",
           "Host network I/O received data (MiB).", rx_bytes, MIB),
    SCOPED(SC_NET, nvitop_net_io_t, "host_net_io_tx_packets_Packet",
           "Host network I/O transmitted packets.", tx_packets, 1.0),
    SCOPED(SC_NET, nvitop_net_io_t, "host_net_io_rx_packets_Packet",
           "Host network I/O received packets.", rx_packets, 1.0),
    SCOPED(SC_DISK_IO, nvitop_disk_io_t, "host_disk_io_read_data_MiB",
           "Host disk I/O read data (MiB).", read_bytes, MIB),
    SCOPED(SC_DISK_IO, nvitop_disk_io_t, "host_disk_io_write_data_MiB",
           "Host disk I/O write data (MiB).", write_bytes, MIB),
    SCOPED(SC_DISK_USAGE, nvitop_disk_usage_t, "host_disk_usage_total_MiB",
           "Host disk usage total (MiB).", total_bytes, MIB),
    SCOPED(SC_DISK_USAGE, nvitop_disk_usage_t, "host_disk_usage_used_MiB",
           "Host disk usage used (MiB).", used_bytes, MIB),
    SCOPED(SC_DISK_USAGE, nvitop_disk_usage_t, "host_disk_usage_free_MiB",
           "Host disk usage free (MiB).", free_bytes, MIB),
    {"host_disk_usage_percent_Percentage", "Host disk usage percent (%).", SC_DISK_USAGE, NULL,
     V(nvitop_disk_usage_t, REAL, percent, 1.0)},
    DEVICE("gpu_utilization_Percentage", "GPU utilization (%).", "gpu_utilization_percent"),
    DEVICE("gpu_memory_utilization_Percentage", "GPU memory utilization (%).",
           "memory_utilization_percent"),
    DEVICE("gpu_encoder_utilization_Percentage", "GPU encoder utilization (%).",
           "encoder_utilization_percent"),
    DEVICE("gpu_decoder_utilization_Percentage", "GPU decoder utilization (%).",
           "decoder_utilization_percent"),
    DEVICE("gpu_memory_total_MiB", "GPU memory total (MiB).", "memory_total_bytes"),
    DEVICE("gpu_memory_used_MiB", "GPU memory used (MiB).", "memory_used_bytes"),
    DEVICE("gpu_memory_free_MiB", "GPU memory free (MiB).", "memory_free_bytes"),
    DEVICE("gpu_memory_percent_Percentage", "GPU memory percent (%).", "memory_percent"),
    DEVICE("gpu_clock_sm_MHz", "GPU SM clock (MHz).", "clock_sm_mhz"),
    DEVICE("gpu_clock_memory_MHz", "GPU memory clock (MHz).", "clock_memory_mhz"),
    DEVICE("gpu_clock_graphics_MHz", "GPU graphics clock (MHz).", "clock_graphics_mhz"),
    DEVICE("gpu_clock_video_MHz", "GPU video clock (MHz).", "clock_video_mhz"),
    DEVICE("gpu_power_usage_W", "GPU power usage (W).", "power_usage_mw"),
    DEVICE("gpu_power_limit_W", "GPU power limit (W).", "power_limit_mw"),
    DEVICE("gpu_temperature_C", "GPU temperature (C).", "temperature_c"),
    DEVICE("gpu_fan_speed_Percentage", "GPU fan speed (%).", "fan_speed_percent"),
    DEVICE("gpu_pcie_tx_throughput_MiBps", "GPU PCIe transmit throughput (MiB/s).",
           "pcie_tx_kibps"),
    DEVICE("gpu_pcie_rx_throughput_MiBps", "GPU PCIe receive throughput (MiB/s).", "pcie_rx_kibps"),
    DEVICE("gpu_nvlink_total_tx_throughput_MiBps", "GPU total NVLink transmit throughput (MiB/s).",
           "nvlink_total_tx_kibps"),
    DEVICE("gpu_nvlink_total_rx_throughput_MiBps", "GPU total NVLink receive throughput (MiB/s).",
           "nvlink_total_rx_kibps"),
    DEVICE("gpu_nvlink_mean_tx_throughput_MiBps", "GPU mean NVLink transmit throughput (MiB/s).",
           "nvlink_mean_tx_kibps"),
    DEVICE("gpu_nvlink_mean_rx_throughput_MiBps", "GPU mean NVLink receive throughput (MiB/s).",
           "nvlink_mean_rx_kibps"),
    {"gpu_nvlink_tx_throughput_MiBps", "GPU NVLink transmit throughput (MiB/s).", SC_NVLINK_TX,
     NULL, V(nvitop_device_snapshot_t, INT, nvlink_tx_kibps, 1024.0)},
    {"gpu_nvlink_rx_throughput_MiBps", "GPU NVLink receive throughput (MiB/s).", SC_NVLINK_RX, NULL,
     V(nvitop_device_snapshot_t, INT, nvlink_rx_kibps, 1024.0)},
    {"process_info_info",
     "Process information.",
     SC_PROCESS_INFO,
     NULL,
     {NVITOP_VALUE_INT, 0, 1.0}},
    PROC("process_running_time_Second", "Process running time (s).", REAL, host.running_time_s,
         1.0),
    PROC("process_cpu_percent_Percentage", "Process CPU percent (%).", REAL, host.cpu_percent, 1.0),
    PROC("process_rss_memory_MiB", "Process memory resident set size (MiB).", INT, host.rss_bytes,
         MIB),
    PROC("process_memory_percent_Percentage", "Process memory percent (%).", REAL,
         host.memory_percent, 1.0),
    PROC("process_gpu_memory_MiB", "Process GPU memory (MiB).", INT, gpu_memory_bytes, MIB),
    PROC("process_gpu_sm_utilization_Percentage", "Process GPU SM utilization (%).", INT,
         gpu_sm_utilization_percent, 1.0),
    PROC("process_gpu_memory_utilization_Percentage", "Process GPU memory utilization (%).", INT,
         gpu_memory_utilization_percent, 1.0),
    PROC("process_gpu_encoder_utilization_Percentage", "Process GPU encoder utilization (%).", INT,
         gpu_encoder_utilization_percent, 1.0),
    PROC("process_gpu_decoder_utilization_Percentage", "Process GPU decoder utilization (%).", INT,
         gpu_decoder_utilization_percent, 1.0),
    /* Ours, after every family of nvitop-exporter so theirs stay byte for byte. */
    {"process_workload_info",
     "Process workload: container, Kubernetes pod, Slurm job, systemd session or unit.",
     SC_WORKLOAD,
     NULL,
     {NVITOP_VALUE_INT, 0, 1.0}},
};

const char *export_family_name(size_t i)
{
    return i < ARRAY_LEN(families) ? families[i].name : NULL;
}

/* A piece of the scratch buffer (offsets: the buffer may move while it grows). */
typedef struct span {
    size_t off, len;
} span_t;

/* One exported process: its labels for the nine value families, for process_info and for
 * process_workload_info. */
typedef struct proc_row {
    const nvitop_gpu_process_t *p;
    span_t labels, info_labels, workload_labels;
} proc_row_t;

typedef struct render {
    const export_input_t *in;
    strbuf_t *out;
    strbuf_t scratch;
    span_t host;         /* hostname="..." */
    span_t *head, *tail; /* per device: devicename,hostname,index | uuid */
    span_t *full;        /* per device: the whole label set of a device metric */
    proc_row_t *rows;
    size_t row_count;
    int failed;
} render_t;

static const char *label_or_na(const nvitop_str_t *s)
{
    return NVITOP_HAS(*s) && s->value ? s->value : NVITOP_NA_TEXT;
}

/* The name nvitop-exporter gives a device: its long-lived Device keeps the name read before a
 * loss (words.h). */
static const char *device_name(const nvitop_device_snapshot_t *d)
{
    return rpt_device_label(&d->name, rpt_device_lost(d), true);
}

/* psutil's word for a readable process; nvitop's failsafe `terminated` for one /proc cannot
 * read (gone, another PID namespace, refused), as nvitop-exporter's status label says. */
static const char *process_status(const nvitop_host_process_t *h)
{
    switch (h->na) {
    case NVITOP_NA_NONE:
        return h->state ? nvitop_process_status_string(h->state) : NVITOP_NA_TEXT;
    case NVITOP_NA_NOT_SAMPLED:
        return NVITOP_NA_TEXT;
    default:
        return "terminated";
    }
}

static const char *process_username(const nvitop_host_process_t *h)
{
    return h->na == NVITOP_NA_NONE ? label_or_na(&h->username) : NVITOP_NA_TEXT;
}

/* Appends `name="value"` to the scratch buffer. */
static void put_label(render_t *r, const char *name, const char *value)
{
    size_t n = strlen(name);
    if (strbuf_append(&r->scratch, name, n) < 0 || strbuf_append(&r->scratch, "=\"", 2) < 0 ||
        prom_append_label_value(&r->scratch, value) < 0 || strbuf_append(&r->scratch, "\"", 1) < 0)
        r->failed = -1;
}

static void put_text(render_t *r, const char *text)
{
    if (strbuf_puts(&r->scratch, text) < 0) r->failed = -1;
}

static void put_span(render_t *r, span_t s)
{
    if (strbuf_reserve(&r->scratch, s.len) < 0) {
        r->failed = -1;
        return;
    }
    /* the source is inside the buffer: reserve first so it cannot move under memcpy */
    memcpy(r->scratch.data + r->scratch.len, r->scratch.data + s.off, s.len);
    r->scratch.len += s.len;
    r->scratch.data[r->scratch.len] = '\0';
}

static span_t span_since(const render_t *r, size_t off)
{
    return (span_t){off, r->scratch.len - off};
}

static void device_index(const nvitop_device_snapshot_t *d, char *buf, size_t len)
{
    if (d->is_mig)
        snprintf(buf, len, "%d:%d", (int)d->physical_index, (int)d->mig_index);
    else
        snprintf(buf, len, "%d", (int)d->physical_index);
}

static void build_device_labels(render_t *r)
{
    const nvitop_snapshot_t *s = r->in->snap;
    size_t off = r->scratch.len;
    put_label(r, "hostname", r->in->hostname);
    r->host = span_since(r, off);
    for (size_t i = 0; i < s->device_count && !r->failed; i++) {
        const nvitop_device_snapshot_t *d = &s->devices[i];
        char index[32];
        device_index(d, index, sizeof(index));
        off = r->scratch.len;
        put_label(r, "devicename", device_name(d));
        put_text(r, ",");
        put_span(r, r->host);
        put_text(r, ",");
        put_label(r, "index", index);
        r->head[i] = span_since(r, off);
        off = r->scratch.len;
        put_label(r, "uuid", label_or_na(&d->uuid));
        r->tail[i] = span_since(r, off);
        off = r->scratch.len;
        put_span(r, r->head[i]);
        put_text(r, ",");
        put_span(r, r->tail[i]);
        r->full[i] = span_since(r, off);
    }
}

/* The workload of an exported process: its own record, or (a MIG-enabled GPU's list is not
 * the snapshot's) the record of the same pid in the snapshot. */
static const nvitop_workload_t *workload_of(const nvitop_snapshot_t *s,
                                            const nvitop_gpu_process_t *p)
{
    const nvitop_workload_t *w = render_workload_of(s, p);
    for (size_t i = 0; !w && s->workloads && i < s->process_count; i++)
        if (s->processes[i].pid == p->pid) w = nvitop_snapshot_workload(s, i);
    return w;
}

/* A workload label: its value, or "" (Prometheus: no such label) when not applicable. */
static void put_wl(render_t *r, const char *name, const nvitop_str_t *v)
{
    put_label(r, name, NVITOP_HAS(*v) && v->value ? v->value : "");
    put_text(r, ",");
}

/* Labels in sorted order, as every other family's. */
static void workload_labels(render_t *r, size_t dev, const char *pid, const nvitop_workload_t *w)
{
    char job[24] = "";
    if (NVITOP_HAS(w->slurm_job_id))
        snprintf(job, sizeof(job), "%lld", (long long)w->slurm_job_id.value);
    put_wl(r, "container_id", &w->container_id);
    put_wl(r, "container_name", &w->container_name);
    put_span(r, r->head[dev]);
    put_text(r, ",");
    put_label(r, "kind", nvitop_workload_kind_string(w->kind));
    put_text(r, ",");
    put_label(r, "pid", pid);
    put_text(r, ",");
    put_wl(r, "pod_name", &w->pod_name);
    put_wl(r, "pod_namespace", &w->pod_namespace);
    put_wl(r, "pod_uid", &w->pod_uid);
    put_wl(r, "runtime", &w->runtime);
    put_wl(r, "session", &w->session);
    put_label(r, "slurm_job_id", job);
    put_text(r, ",");
    put_wl(r, "slurm_step", &w->slurm_step);
    put_wl(r, "slurm_user", &w->slurm_user);
    put_wl(r, "unit", &w->unit);
    put_span(r, r->tail[dev]);
    put_text(r, ",");
    put_label(r, "workload", render_workload_label(w));
}

static void add_row(render_t *r, size_t dev, const nvitop_gpu_process_t *p)
{
    const nvitop_host_process_t *h = &p->host;
    char pid[24];
    format_ll(pid, (long long)p->pid);
    proc_row_t *row = &r->rows[r->row_count++];
    row->p = p;
    size_t off = r->scratch.len;
    put_span(r, r->head[dev]);
    put_text(r, ",");
    put_label(r, "pid", pid);
    put_text(r, ",");
    put_label(r, "username", process_username(h));
    put_text(r, ",");
    put_span(r, r->tail[dev]);
    row->labels = span_since(r, off);
    off = r->scratch.len;
    put_label(r, "command", rpt_process_command(h));
    put_text(r, ",");
    put_span(r, r->head[dev]);
    put_text(r, ",");
    put_label(r, "pid", pid);
    put_text(r, ",");
    put_label(r, "status", process_status(h));
    put_text(r, ",");
    put_label(r, "username", process_username(h));
    put_text(r, ",");
    put_span(r, r->tail[dev]);
    row->info_labels = span_since(r, off);
    const nvitop_workload_t *w = workload_of(r->in->snap, p);
    if (w) {
        off = r->scratch.len;
        workload_labels(r, dev, pid, w);
        row->workload_labels = span_since(r, off);
    }
}

/* Rows in device order; within a device, in the order given (the snapshot's: by pid). */
static int build_process_rows(render_t *r)
{
    const export_input_t *in = r->in;
    const nvitop_snapshot_t *s = in->snap;
    size_t total = 0;
    for (size_t i = 0; in->procs && i < s->device_count; i++)
        total += in->procs[i].count;
    if (!in->procs) total = s->process_count;
    r->rows = calloc(total ? total : 1, sizeof(*r->rows));
    if (!r->rows) return -1;
    for (size_t dev = 0; dev < s->device_count && !r->failed; dev++) {
        if (in->procs) {
            for (size_t j = 0; j < in->procs[dev].count && !r->failed; j++)
                add_row(r, dev, in->procs[dev].items[j]);
            continue;
        }
        for (size_t j = 0; j < s->process_count && !r->failed; j++)
            if (s->processes[j].device == (int32_t)dev) add_row(r, dev, &s->processes[j]);
    }
    return r->failed;
}

/* The value at ref in record base, scaled; false when not available. */
static bool read_value(const void *base, const value_ref_t *ref, double *v)
{
    const char *p = (const char *)base + ref->offset;
    if (ref->type == NVITOP_VALUE_REAL) {
        const nvitop_real_t *x = (const nvitop_real_t *)(const void *)p;
        if (!NVITOP_HAS(*x)) return false;
        *v = x->value / ref->divisor;
    } else {
        const nvitop_int_t *x = (const nvitop_int_t *)(const void *)p;
        if (!NVITOP_HAS(*x)) return false;
        *v = (double)x->value / ref->divisor;
    }
    return true;
}

/* Divisor turning a device field's unit into the unit of nvitop-exporter's metric. */
static double unit_divisor(const char *unit)
{
    if (strcmp(unit, "B") == 0) return MIB;
    if (strcmp(unit, "mW") == 0) return 1000.0;
    if (strcmp(unit, "KiB/s") == 0) return 1024.0;
    return 1.0;
}

static bool resolve_field(const char *key, value_ref_t *ref)
{
    size_t n;
    const nvitop_field_info_t *f = nvitop_device_fields(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].key, key) != 0) continue;
        *ref = (value_ref_t){f[i].type, f[i].offset, unit_divisor(f[i].unit)};
        return f[i].type != NVITOP_VALUE_STR;
    }
    return false;
}

/* One sample line: name{labels} value, the labels taken from the scratch buffer. */
static void sample(render_t *r, const char *name, span_t labels, double v)
{
    char number[PROM_NUMBER_MAX];
    size_t n = prom_format_number(v, number);
    strbuf_t *out = r->out;
    size_t need = strlen(name) + labels.len + n + 5;
    if (strbuf_reserve(out, need) < 0) {
        r->failed = -1;
        return;
    }
    /* the room is reserved: the pieces are copied in place (a page has 100,000 lines) */
    char *at = out->data + out->len;
    size_t name_len = strlen(name);
    memcpy(at, name, name_len);
    at += name_len;
    *at++ = '{';
    memcpy(at, r->scratch.data + labels.off, labels.len);
    at += labels.len;
    *at++ = '}';
    *at++ = ' ';
    memcpy(at, number, n);
    at += n;
    *at++ = '\n';
    *at = '\0';
    out->len = (size_t)(at - out->data);
}

/* A label set built on the fly (host scopes, nvitop_info): put into scratch, then sampled. */
static span_t scratch_labels(render_t *r, const char *name1, const char *value1)
{
    size_t off = r->scratch.len;
    put_span(r, r->host);
    if (name1) {
        put_text(r, ",");
        put_label(r, name1, value1);
    }
    return span_since(r, off);
}

static void info_sample(render_t *r, const family_t *f)
{
    const nvitop_snapshot_t *s = r->in->snap;
    size_t physical = 0;
    for (size_t i = 0; i < s->device_count; i++)
        physical += !s->devices[i].is_mig;
    char cuda[32] = NVITOP_NA_TEXT, count[32];
    if (NVITOP_HAS(s->cuda_driver_version))
        nvitop_cuda_version_string(s->cuda_driver_version.value, cuda, sizeof(cuda));
    snprintf(count, sizeof(count), "%zu", physical);
    size_t off = r->scratch.len;
    put_label(r, "cuda_driver_version", cuda);
    put_text(r, ",");
    put_label(r, "device_count", count);
    put_text(r, ",");
    put_label(r, "driver_version", label_or_na(&s->driver_version));
    put_text(r, ",");
    put_span(r, r->host);
    if (!r->failed) sample(r, f->name, span_since(r, off), 1.0);
}

static void host_samples(render_t *r, const family_t *f)
{
    const nvitop_host_snapshot_t *h = &r->in->snap->host;
    double v;
    size_t count = f->scope == SC_NET          ? h->net_count
                   : f->scope == SC_DISK_IO    ? h->disk_io_count
                   : f->scope == SC_DISK_USAGE ? h->disk_usage_count
                                               : 1;
    for (size_t i = 0; i < count && !r->failed; i++) {
        size_t mark = r->scratch.len;
        span_t labels = {0, 0};
        const void *record = h;
        if (f->scope == SC_NET) {
            record = &h->net[i];
            labels = scratch_labels(r, "interface", h->net[i].name);
        } else if (f->scope == SC_DISK_IO) {
            record = &h->disk_io[i];
            labels = scratch_labels(r, "partition", h->disk_io[i].name);
        } else if (f->scope == SC_DISK_USAGE) {
            record = &h->disk_usage[i];
            labels = scratch_labels(r, "mountpoint", h->disk_usage[i].mountpoint);
        } else {
            labels = r->host;
        }
        if (!r->failed && read_value(record, &f->value, &v)) sample(r, f->name, labels, v);
        r->scratch.len = mark; /* the per-entry labels are not needed again */
    }
}

static void device_samples(render_t *r, const family_t *f)
{
    const nvitop_snapshot_t *s = r->in->snap;
    value_ref_t ref;
    if (!resolve_field(f->field, &ref)) return;
    for (size_t i = 0; i < s->device_count && !r->failed; i++) {
        double v;
        if (read_value(&s->devices[i], &ref, &v)) sample(r, f->name, r->full[i], v);
    }
}

static void nvlink_samples(render_t *r, const family_t *f)
{
    const nvitop_snapshot_t *s = r->in->snap;
    for (size_t i = 0; i < s->device_count && !r->failed; i++) {
        /* Every link from the snapshot's nvlinks record; its 1.x arrays (18) without one. */
        const nvitop_device_snapshot_t *d = &s->devices[i];
        const nvitop_nvlinks_t *all = s->nvlinks ? &s->nvlinks[i] : NULL;
        if (all && !NVITOP_HAS(all->count)) all = NULL;
        nvitop_int_t count = all ? all->count : d->nvlink_count;
        if (!NVITOP_HAS(count)) continue;
        int64_t max = all ? NVITOP_NVLINK_LINKS_MAX : NVITOP_NVLINK_MAX_LINKS;
        const nvitop_int_t *rates = f->scope == SC_NVLINK_TX
                                        ? (all ? all->tx_kibps : d->nvlink_tx_kibps)
                                        : (all ? all->rx_kibps : d->nvlink_rx_kibps);
        for (int64_t l = 0; l < count.value && l < max && !r->failed; l++) {
            const nvitop_int_t *x = &rates[l];
            if (!NVITOP_HAS(*x)) continue;
            char link[16];
            snprintf(link, sizeof(link), "%d", (int)l);
            size_t mark = r->scratch.len;
            size_t off = r->scratch.len;
            put_span(r, r->head[i]);
            put_text(r, ",");
            put_label(r, "link", link);
            put_text(r, ",");
            put_span(r, r->tail[i]);
            if (!r->failed)
                sample(r, f->name, span_since(r, off), (double)x->value / f->value.divisor);
            r->scratch.len = mark;
        }
    }
}

static void process_samples(render_t *r, const family_t *f)
{
    const size_t host_at = offsetof(nvitop_gpu_process_t, host);
    bool from_host =
        f->value.offset >= host_at && f->value.offset < host_at + sizeof(nvitop_host_process_t);
    for (size_t i = 0; i < r->row_count && !r->failed; i++) {
        const proc_row_t *row = &r->rows[i];
        double v;
        if (f->scope == SC_PROCESS_INFO)
            sample(r, f->name, row->info_labels, 1.0);
        else if (f->scope == SC_WORKLOAD) {
            if (row->workload_labels.len) sample(r, f->name, row->workload_labels, 1.0);
        } else if ((!from_host || row->p->host.na == NVITOP_NA_NONE) &&
                   read_value(row->p, &f->value, &v))
            sample(r, f->name, row->labels, v); /* a host record that could not be read has none */
    }
}

static void family_samples(render_t *r, const family_t *f)
{
    switch (f->scope) {
    case SC_INFO:
        info_sample(r, f);
        break;
    case SC_HOST:
    case SC_NET:
    case SC_DISK_IO:
    case SC_DISK_USAGE:
        host_samples(r, f);
        break;
    case SC_DEVICE:
        device_samples(r, f);
        break;
    case SC_NVLINK_TX:
    case SC_NVLINK_RX:
        nvlink_samples(r, f);
        break;
    case SC_PROCESS_INFO:
    case SC_PROCESS:
    case SC_WORKLOAD:
        process_samples(r, f);
        break;
    }
}

_Static_assert(ARRAY_LEN(families) == EXPORT_FAMILY_COUNT, "EXPORT_FAMILY_COUNT");

int export_render(const export_input_t *in, strbuf_t *out, export_index_t *index)
{
    if (!in || !in->snap || !in->hostname || !out) return -1;
    size_t base = out->len;
    const nvitop_snapshot_t *s = in->snap;
    render_t r = {.in = in, .out = out};
    size_t n = s->device_count ? s->device_count : 1;
    r.head = calloc(n, sizeof(*r.head));
    r.tail = calloc(n, sizeof(*r.tail));
    r.full = calloc(n, sizeof(*r.full));
    if (!r.head || !r.tail || !r.full) r.failed = -1;
    if (!r.failed) build_device_labels(&r);
    if (!r.failed) build_process_rows(&r);
    for (size_t i = 0; i < ARRAY_LEN(families) && !r.failed; i++) {
        const family_t *f = &families[i];
        if (index) index->start[i] = out->len - base;
        if (strbuf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n", f->name, f->help, f->name) < 0)
            r.failed = -1;
        if (index) index->samples[i] = out->len - base;
        if (!r.failed) family_samples(&r, f);
    }
    if (index) index->start[EXPORT_FAMILY_COUNT] = out->len - base;
    free(r.rows);
    free(r.head);
    free(r.tail);
    free(r.full);
    strbuf_fini(&r.scratch);
    return r.failed;
}

int export_select(const char *page, const export_index_t *index, const char *const *names,
                  size_t count, strbuf_t *out)
{
    for (size_t i = 0; i < EXPORT_FAMILY_COUNT; i++) {
        bool wanted = false;
        for (size_t j = 0; j < count && !wanted; j++)
            wanted = strcmp(names[j], families[i].name) == 0;
        if (!wanted || index->samples[i] == index->start[i + 1]) continue;
        size_t len = index->start[i + 1] - index->start[i];
        if (strbuf_append(out, page + index->start[i], len) < 0) return -1;
    }
    return 0;
}
