/* SPDX-License-Identifier: Apache-2.0 */
/* The host's process tree around the GPU processes, for the monitor's tree view (spec §3.6):
 * every GPU process, its ancestors up to the root and its direct children, one node per host
 * pid (a process on two GPUs is one node with both devices), roots by pid and children by
 * (gone, user name, pid), depth first. Which pids belong and in what order are pure functions
 * of plain records (tested with hand-built ones); ptree_take() reads /proc for them. Internal:
 * the monitor's sampler thread builds trees, the UI draws them. */
#ifndef NVITOP_CORE_PROC_TREE_H
#define NVITOP_CORE_PROC_TREE_H

#include <nvitop.h>

#include "util/util.h"

/* One process of the proc root: its parent and when it started. */
typedef struct ptree_link {
    uint32_t pid;
    uint32_t ppid;        /* 0: none */
    uint64_t start_ticks; /* clock ticks after boot */
} ptree_link_t;

/* A pid the tree holds, and why. */
typedef struct ptree_member {
    uint32_t pid;
    uint32_t parent_pid; /* 0: a root */
    bool gpu;            /* one of the GPU processes the tree starts from */
} ptree_member_t;

/* A device a node's process runs on. */
typedef struct ptree_device {
    int physical;
    int mig; /* -1: the physical GPU */
} ptree_device_t;

typedef struct ptree_node {
    nvitop_host_process_t host;    /* argv is not kept */
    uint32_t parent_pid;           /* 0: a root */
    int parent;                    /* index of the parent node in the tree; -1: a root */
    int depth;                     /* 0 for a root */
    bool is_last;                  /* the last child of its parent (true for roots) */
    bool gone;                     /* the host does not show the process (nvitop's "gone") */
    size_t device_count;           /* 0: a host process (an ancestor or a child) */
    const ptree_device_t *devices; /* sorted by (physical, mig) */
} ptree_node_t;

typedef struct ptree {
    ptree_node_t *nodes; /* depth first */
    size_t count;
    arena_t arena; /* owns the nodes and every string and device list they point to */
} ptree_t;

/* Reads pid, parent and start time of every process of the context's proc root (a process
 * that ends meanwhile is left out), sorted by pid. *out is malloc'd (free()). Returns 0,
 * NVITOP_EIO (the proc root cannot be listed) or NVITOP_ENOMEM. */
int ptree_links_read(nvitop_ctx_t *ctx, ptree_link_t **out, size_t *count);

/* The pids of the tree of the GPU processes `gpu` (n, any order, repeats allowed) given the
 * links (sorted by pid): each GPU process; its parent, grandparent, ... while the parent is
 * listed and started no later than its child (a recycled pid is no parent); the processes
 * whose parent is a GPU process. Each member's parent_pid is its parent within the tree.
 * *out malloc'd, sorted by pid. Returns 0 or NVITOP_ENOMEM. */
int ptree_collect(const ptree_link_t *links, size_t nlinks, const uint32_t *gpu, size_t n,
                  ptree_member_t **out, size_t *count);

/* Orders `nodes` (n, distinct pids, parent_pid set) into tree->nodes, allocated in
 * tree->arena: roots by pid, each followed by its subtree, children by (gone, user name with
 * N/A for unknown, pid), with parent, depth and is_last filled in. A node whose parent_pid
 * is not among the nodes is a root. Strings and device lists are not copied. Returns 0 or
 * NVITOP_ENOMEM. */
int ptree_order(ptree_t *tree, const ptree_node_t *nodes, size_t n);

/* The tree of the processes of `procs` (a process snapshot with host data) that `keep`
 * accepts (NULL: all): their host records as the snapshot has them, the other members read
 * from /proc now. Returns 0 (*out to free with ptree_free()), NVITOP_EIO or NVITOP_ENOMEM. */
int ptree_take(nvitop_ctx_t *ctx, const nvitop_snapshot_t *procs,
               bool (*keep)(const void *arg, const nvitop_gpu_process_t *p), const void *keep_arg,
               ptree_t **out);
void ptree_free(ptree_t *tree);

#endif
