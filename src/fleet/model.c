/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet model joined from the families' answers. A series belongs to its node by the
 * target labels Prometheus adds (job, instance), to its GPU by `index` on that node, to its
 * process by `pid` on that GPU. Nodes come from nvitop_info of the last minutes, so a node
 * whose exporter is down is still listed: stale, with its reason and no value. */
#include "fleet/fleet.h"

#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/keymap.h"

/* The stages of a build: nodes are final once the host families start, GPUs once the
 * process families start. */
typedef enum stage { ST_NODES, ST_GPUS, ST_PROCS } stage_t;

struct fleet_builder {
    fleet_t f;
    fleet_rules_t rules;
    keymap_t node_keys, gpu_keys, proc_keys; /* target / target+index / +pid -> row */
    size_t node_cap, gpu_cap, proc_cap;
    double *up; /* per node: up's value (NaN: no series) */
    size_t up_cap;
    stage_t stage;
    strbuf_t key;
    int error;
};

static const double NA = NAN;

/* "job\x1finstance": the target that scraped the series. */
static const char *target_key(fleet_builder_t *b, const prom_sample_t *s)
{
    strbuf_reset(&b->key);
    const char *instance = prom_label(s, "instance");
    strbuf_printf(&b->key, "%s\x1f%s", prom_label(s, "job") ? prom_label(s, "job") : "",
                  instance                    ? instance
                  : prom_label(s, "hostname") ? prom_label(s, "hostname")
                                              : "");
    return strbuf_error(&b->key) ? NULL : b->key.data;
}

static const char *gpu_key(fleet_builder_t *b, const prom_sample_t *s)
{
    const char *index = prom_label(s, "index");
    if (!index || !target_key(b, s)) return NULL;
    strbuf_printf(&b->key, "\x1f%s", index);
    return strbuf_error(&b->key) ? NULL : b->key.data;
}

static const char *proc_key(fleet_builder_t *b, const prom_sample_t *s)
{
    const char *pid = prom_label(s, "pid");
    if (!pid || !gpu_key(b, s)) return NULL;
    strbuf_printf(&b->key, "\x1f%s", pid);
    return strbuf_error(&b->key) ? NULL : b->key.data;
}

static const char *copy(fleet_builder_t *b, const char *s)
{
    if (!s) return NULL;
    char *c = arena_strdup(&b->f.arena, s);
    if (!c) b->error = -1;
    return c;
}

static bool grow(fleet_builder_t *b, void **rows, size_t *cap, size_t need, size_t size)
{
    if (array_reserve(rows, cap, need, size) == 0) return true;
    b->error = -1;
    return false;
}

/* ---- nodes ---- */

static void add_node(fleet_builder_t *b, const prom_sample_t *s)
{
    const char *key = target_key(b, s);
    size_t row;
    if (!key || keymap_get(&b->node_keys, key, &row)) return;
    fleet_t *f = &b->f;
    if (!grow(b, (void **)&f->nodes, &b->node_cap, f->node_count + 1, sizeof(*f->nodes)) ||
        !grow(b, (void **)&b->up, &b->up_cap, f->node_count + 1, sizeof(*b->up)))
        return;
    if (keymap_put(&b->node_keys, key, f->node_count) < 0) {
        b->error = -1;
        return;
    }
    const char *count = prom_label(s, "device_count");
    char *end = NULL;
    long devices = count ? strtol(count, &end, 10) : -1;
    f->nodes[f->node_count] = (fleet_node_t){
        .hostname = copy(b, prom_label(s, "hostname") ? prom_label(s, "hostname") : "?"),
        .instance = copy(b, prom_label(s, "instance")),
        .job = copy(b, prom_label(s, "job")),
        .driver_version = copy(b, prom_label(s, "driver_version")),
        .device_count = count && end && !*end ? devices : -1,
        .last_scrape_s = NA,
        .cpu_percent = NA,
        .memory_used_mib = NA,
        .memory_total_mib = NA,
        .load_1m = NA,
    };
    b->up[f->node_count++] = NA;
}

/* The node of a series, when it is known and fresh. */
static fleet_node_t *fresh_node(fleet_builder_t *b, const prom_sample_t *s, size_t *row)
{
    const char *key = target_key(b, s);
    if (!key || !keymap_get(&b->node_keys, key, row)) return NULL;
    fleet_node_t *n = &b->f.nodes[*row];
    return n->stale ? NULL : n;
}

