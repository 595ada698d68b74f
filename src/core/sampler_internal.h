/* SPDX-License-Identifier: Apache-2.0 */
/* The sampler's state, shared by its two files: sampler.c (the thread, devices, host,
 * processes, the graphs of the main screen) and sampler_screens.c (the process tree, the
 * watched process and environments for the other screens). */
#ifndef NVITOP_CORE_SAMPLER_INTERNAL_H
#define NVITOP_CORE_SAMPLER_INTERNAL_H

#include <pthread.h>

#include "core/history.h"
#include "core/sampler.h"
#include "util/ticker.h"

enum { KIND_DEVICES, KIND_HOST, KIND_PROCESSES, KIND__COUNT };
/* Task numbers are the bit positions of the SAMPLER_* task bits. */
enum {
    TASK_HOST,
    TASK_DEVICES,
    TASK_PROCESSES,
    TASK_SLOW,
    TASK_TREE,
    TASK_WATCH,
    TASK_ENVIRON,
    TASK__COUNT
};

#define HOST_QUERY (NVITOP_HQ_CPU | NVITOP_HQ_MEMORY | NVITOP_HQ_LOAD | NVITOP_HQ_UPTIME)

/* A published snapshot: freed when the sampler and every reader let go of it. */
typedef struct shared {
    nvitop_snapshot_t *snap;
    unsigned refs;
} shared_t;

/* The tree and the watched process's sample, published the same way (sampler_screens.c). */
typedef struct tree_box tree_box_t;
typedef struct watched_box watched_box_t;

enum { PROC_CPU, PROC_RSS, PROC_GPU_MEM, PROC_GPU_SM, PROC__COUNT };

struct sampler {
    sampler_config_t cfg;
    unsigned *indices;
    ticker_t *ticker;       /* every task but the slow one */
    ticker_t *slow_ticker;  /* the slow counters, on their own context; NULL: none asked */
    nvitop_ctx_t *slow_ctx; /* the slow ticker's */
    proc_filter_t filter;   /* the copy of cfg.filter that cfg.filter points to */
    pthread_mutex_t lock;
    char hostname[256], username[256];

    /* Under the lock. */
    unsigned requested; /* SAMPLER_* bits asked by sampler_refresh() */
    uint64_t device_query;
    shared_t *latest[KIND__COUNT];
    uint64_t seq[KIND__COUNT];
    char error[KIND__COUNT][256];
    history_t host_hist[3], avg_hist[3];
    history_t *dev_hist; /* dev_count * 3: memory, utilisation, power */
    size_t dev_count;
    sampler_stats_t stats;
    /* the WORKLOAD column or the group view: process snapshots carry workloads */
    bool workloads_on;
    /* the tree view */
    bool tree_on;
    tree_box_t *tree;
    uint64_t tree_seq;
    /* the metrics screen: the target, a generation that changes with it, the latest sample */
    bool watching, watch_ended, watch_seen; /* seen: alive on the host once */
    sampler_target_t target;
    uint64_t watch_gen;
    watched_box_t *watched;
    history_t proc_hist[PROC__COUNT];
    /* the environment screen: the latest request and its answer */
    uint32_t environ_pid;
    uint64_t environ_request, environ_served;
    sampler_environ_t *environ_ready;

    /* The thread's own. */
    uint64_t next[TASK__COUNT];
    uint64_t next_lazy;
};

/* sampler.c */
void shared_unref(shared_t *sh);
/* Wakes the thread for the tasks just added to `requested` (called under the lock). */
void sampler_kick(sampler_t *s);
void sampler_wake_reader(const sampler_t *s);

/* sampler_screens.c: the tasks (run on the thread, taking the lock themselves) and the
 * release of their state at stop. */
void sampler_task_tree(sampler_t *s);
void sampler_task_watch(sampler_t *s, uint64_t now);
void sampler_task_environ(sampler_t *s);
void sampler_screens_fini(sampler_t *s);

#endif
