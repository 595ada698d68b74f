/* SPDX-License-Identifier: Apache-2.0 */
/* Parent links of every host process, for psutil's ppid map and Process.children() as the
 * Python API offers them (include/nvitop/host.h). Built on the tree view's link reader. */
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"
#include "core/proc_tree.h"

int nvitop_process_ppid_map(nvitop_ctx_t *ctx, uint32_t **pids, uint32_t **ppids, size_t *count)
{
    if (!ctx || !pids || !ppids || !count) return NVITOP_EINVAL;
    *pids = *ppids = NULL;
    *count = 0;
    ptree_link_t *links = NULL;
    size_t n = 0;
    int rc = ptree_links_read(ctx, &links, &n);
    if (rc < 0) return rc;
    uint32_t *p = malloc((n ? n : 1) * sizeof(*p));
    uint32_t *pp = malloc((n ? n : 1) * sizeof(*pp));
    if (!p || !pp) {
        free(p);
        free(pp);
        free(links);
        return NVITOP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        p[i] = links[i].pid;
        pp[i] = links[i].ppid;
    }
    free(links);
    *pids = p;
    *ppids = pp;
    *count = n;
    return NVITOP_OK;
}

static const ptree_link_t *link_of(const ptree_link_t *links, size_t n, uint32_t pid)
{
    for (size_t i = 0; i < n; i++)
        if (links[i].pid == pid) return &links[i];
    return NULL;
}

/* psutil's walk: a stack of pids from the root; each pid's children (links in pid order) that
 * started no earlier than the root are kept and pushed; a pid seen twice (a cycle read while
 * pids were recycled) is skipped. */
static size_t walk_children(const ptree_link_t *links, size_t n, const ptree_link_t *root,
                            bool recursive, uint32_t *out, uint32_t *stack, bool *seen)
{
    size_t found = 0, depth = 0;
    stack[depth++] = root->pid;
    while (depth) {
        uint32_t pid = stack[--depth];
        const ptree_link_t *self = link_of(links, n, pid);
        if (self) {
            if (seen[self - links]) continue;
            seen[self - links] = true;
        }
        for (size_t i = 0; i < n; i++) {
            if (links[i].ppid != pid || links[i].pid == pid) continue;
            if (links[i].start_ticks < root->start_ticks) continue; /* a recycled pid */
            out[found++] = links[i].pid;
            if (recursive) stack[depth++] = links[i].pid;
        }
        if (!recursive) break;
    }
    return found;
}

int nvitop_process_children(nvitop_ctx_t *ctx, uint32_t pid, bool recursive, uint32_t **children,
                            size_t *count)
{
    if (!ctx || !children || !count) return NVITOP_EINVAL;
    *children = NULL;
    *count = 0;
    ptree_link_t *links = NULL;
    size_t n = 0;
    int rc = ptree_links_read(ctx, &links, &n);
    if (rc < 0) return rc;
    const ptree_link_t *root = link_of(links, n, pid);
    if (!root) {
        free(links);
        return NVITOP_ENOTFOUND;
    }
    /* each link is listed (and pushed) at most once per parent seen: n entries bound both */
    uint32_t *out = malloc((n + 1) * sizeof(*out));
    uint32_t *stack = malloc((n + 1) * sizeof(*stack));
    bool *seen = calloc(n + 1, sizeof(*seen));
    if (!out || !stack || !seen) {
        rc = NVITOP_ENOMEM;
    } else {
        *count = walk_children(links, n, root, recursive, out, stack, seen);
        *children = out;
        out = NULL;
    }
    free(out);
    free(stack);
    free(seen);
    free(links);
    return rc;
}
