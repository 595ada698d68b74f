/* SPDX-License-Identifier: Apache-2.0 */
/* The process tree of the monitor's tree view (proc_tree.h): the links from /proc, the choice
 * of members, the depth-first order, and the records of the members. */
#include "core/proc_tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

int ptree_links_read(nvitop_ctx_t *ctx, ptree_link_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    uint32_t *pids = NULL;
    size_t npids = 0;
    int rc = host_list_pids(&ctx->host, &pids, &npids);
    if (rc < 0) return rc == -ENOMEM ? NVITOP_ENOMEM : NVITOP_EIO;
    ptree_link_t *links = calloc(npids + 1, sizeof(*links));
    if (!links) {
        free(pids);
        return NVITOP_ENOMEM;
    }
    size_t n = 0;
    for (size_t i = 0; i < npids; i++) {
        char path[32];
        snprintf(path, sizeof(path), "%u/stat", pids[i]);
        const char *data;
        size_t len;
        host_pid_stat_t st;
        if (host_read(&ctx->host, path, &data, &len) < 0 || host_parse_pid_stat(data, len, &st) < 0)
            continue; /* ended meanwhile, or unreadable: not a link */
        links[n++] = (ptree_link_t){
            pids[i], st.ppid > 0 && st.ppid <= UINT32_MAX ? (uint32_t)st.ppid : 0, st.starttime};
    }
    free(pids);
    *out = links;
    *count = n;
    return NVITOP_OK;
}

