/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet view's data layer: instant queries of nvitop-exporter's metric families through
 * Prometheus' HTTP API (one query per family per refresh, whatever the fleet's size), their
 * answers parsed into vectors, and the vectors joined into a model of nodes, GPUs and
 * processes. A node whose exporter is down or whose last scrape is too old is stale: it keeps
 * its name and the reason, never a value. Not part of libnvitop (the only code using libcurl). */
#ifndef NVITOP_FLEET_H
#define NVITOP_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* ---- one answer of /api/v1/query (prom_reply.c) ---- */

typedef struct prom_label {
    const char *name, *value;
} prom_label_t;

/* One series of an instant vector. */
typedef struct prom_sample {
    const prom_label_t *labels;
    size_t label_count;
    double value; /* NaN and infinities as Prometheus writes them */
} prom_sample_t;

typedef struct prom_vector {
    prom_sample_t *samples;
    size_t count;
    double time_s; /* the evaluation time (Prometheus' clock), NaN when the vector is empty */
    arena_t arena; /* owns the samples and their strings */
} prom_vector_t;

/* The largest answer read (a bigger one is an error, not a slow death of the monitor). */
#define PROM_REPLY_MAX_BYTES (64u << 20)

/* Parses the body of an instant query's answer into *out (zeroed first). Returns 0, or -1 with
 * one sentence in *why: not JSON, cut short, Prometheus' own error, not a vector. */
int prom_reply_parse(const char *body, size_t len, prom_vector_t *out, strbuf_t *why);
/* The value of label `name`, or NULL. */
const char *prom_label(const prom_sample_t *s, const char *name);
void prom_vector_fini(prom_vector_t *v);

/* ---- the queries (families.c) ---- */

typedef enum fleet_family {
    FF_INFO,    /* nvitop_info of the last hour: every node seen, down ones too */
    FF_UP,      /* up: whether the last scrape of each target worked */
    FF_UP_TIME, /* timestamp(up): when that scrape was */
    FF_HOST_CPU,
    FF_HOST_MEM_USED,
    FF_HOST_MEM_TOTAL,
    FF_HOST_LOAD1,
    FF_GPU_MEM_TOTAL, /* first of the GPU families: its series make the GPU rows */
    FF_GPU_MEM_USED,
    FF_GPU_UTIL,
    FF_GPU_POWER,
    FF_GPU_POWER_LIMIT,
    FF_GPU_TEMP,
    FF_PROC_INFO, /* first of the process families: its series make the process rows */
    FF_PROC_GPU_MEM,
    FF_PROC_SM,
    FF_PROC_WORKLOAD, /* process_workload_info (ours; Python nvitop-exporter has none) */
    FF_COUNT
} fleet_family_t;

/* The PromQL expression of a family (docs/fleet.md lists them). */
const char *fleet_family_query(fleet_family_t f);

/* ---- the model (model.c) ---- */

typedef struct fleet_process {
    size_t node, gpu; /* indices into fleet_t's nodes and gpus */
    long pid;
    const char *user, *command, *status;
    const char *workload;              /* the exporter's display line; NULL: not exported */
    double gpu_memory_mib, sm_percent; /* NaN: not reported */
} fleet_process_t;

typedef struct fleet_gpu {
    size_t node;
    const char *index; /* "0", or "2:0" for a MIG device */
    const char *name, *uuid;
    double util_percent, memory_used_mib, memory_total_mib, power_w, power_limit_w,
        temperature_c; /* NaN: not reported */
    size_t process_count;
} fleet_gpu_t;

typedef struct fleet_node {
    const char *hostname, *instance, *job;
    const char *driver_version;
    long device_count; /* nvitop_info's, lost GPUs included; -1: unknown */
    bool stale;
    const char *stale_reason; /* "exporter down", "not scraped", "last scrape too old" */
    double last_scrape_s;     /* Unix time, NaN: unknown */
    double cpu_percent, memory_used_mib, memory_total_mib, load_1m; /* NaN: not reported */
    size_t gpu_first, gpu_count;                                    /* its rows in fleet_t's gpus */
} fleet_node_t;

typedef struct fleet {
    fleet_node_t *nodes;
    size_t node_count;
    fleet_gpu_t *gpus; /* grouped by node, in index order */
    size_t gpu_count;
    fleet_process_t *procs; /* in gpu order, then pid */
    size_t proc_count;
    double time_s; /* Prometheus' time of the answers */
    arena_t arena;
} fleet_t;

typedef struct fleet_rules {
    double stale_after_s;  /* a node whose last scrape is older is stale */
    const char *only_node; /* glob on hostname or instance, NULL: every node */
    int busy_util_percent; /* a GPU at or above this utilisation (or with a process) is busy */
} fleet_rules_t;

/* Joins the answers family by family, in fleet_family_t's order, so each answer can be freed
 * before the next is read (a refresh holds one answer at a time). */
typedef struct fleet_builder fleet_builder_t;
fleet_builder_t *fleet_builder_new(const fleet_rules_t *rules);
/* Adds the answer of `family` (families in increasing order; one may be skipped). Returns 0 or
 * -1 (out of memory; the builder refuses everything after). */
int fleet_builder_add(fleet_builder_t *b, fleet_family_t family, const prom_vector_t *answer);
/* Moves the model into *out and frees the builder. Returns 0 or -1 (out of memory). */
int fleet_builder_finish(fleet_builder_t *b, fleet_t *out);
void fleet_builder_free(fleet_builder_t *b);

/* All answers at once (tests): returns 0 or -1 (out of memory). */
int fleet_build(const prom_vector_t answers[FF_COUNT], const fleet_rules_t *rules, fleet_t *out);
void fleet_fini(fleet_t *f);

typedef struct fleet_summary {
    size_t nodes, stale_nodes, gpus, busy, idle;
    double free_memory_mib; /* of the fresh nodes' physical GPUs */
} fleet_summary_t;

void fleet_summarize(const fleet_t *f, const fleet_rules_t *rules, fleet_summary_t *out);
bool fleet_gpu_busy(const fleet_gpu_t *g, const fleet_rules_t *rules);
/* A MIG device ("2:0") rather than a physical GPU. */
bool fleet_gpu_is_mig(const fleet_gpu_t *g);

/* ---- the client (client.c) ---- */

typedef struct fleet_source {
    const char *url; /* http(s)://host:port[/prefix], credentials allowed in it */
    const char *ca_file, *cert_file, *key_file;
    const char *token_file;      /* a bearer token */
    const char *basic_auth_file; /* "user:password" */
    double timeout_s;            /* for one whole refresh */
} fleet_source_t;

typedef struct prom_client prom_client_t;

/* Checks the URL and prepares a connection (none is made yet). Returns 0, or -1 with why. */
int prom_client_open(const fleet_source_t *src, prom_client_t **out, strbuf_t *why);
void prom_client_free(prom_client_t *c);

/* Asks every family once, within the source's timeout, and builds the model. Returns 0, or -1
 * with one sentence naming the problem in *why (nothing is left in *out then). */
int fleet_refresh(prom_client_t *c, const fleet_rules_t *rules, fleet_t *out, strbuf_t *why);

/* A query in flight stops when `cancelled` returns true (the monitor quits). */
void prom_client_set_cancel(prom_client_t *c, bool (*cancelled)(void *arg), void *arg);
/* The URL without credentials, as messages name it. */
const char *prom_client_url(const prom_client_t *c);

/* The time the last refresh spent waiting for Prometheus (ns). */
uint64_t prom_client_wait_ns(const prom_client_t *c);

#endif