static void add_up(fleet_builder_t *b, fleet_family_t family, const prom_sample_t *s)
{
    size_t row;
    const char *key = target_key(b, s);
    if (!key || !keymap_get(&b->node_keys, key, &row)) return;
    if (family == FF_UP)
        b->up[row] = s->value;
    else
        b->f.nodes[row].last_scrape_s = s->value;
}

static bool node_wanted(const fleet_builder_t *b, const fleet_node_t *n)
{
    const char *glob = b->rules.only_node;
    return !glob || fnmatch(glob, n->hostname, 0) == 0 ||
           (n->instance && fnmatch(glob, n->instance, 0) == 0);
}

static void judge_node(fleet_builder_t *b, fleet_node_t *n, double up)
{
    double age = b->f.time_s - n->last_scrape_s;
    if (isnan(up))
        n->stale_reason = "not scraped";
    else if (up != 1)
        n->stale_reason = "exporter down";
    else if (!(age <= b->rules.stale_after_s))
        n->stale_reason = "last scrape too old";
    n->stale = n->stale_reason != NULL;
}

static int compare_nodes(const void *pa, const void *pb)
{
    const fleet_node_t *a = pa, *b = pb;
    int c = strcmp(a->hostname, b->hostname);
    if (c) return c;
    return strcmp(a->instance ? a->instance : "", b->instance ? b->instance : "");
}

/* Stale or fresh, narrowed by --only-node, sorted by hostname; the keys point at the rows. */
static void finish_nodes(fleet_builder_t *b)
{
    fleet_t *f = &b->f;
    size_t kept = 0;
    for (size_t i = 0; i < f->node_count; i++) {
        judge_node(b, &f->nodes[i], b->up[i]);
        if (node_wanted(b, &f->nodes[i])) f->nodes[kept++] = f->nodes[i];
    }
    f->node_count = kept;
    if (f->node_count > 1) qsort(f->nodes, f->node_count, sizeof(*f->nodes), compare_nodes);
    keymap_fini(&b->node_keys);
    for (size_t i = 0; i < f->node_count; i++) {
        strbuf_reset(&b->key);
        strbuf_printf(&b->key, "%s\x1f%s", f->nodes[i].job ? f->nodes[i].job : "",
                      f->nodes[i].instance ? f->nodes[i].instance : f->nodes[i].hostname);
        if (strbuf_error(&b->key) || keymap_put(&b->node_keys, b->key.data, i) < 0) b->error = -1;
    }
}

static void set_host_value(fleet_builder_t *b, fleet_family_t family, const prom_sample_t *s)
{
    size_t row;
    fleet_node_t *n = fresh_node(b, s, &row);
    if (!n) return;
    double *field = family == FF_HOST_CPU         ? &n->cpu_percent
                    : family == FF_HOST_MEM_USED  ? &n->memory_used_mib
                    : family == FF_HOST_MEM_TOTAL ? &n->memory_total_mib
                                                  : &n->load_1m;
    *field = s->value;
}

/* ---- GPUs ---- */

static fleet_gpu_t *gpu_of(fleet_builder_t *b, const prom_sample_t *s)
{
    size_t node, row;
    if (!fresh_node(b, s, &node)) return NULL;
    const char *key = gpu_key(b, s);
    if (!key) return NULL;
    fleet_t *f = &b->f;
    if (keymap_get(&b->gpu_keys, key, &row)) return &f->gpus[row];
    if (!grow(b, (void **)&f->gpus, &b->gpu_cap, f->gpu_count + 1, sizeof(*f->gpus))) return NULL;
    if (keymap_put(&b->gpu_keys, key, f->gpu_count) < 0) {
        b->error = -1;
        return NULL;
    }
    fleet_gpu_t *g = &f->gpus[f->gpu_count++];
    *g = (fleet_gpu_t){
        .node = node,
        .index = copy(b, prom_label(s, "index")),
        .name = copy(b, prom_label(s, "devicename")),
        .uuid = copy(b, prom_label(s, "uuid")),
        .util_percent = NA,
        .memory_used_mib = NA,
        .memory_total_mib = NA,
        .power_w = NA,
        .power_limit_w = NA,
        .temperature_c = NA,
    };
    return g;
}