static const ptree_link_t *find_link(const ptree_link_t *links, size_t n, uint32_t pid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (links[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && links[lo].pid == pid ? &links[lo] : NULL;
}

/* The members so far, sorted by pid. */
typedef struct member_set {
    ptree_member_t *items;
    size_t count, cap;
} member_set_t;

static ptree_member_t *find_member(const member_set_t *s, uint32_t pid, size_t *at)
{
    size_t lo = 0, hi = s->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->items[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (at) *at = lo;
    return lo < s->count && s->items[lo].pid == pid ? &s->items[lo] : NULL;
}

/* Adds pid unless it is there; returns its entry, or NULL when out of memory. */
static ptree_member_t *add_member(member_set_t *s, uint32_t pid, bool *added)
{
    size_t at;
    ptree_member_t *m = find_member(s, pid, &at);
    *added = false;
    if (m) return m;
    void *items = s->items;
    if (array_reserve(&items, &s->cap, s->count + 1, sizeof(*s->items)) < 0) return NULL;
    s->items = items;
    memmove(&s->items[at + 1], &s->items[at], (s->count - at) * sizeof(*s->items));
    s->items[at] = (ptree_member_t){pid, 0, false};
    s->count++;
    *added = true;
    return &s->items[at];
}

/* The parent of a link, when it is listed and not younger than its child. */
static const ptree_link_t *parent_of(const ptree_link_t *links, size_t n, const ptree_link_t *l)
{
    if (!l || l->ppid == 0 || l->ppid == l->pid) return NULL;
    const ptree_link_t *p = find_link(links, n, l->ppid);
    return p && p->start_ticks <= l->start_ticks ? p : NULL;
}

/* Adds the ancestors of pid, each pointing at its parent, until one is already there. */
static int add_ancestors(member_set_t *s, const ptree_link_t *links, size_t nlinks, uint32_t pid)
{
    const ptree_link_t *l = find_link(links, nlinks, pid);
    for (size_t guard = 0; guard <= nlinks; guard++) {
        const ptree_link_t *p = parent_of(links, nlinks, l);
        if (!p) return 0;
        find_member(s, l->pid, NULL)->parent_pid = p->pid;
        bool added;
        if (!add_member(s, p->pid, &added)) return NVITOP_ENOMEM;
        if (!added) return 0;
        l = p;
    }
    return 0;
}

int ptree_collect(const ptree_link_t *links, size_t nlinks, const uint32_t *gpu, size_t n,
                  ptree_member_t **out, size_t *count)
{
    member_set_t s = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        bool added;
        ptree_member_t *m = add_member(&s, gpu[i], &added);
        if (!m)
            rc = NVITOP_ENOMEM;
        else
            m->gpu = true;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = add_ancestors(&s, links, nlinks, gpu[i]);
    for (size_t i = 0; i < nlinks && rc == 0; i++) { /* the direct children of GPU processes */
        const ptree_member_t *parent = find_member(&s, links[i].ppid, NULL);
        if (!parent || !parent->gpu || links[i].ppid == links[i].pid) continue;
        bool added;
        ptree_member_t *m = add_member(&s, links[i].pid, &added);
        if (!m)
            rc = NVITOP_ENOMEM;
        else if (added)
            m->parent_pid = links[i].ppid;
    }
    if (rc < 0) {
        free(s.items);
        s.items = NULL;
        s.count = 0;
    }
    *out = s.items;
    *count = s.count;
    return rc;
}

static const char *user_of(const ptree_node_t *n)
{
    return NVITOP_HAS(n->host.username) && n->host.username.value ? n->host.username.value
                                                                  : NVITOP_NA_TEXT;
}

/* nvitop's order of siblings: gone last, then user name, then pid. */
static int sibling_order(const void *a, const void *b)
{
    const ptree_node_t *x = *(const ptree_node_t *const *)a, *y = *(const ptree_node_t *const *)b;
    if (x->gone != y->gone) return x->gone ? 1 : -1;
    int c = strcmp(user_of(x), user_of(y));
    if (c) return c;
    return x->host.pid < y->host.pid ? -1 : x->host.pid > y->host.pid;
}

static int root_order(const void *a, const void *b)
{
    const ptree_node_t *x = *(const ptree_node_t *const *)a, *y = *(const ptree_node_t *const *)b;
    return x->host.pid < y->host.pid ? -1 : x->host.pid > y->host.pid;
}

/* The nodes by pid, to find parents. */
static int by_pid(const void *a, const void *b)
{
    return root_order(a, b);
}

static const ptree_node_t *lookup(const ptree_node_t *const *sorted, size_t n, uint32_t pid)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid]->host.pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && sorted[lo]->host.pid == pid ? sorted[lo] : NULL;
}

/* Depth-first: puts `node` and its subtree at tree->nodes[*at...]. The children of each node
 * are the entries of `kids` from first[i] to first[i + 1] (sorted). */
typedef struct order_state {
    ptree_t *tree;
    const ptree_node_t *base;  /* the input array */
    const ptree_node_t **kids; /* grouped by parent, sorted */
    size_t *first;             /* n + 1 offsets into kids, per input node */
    bool *placed;              /* per input node */
    size_t at;
} order_state_t;

static void place(order_state_t *o, const ptree_node_t *node, int parent, int depth, bool last)
{
    /* an explicit stack instead of recursion: trees can be deep */
    typedef struct frame {
        size_t input, next;
        int index;
    } frame_t;
    frame_t stack[256];
    size_t top = 0;
    size_t idx = (size_t)(node - o->base);
    if (o->placed[idx]) return;
    o->placed[idx] = true;
    ptree_node_t *out = &o->tree->nodes[o->at];
    *out = *node;
    out->parent = parent;
    out->depth = depth;
    out->is_last = last;
    stack[top++] = (frame_t){idx, o->first[idx], (int)o->at++};
    while (top > 0) {
        frame_t *f = &stack[top - 1];
        if (f->next >= o->first[f->input + 1] || top >= ARRAY_LEN(stack)) {
            top--;
            continue;
        }
        const ptree_node_t *child = o->kids[f->next++];
        size_t ci = (size_t)(child - o->base);
        if (o->placed[ci]) continue;
        o->placed[ci] = true;
        out = &o->tree->nodes[o->at];
        *out = *child;
        out->parent = f->index;
        out->depth = o->tree->nodes[f->index].depth + 1;
        out->is_last = f->next >= o->first[f->input + 1];
        stack[top++] = (frame_t){ci, o->first[ci], (int)o->at++};
    }
}

int ptree_order(ptree_t *tree, const ptree_node_t *nodes, size_t n)
{
    tree->nodes = arena_calloc(&tree->arena, n + 1, sizeof(*tree->nodes));
    tree->count = 0;
    const ptree_node_t **sorted = calloc(n + 1, sizeof(*sorted));
    const ptree_node_t **kids = calloc(n + 1, sizeof(*kids));
    size_t *first = calloc(n + 2, sizeof(*first));
    bool *placed = calloc(n + 1, sizeof(*placed));
    int rc = tree->nodes && sorted && kids && first && placed ? 0 : NVITOP_ENOMEM;
    if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            sorted[i] = &nodes[i];
        qsort(sorted, n, sizeof(*sorted), by_pid);
        /* count the children of each node, then lay them out grouped by parent */
        for (size_t i = 0; i < n; i++) {
            const ptree_node_t *p = lookup(sorted, n, nodes[i].parent_pid);
            if (p && p != &nodes[i]) first[(size_t)(p - nodes) + 1]++;
        }
        for (size_t i = 0; i < n; i++)
            first[i + 1] += first[i];
        size_t *fill = calloc(n + 1, sizeof(*fill));
        if (!fill) rc = NVITOP_ENOMEM;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            const ptree_node_t *p = lookup(sorted, n, nodes[i].parent_pid);
            if (p && p != &nodes[i]) {
                size_t pi = (size_t)(p - nodes);
                kids[first[pi] + fill[pi]++] = &nodes[i];
            }
        }
        free(fill);
        for (size_t i = 0; rc == 0 && i < n; i++)
            qsort(kids + first[i], first[i + 1] - first[i], sizeof(*kids), sibling_order);
    }
    if (rc == 0) {
        order_state_t o = {tree, nodes, kids, first, placed, 0};
        /* roots by pid; then anything a cycle kept from being reached, as roots too */
        for (size_t i = 0; i < n; i++) {
            const ptree_node_t *p = lookup(sorted, n, sorted[i]->parent_pid);
            if (!p || p == sorted[i]) place(&o, sorted[i], -1, 0, true);
        }
        for (size_t i = 0; i < n; i++)
            place(&o, sorted[i], -1, 0, true);
        tree->count = o.at;
    }
    free(sorted);
    free(kids);
    free(first);
    free(placed);
    return rc;
}

