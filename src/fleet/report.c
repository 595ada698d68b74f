/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet report (`nvitop --prometheus URL -1`) and its JSON (`--json`, docs/fleet.md): a
 * summary line, a line per node, a row per GPU under it, its processes under the GPU. A stale
 * node says why and shows no value; a value not reported is N/A (null in JSON), never 0. */
#include "fleet/fleet_report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The GPU table's columns, written once: heading and width. */
#define GPU_HEAD                                                                                   \
    "  GPU   NAME                               UTIL        MEMORY         POWER     TEMP PROCS"
#define GPU_ROW "  %-5s %-33.33s %5s %19s %13s %5s %5zu\n"
#define PROC_ROW "        pid %-8ld %-12s %10s  SM %4s  %-24s  %s\n"

/* "%.<digits>f<unit>" or N/A. */
static const char *num(char *buf, size_t len, double v, int digits, const char *unit)
{
    if (isnan(v))
        snprintf(buf, len, "N/A");
    else
        snprintf(buf, len, "%.*f%s", digits, v, unit);
    return buf;
}

static void pair(char *buf, size_t len, double used, double total, int digits, const char *unit)
{
    char a[32], b[32];
    snprintf(buf, len, "%s / %s", num(a, sizeof(a), used, digits, ""),
             num(b, sizeof(b), total, digits, unit));
}

void fleet_format_age(char *buf, size_t len, double now_s, double then_s)
{
    double age = now_s - then_s;
    if (isnan(age))
        snprintf(buf, len, "never");
    else if (age < 1)
        snprintf(buf, len, "now");
    else if (age < 120)
        snprintf(buf, len, "%.0f s ago", age);
    else if (age < 7200)
        snprintf(buf, len, "%.0f min ago", age / 60);
    else
        snprintf(buf, len, "%.0f h ago", age / 3600);
}

void fleet_format_summary(const fleet_t *f, const fleet_rules_t *rules, strbuf_t *out)
{
    fleet_summary_t s;
    fleet_summarize(f, rules, &s);
    strbuf_printf(out, "%zu node%s", s.nodes, s.nodes == 1 ? "" : "s");
    if (s.stale_nodes) strbuf_printf(out, " (%zu stale)", s.stale_nodes);
    strbuf_printf(out, ", %zu GPU%s: %zu busy, %zu idle, %.1f GiB free", s.gpus,
                  s.gpus == 1 ? "" : "s", s.busy, s.idle, s.free_memory_mib / 1024);
}

void fleet_format_node(const fleet_t *f, const fleet_node_t *n, strbuf_t *out)
{
    char age[32], a[32], b[80], c[32];
    fleet_format_age(age, sizeof(age), f->time_s, n->last_scrape_s);
    strbuf_printf(out, "%s (%s)", n->hostname, n->instance ? n->instance : "?");
    if (n->stale) {
        strbuf_printf(out, "  STALE: %s, last scrape %s", n->stale_reason, age);
        return;
    }
    pair(b, sizeof(b), n->memory_used_mib / 1024, n->memory_total_mib / 1024, 1, " GiB");
    strbuf_printf(out, "  CPU %s  MEM %s  LOAD %s  GPUs %zu",
                  num(a, sizeof(a), n->cpu_percent, 1, "%"), b,
                  num(c, sizeof(c), n->load_1m, 2, ""), fleet_node_physical_gpus(f, n));
    if (n->device_count >= 0) strbuf_printf(out, " of %ld", n->device_count);
    strbuf_printf(out, "  scraped %s", age);
}

size_t fleet_node_physical_gpus(const fleet_t *f, const fleet_node_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < n->gpu_count; i++)
        count += !fleet_gpu_is_mig(&f->gpus[n->gpu_first + i]);
    return count;
}

static void report_gpu(const fleet_t *f, size_t gi, strbuf_t *out)
{
    const fleet_gpu_t *g = &f->gpus[gi];
    char util[16], mem[80], power[80], temp[16];
    num(util, sizeof(util), g->util_percent, 0, "%");
    pair(mem, sizeof(mem), g->memory_used_mib, g->memory_total_mib, 0, "MiB");
    pair(power, sizeof(power), g->power_w, g->power_limit_w, 0, "W");
    num(temp, sizeof(temp), g->temperature_c, 0, "C");
    strbuf_printf(out, GPU_ROW, g->index, g->name ? g->name : "N/A", util, mem, power, temp,
                  g->process_count);
    for (size_t i = 0; i < f->proc_count; i++) {
        const fleet_process_t *p = &f->procs[i];
        if (p->gpu != gi) continue;
        char m[32], sm[16];
        strbuf_printf(out, PROC_ROW, p->pid, p->user ? p->user : "N/A",
                      num(m, sizeof(m), p->gpu_memory_mib, 0, "MiB"),
                      num(sm, sizeof(sm), p->sm_percent, 0, "%"), p->workload ? p->workload : "N/A",
                      p->command ? p->command : "N/A");
    }
}