static void set_gpu_value(fleet_builder_t *b, fleet_family_t family, const prom_sample_t *s)
{
    fleet_gpu_t *g = gpu_of(b, s);
    if (!g) return;
    double *field = family == FF_GPU_MEM_TOTAL     ? &g->memory_total_mib
                    : family == FF_GPU_MEM_USED    ? &g->memory_used_mib
                    : family == FF_GPU_UTIL        ? &g->util_percent
                    : family == FF_GPU_POWER       ? &g->power_w
                    : family == FF_GPU_POWER_LIMIT ? &g->power_limit_w
                                                   : &g->temperature_c;
    *field = s->value;
}

/* "10" after "9", "2:0" after "2" and before "3". */
static int compare_indices(const char *a, const char *b)
{
    char *ea, *eb;
    long ma = strtol(a, &ea, 10), mb = strtol(b, &eb, 10);
    if (ma != mb) return ma < mb ? -1 : 1;
    long na = *ea == ':' ? strtol(ea + 1, NULL, 10) : -1;
    long nb = *eb == ':' ? strtol(eb + 1, NULL, 10) : -1;
    if (na != nb) return na < nb ? -1 : 1;
    return strcmp(a, b);
}

static int compare_gpus(const void *pa, const void *pb)
{
    const fleet_gpu_t *a = pa, *b = pb;
    if (a->node != b->node) return a->node < b->node ? -1 : 1;
    return compare_indices(a->index, b->index);
}

static void finish_gpus(fleet_builder_t *b)
{
    fleet_t *f = &b->f;
    if (f->gpu_count > 1) qsort(f->gpus, f->gpu_count, sizeof(*f->gpus), compare_gpus);
    keymap_fini(&b->gpu_keys);
    for (size_t i = 0; i < f->gpu_count; i++) {
        fleet_gpu_t *g = &f->gpus[i];
        fleet_node_t *n = &f->nodes[g->node];
        if (n->gpu_count++ == 0) n->gpu_first = i;
        strbuf_reset(&b->key);
        strbuf_printf(&b->key, "%s\x1f%s\x1f%s", n->job ? n->job : "",
                      n->instance ? n->instance : n->hostname, g->index);
        if (strbuf_error(&b->key) || keymap_put(&b->gpu_keys, b->key.data, i) < 0) b->error = -1;
    }
}

/* ---- processes ---- */

static fleet_process_t *proc_of(fleet_builder_t *b, const prom_sample_t *s)
{
    size_t node, gpu, row;
    if (!fresh_node(b, s, &node)) return NULL;
    const char *key = gpu_key(b, s);
    if (!key || !keymap_get(&b->gpu_keys, key, &gpu)) return NULL;
    key = proc_key(b, s);
    fleet_t *f = &b->f;
    if (!key) return NULL;
    if (keymap_get(&b->proc_keys, key, &row)) return &f->procs[row];
    if (!grow(b, (void **)&f->procs, &b->proc_cap, f->proc_count + 1, sizeof(*f->procs)))
        return NULL;
    if (keymap_put(&b->proc_keys, key, f->proc_count) < 0) {
        b->error = -1;
        return NULL;
    }
    fleet_process_t *p = &f->procs[f->proc_count++];
    *p = (fleet_process_t){
        .node = node,
        .gpu = gpu,
        .pid = strtol(prom_label(s, "pid"), NULL, 10),
        .gpu_memory_mib = NA,
        .sm_percent = NA,
    };
    f->gpus[gpu].process_count++;
    return p;
}

/* A workload joins a process the other families made (node, GPU, pid); alone it makes none. */
static void set_proc_workload(fleet_builder_t *b, const prom_sample_t *s)
{
    size_t node, row;
    if (!fresh_node(b, s, &node)) return;
    const char *key = proc_key(b, s);
    if (key && keymap_get(&b->proc_keys, key, &row))
        b->f.procs[row].workload = copy(b, prom_label(s, "workload"));
}

static void set_proc_value(fleet_builder_t *b, fleet_family_t family, const prom_sample_t *s)
{
    fleet_process_t *p = proc_of(b, s);
    if (!p) return;
    if (!p->user) p->user = copy(b, prom_label(s, "username"));
    if (family == FF_PROC_INFO) {
        p->command = copy(b, prom_label(s, "command"));
        p->status = copy(b, prom_label(s, "status"));
    } else if (family == FF_PROC_GPU_MEM) {
        p->gpu_memory_mib = s->value;
    } else {
        p->sm_percent = s->value;
    }
}