static nvitop_str_t copy_str(arena_t *arena, nvitop_str_t s)
{
    if (!NVITOP_HAS(s) || !s.value) return s;
    char *copy = arena_strdup(arena, s.value);
    return copy ? some_str(copy) : na_str(NVITOP_NA_UNAVAILABLE);
}

/* A GPU process's host record, strings copied into the tree (argv left out). */
static void copy_host(arena_t *arena, const nvitop_host_process_t *src, nvitop_host_process_t *dst)
{
    *dst = *src;
    dst->argc = 0;
    dst->argv = NULL;
    dst->username = copy_str(arena, src->username);
    dst->name = copy_str(arena, src->name);
    dst->command = copy_str(arena, src->command);
}

static int device_order(const void *a, const void *b)
{
    const ptree_device_t *x = a, *y = b;
    if (x->physical != y->physical) return x->physical < y->physical ? -1 : 1;
    return x->mig < y->mig ? -1 : x->mig > y->mig;
}

/* The devices of pid among the kept processes, sorted and distinct, into the arena. */
static int node_devices(arena_t *arena, const nvitop_snapshot_t *procs,
                        const nvitop_gpu_process_t *const *kept, size_t nkept, uint32_t pid,
                        ptree_node_t *node)
{
    size_t n = 0;
    for (size_t i = 0; i < nkept; i++)
        n += kept[i]->pid == pid;
    if (n == 0) return 0;
    ptree_device_t *d = arena_calloc(arena, n, sizeof(*d));
    if (!d) return NVITOP_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < nkept; i++) {
        if (kept[i]->pid != pid) continue;
        int pos = kept[i]->device;
        const nvitop_device_snapshot_t *dev =
            pos >= 0 && (size_t)pos < procs->device_count ? &procs->devices[pos] : NULL;
        ptree_device_t one = {dev ? dev->physical_index : -1,
                              dev && dev->is_mig ? dev->mig_index : -1};
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = d[j].physical == one.physical && d[j].mig == one.mig;
        if (!seen) d[k++] = one;
    }
    qsort(d, k, sizeof(*d), device_order);
    node->devices = d;
    node->device_count = k;
    return 0;
}