void fleet_report_text(const fleet_t *f, const fleet_rules_t *rules, const char *url, strbuf_t *out)
{
    strbuf_printf(out, "Fleet of %s: ", url);
    fleet_format_summary(f, rules, out);
    strbuf_putc(out, '\n');
    for (size_t i = 0; i < f->node_count; i++) {
        const fleet_node_t *n = &f->nodes[i];
        strbuf_puts(out, "NODE ");
        fleet_format_node(f, n, out);
        strbuf_putc(out, '\n');
        if (n->gpu_count) strbuf_puts(out, GPU_HEAD "\n");
        for (size_t g = 0; g < n->gpu_count; g++)
            report_gpu(f, n->gpu_first + g, out);
    }
}

/* ---- JSON ---- */

static json_t *jnum(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *json_process(const fleet_process_t *p)
{
    return json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o}", "pid", (json_int_t)p->pid, "username",
                     jstr(p->user), "gpu_memory_mib", jnum(p->gpu_memory_mib), "sm_percent",
                     jnum(p->sm_percent), "status", jstr(p->status), "command", jstr(p->command),
                     "workload", jstr(p->workload));
}

static json_t *json_gpu(const fleet_t *f, size_t gi)
{
    const fleet_gpu_t *g = &f->gpus[gi];
    json_t *procs = json_array();
    for (size_t i = 0; i < f->proc_count; i++)
        if (f->procs[i].gpu == gi) json_array_append_new(procs, json_process(&f->procs[i]));
    return json_pack("{s:s,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}", "index", g->index, "name",
                     jstr(g->name), "uuid", jstr(g->uuid), "mig", fleet_gpu_is_mig(g),
                     "utilization_percent", jnum(g->util_percent), "memory_used_mib",
                     jnum(g->memory_used_mib), "memory_total_mib", jnum(g->memory_total_mib),
                     "power_w", jnum(g->power_w), "power_limit_w", jnum(g->power_limit_w),
                     "temperature_c", jnum(g->temperature_c), "process_count",
                     (json_int_t)g->process_count, "processes", procs);
}

static json_t *json_node(const fleet_t *f, const fleet_node_t *n)
{
    json_t *gpus = json_array();
    for (size_t g = 0; g < n->gpu_count; g++)
        json_array_append_new(gpus, json_gpu(f, n->gpu_first + g));
    return json_pack("{s:s,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "hostname",
                     n->hostname, "instance", jstr(n->instance), "job", jstr(n->job),
                     "driver_version", jstr(n->driver_version), "stale", n->stale, "stale_reason",
                     jstr(n->stale_reason), "last_scrape", jnum(n->last_scrape_s), "device_count",
                     n->device_count >= 0 ? json_integer(n->device_count) : json_null(),
                     "cpu_percent", jnum(n->cpu_percent), "memory_used_mib",
                     jnum(n->memory_used_mib), "memory_total_mib", jnum(n->memory_total_mib),
                     "load_1m", jnum(n->load_1m), "gpus", gpus);
}

int fleet_report_json(const fleet_t *f, const fleet_rules_t *rules, const char *url, strbuf_t *out)
{
    fleet_summary_t s;
    fleet_summarize(f, rules, &s);
    json_t *nodes = json_array();
    for (size_t i = 0; i < f->node_count; i++)
        json_array_append_new(nodes, json_node(f, &f->nodes[i]));
    json_t *summary =
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:f}", "nodes", (json_int_t)s.nodes, "stale_nodes",
                  (json_int_t)s.stale_nodes, "gpus", (json_int_t)s.gpus, "busy", (json_int_t)s.busy,
                  "idle", (json_int_t)s.idle, "free_memory_mib", s.free_memory_mib);
    json_t *root = json_pack("{s:s,s:o,s:o,s:o}", "prometheus", url, "time", jnum(f->time_s),
                             "summary", summary, "nodes", nodes);
    char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(root);
    if (!text) return -1;
    strbuf_puts(out, text);
    strbuf_putc(out, '\n');
    free(text);
    return strbuf_error(out);
}