static int compare_procs(const void *pa, const void *pb)
{
    const fleet_process_t *a = pa, *b = pb;
    if (a->gpu != b->gpu) return a->gpu < b->gpu ? -1 : 1;
    return (a->pid > b->pid) - (a->pid < b->pid);
}

/* ---- the builder ---- */

fleet_builder_t *fleet_builder_new(const fleet_rules_t *rules)
{
    fleet_builder_t *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    b->rules = *rules;
    b->f.time_s = NA;
    return b;
}

static void advance(fleet_builder_t *b, fleet_family_t family)
{
    if (b->stage == ST_NODES && family >= FF_HOST_CPU) {
        finish_nodes(b);
        b->stage = ST_GPUS;
    }
    if (b->stage == ST_GPUS && family >= FF_PROC_INFO) {
        finish_gpus(b);
        b->stage = ST_PROCS;
    }
}

int fleet_builder_add(fleet_builder_t *b, fleet_family_t family, const prom_vector_t *answer)
{
    if (b->error) return -1;
    advance(b, family);
    if (!isnan(answer->time_s) && (family == FF_UP || isnan(b->f.time_s)))
        b->f.time_s = answer->time_s;
    for (size_t i = 0; i < answer->count && !b->error; i++) {
        const prom_sample_t *s = &answer->samples[i];
        if (family == FF_INFO)
            add_node(b, s);
        else if (family == FF_UP || family == FF_UP_TIME)
            add_up(b, family, s);
        else if (family < FF_GPU_MEM_TOTAL)
            set_host_value(b, family, s);
        else if (family < FF_PROC_INFO)
            set_gpu_value(b, family, s);
        else if (family == FF_PROC_WORKLOAD)
            set_proc_workload(b, s);
        else
            set_proc_value(b, family, s);
    }
    return b->error;
}

void fleet_builder_free(fleet_builder_t *b)
{
    if (!b) return;
    keymap_fini(&b->node_keys);
    keymap_fini(&b->gpu_keys);
    keymap_fini(&b->proc_keys);
    strbuf_fini(&b->key);
    free(b->up);
    fleet_fini(&b->f);
    free(b);
}

int fleet_builder_finish(fleet_builder_t *b, fleet_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!b) return -1;
    advance(b, FF_COUNT);
    int rc = b->error;
    if (rc == 0) {
        if (b->f.proc_count > 1)
            qsort(b->f.procs, b->f.proc_count, sizeof(*b->f.procs), compare_procs);
        *out = b->f;
        memset(&b->f, 0, sizeof(b->f));
    }
    fleet_builder_free(b);
    return rc;
}

int fleet_build(const prom_vector_t answers[FF_COUNT], const fleet_rules_t *rules, fleet_t *out)
{
    fleet_builder_t *b = fleet_builder_new(rules);
    for (int f = 0; b && f < FF_COUNT; f++)
        fleet_builder_add(b, (fleet_family_t)f, &answers[f]);
    return fleet_builder_finish(b, out);
}

void fleet_fini(fleet_t *f)
{
    free(f->nodes);
    free(f->gpus);
    free(f->procs);
    arena_fini(&f->arena);
    memset(f, 0, sizeof(*f));
}

/* ---- what the rows say ---- */

bool fleet_gpu_is_mig(const fleet_gpu_t *g)
{
    return strchr(g->index, ':') != NULL;
}

bool fleet_gpu_busy(const fleet_gpu_t *g, const fleet_rules_t *rules)
{
    return g->process_count > 0 || g->util_percent >= rules->busy_util_percent;
}

void fleet_summarize(const fleet_t *f, const fleet_rules_t *rules, fleet_summary_t *out)
{
    memset(out, 0, sizeof(*out));
    out->nodes = f->node_count;
    for (size_t i = 0; i < f->node_count; i++)
        out->stale_nodes += f->nodes[i].stale;
    for (size_t i = 0; i < f->gpu_count; i++) {
        const fleet_gpu_t *g = &f->gpus[i];
        if (fleet_gpu_is_mig(g)) continue; /* its memory and processes are its GPU's */
        out->gpus++;
        if (fleet_gpu_busy(g, rules))
            out->busy++;
        else
            out->idle++;
        if (g->memory_total_mib >= g->memory_used_mib)
            out->free_memory_mib += g->memory_total_mib - g->memory_used_mib;
    }
}