/* The record of each member: a GPU process's from the snapshot, the others' from /proc. */
static int fill_nodes(nvitop_ctx_t *ctx, ptree_t *tree, const nvitop_snapshot_t *procs,
                      const nvitop_gpu_process_t *const *kept, size_t nkept,
                      const ptree_member_t *members, size_t n, ptree_node_t *nodes)
{
    host_sample_t sample;
    host_sample_read(ctx, &sample);
    for (size_t i = 0; i < n; i++) {
        ptree_node_t *node = &nodes[i];
        memset(node, 0, sizeof(*node));
        node->parent_pid = members[i].parent_pid;
        const nvitop_gpu_process_t *gpu = NULL;
        for (size_t k = 0; k < nkept && !gpu; k++)
            if (kept[k]->pid == members[i].pid) gpu = kept[k];
        int rc = 0;
        if (gpu)
            copy_host(&tree->arena, &gpu->host, &node->host);
        else
            rc = host_process_fill(ctx, members[i].pid, &sample, &tree->arena, &node->host);
        if (rc == 0) rc = node_devices(&tree->arena, procs, kept, nkept, members[i].pid, node);
        if (rc < 0) return rc;
        node->host.argc = 0;
        node->host.argv = NULL;
        node->gone = node->host.na != NVITOP_NA_NONE && node->host.na != NVITOP_NA_NO_PERMISSION;
    }
    return 0;
}

int ptree_take(nvitop_ctx_t *ctx, const nvitop_snapshot_t *procs,
               bool (*keep)(const void *arg, const nvitop_gpu_process_t *p), const void *keep_arg,
               ptree_t **out)
{
    *out = NULL;
    ptree_t *tree = calloc(1, sizeof(*tree));
    const nvitop_gpu_process_t **kept = calloc(procs->process_count + 1, sizeof(*kept));
    uint32_t *pids = calloc(procs->process_count + 1, sizeof(*pids));
    ptree_link_t *links = NULL;
    ptree_member_t *members = NULL;
    ptree_node_t *nodes = NULL;
    size_t nkept = 0, nlinks = 0, n = 0;
    int rc = tree && kept && pids ? 0 : NVITOP_ENOMEM;
    for (size_t i = 0; rc == 0 && i < procs->process_count; i++)
        if (!keep || keep(keep_arg, &procs->processes[i])) {
            pids[nkept] = procs->processes[i].pid;
            kept[nkept++] = &procs->processes[i];
        }
    if (rc == 0) rc = ptree_links_read(ctx, &links, &nlinks);
    if (rc == 0) rc = ptree_collect(links, nlinks, pids, nkept, &members, &n);
    if (rc == 0 && !(nodes = calloc(n + 1, sizeof(*nodes)))) rc = NVITOP_ENOMEM;
    if (rc == 0) rc = fill_nodes(ctx, tree, procs, kept, nkept, members, n, nodes);
    if (rc == 0) rc = ptree_order(tree, nodes, n);
    free(kept);
    free(pids);
    free(links);
    free(members);
    free(nodes);
    if (rc < 0) {
        ptree_free(tree);
        return rc;
    }
    *out = tree;
    return 0;
}

void ptree_free(ptree_t *tree)
{
    if (!tree) return;
    arena_fini(&tree->arena);
    free(tree);
}
